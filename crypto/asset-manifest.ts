/**
 * The signed list of every file a deployment serves with its SHA-256, so that anyone can check that
 * the JavaScript a site sends is the JavaScript the body published (docs/protocol.md §15). Signed
 * with the body's directory key, the key the intake already pins.
 */
import { z } from 'zod';
import { utf8Decode, utf8Encode } from './bytes';
import { CryptoError } from './errors';
import { signPayload, verifyPayload } from './signed-document';
import type { Base64Url } from './types';

export const ASSET_MANIFEST_CONTEXT = 'candor/v1/asset-manifest';

export const assetManifestSchema = z
  .object({
    format: z.literal('candor-asset-manifest'),
    version: z.literal(1),
    builtOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    files: z
      .array(z.object({ path: z.string().regex(/^\/[A-Za-z0-9._/-]*$/), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict())
      .min(1)
      .max(1000),
  })
  .strict();
export type AssetManifest = z.infer<typeof assetManifestSchema>;

const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/);
export const signedAssetManifestSchema = z
  .object({ format: z.literal('candor-signed-asset-manifest'), version: z.literal(1), signerKey: base64url, payload: base64url, signature: base64url })
  .strict();
export type SignedAssetManifest = z.infer<typeof signedAssetManifestSchema>;

export function signAssetManifest(manifest: AssetManifest, secretKey: Base64Url): SignedAssetManifest {
  const parsed = assetManifestSchema.parse(manifest);
  return { format: 'candor-signed-asset-manifest', version: 1, ...signPayload(ASSET_MANIFEST_CONTEXT, utf8Encode(JSON.stringify(parsed)), secretKey) };
}

export function verifyAssetManifest(signed: unknown, options: { readonly pinnedKeys: readonly string[] }): AssetManifest {
  const envelope = signedAssetManifestSchema.safeParse(signed);
  if (!envelope.success) throw new CryptoError('manifest-invalid', 'The signed asset manifest is malformed.');
  const payload = verifyPayload(ASSET_MANIFEST_CONTEXT, envelope.data, options.pinnedKeys, { invalid: 'manifest-invalid', notPinned: 'manifest-not-pinned' });
  try {
    return assetManifestSchema.parse(JSON.parse(utf8Decode(payload)));
  } catch (cause) {
    throw new CryptoError('manifest-invalid', 'The asset manifest contents are malformed.', { cause });
  }
}
