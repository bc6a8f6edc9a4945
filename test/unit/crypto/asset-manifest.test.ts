import { describe, expect, it } from 'vitest';
import { generateDirectoryKeyPair, signAssetManifest, signDirectory, verifyAssetManifest, type AssetManifest } from '../../../crypto/index';
import { makeInvestigator } from '../../helpers/crypto';

const manifest: AssetManifest = {
  format: 'candor-asset-manifest',
  version: 1,
  builtOn: '2026-11-22',
  files: [{ path: '/', sha256: 'a'.repeat(64) }],
};

function codeOf(action: () => unknown): string {
  try {
    action();
    return 'no error';
  } catch (error) {
    return (error as { code?: string }).code ?? 'untyped';
  }
}

describe('signed asset manifests', () => {
  it('when signed by the pinned key, then it verifies to the same manifest', () => {
    const key = generateDirectoryKeyPair();
    expect(verifyAssetManifest(signAssetManifest(manifest, key.secretKey), { pinnedKeys: [key.publicKey] })).toEqual(manifest);
  });

  it('when signed by another key, or tampered, then it is refused', () => {
    const key = generateDirectoryKeyPair();
    const signed = signAssetManifest(manifest, key.secretKey);
    expect(codeOf(() => verifyAssetManifest(signed, { pinnedKeys: [generateDirectoryKeyPair().publicKey] }))).toBe('manifest-not-pinned');
    const other = signAssetManifest({ ...manifest, builtOn: '2026-11-23' }, key.secretKey);
    expect(codeOf(() => verifyAssetManifest({ ...signed, payload: other.payload }, { pinnedKeys: [key.publicKey] }))).toBe('signature-invalid');
    expect(codeOf(() => verifyAssetManifest({ ...signed, extra: 1 }, { pinnedKeys: [key.publicKey] }))).toBe('manifest-invalid');
  });

  it('when a directory signed by the same key is presented as a manifest, then the context label refuses it', async () => {
    const key = generateDirectoryKeyPair();
    const investigator = await makeInvestigator();
    const directory = signDirectory(
      {
        format: 'candor-directory',
        version: 1,
        body: { id: 'body', name: 'Body' },
        issuedOn: '2026-11-22',
        expiresOn: '2027-11-22',
        recipients: [{ label: 'I', fingerprint: investigator.generated.fingerprint, publicKey: investigator.generated.armoredPublicKey }],
      },
      key.secretKey,
    );
    const disguised = { ...directory, format: 'candor-signed-asset-manifest' };
    expect(codeOf(() => verifyAssetManifest(disguised, { pinnedKeys: [key.publicKey] }))).toBe('signature-invalid');
  });
});
