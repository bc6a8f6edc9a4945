/**
 * Recipient directories: a body's list of investigator keys, signed with the body's Ed25519 directory
 * key. The intake verifies it against a key pinned in its build before it encrypts anything, so the
 * server cannot slip in a key of its own.
 */
import { z } from 'zod';
import { toBase64Url, utf8Decode, utf8Encode } from './bytes';
import { CryptoError } from './errors';
import { ED25519_SEED_BYTES, ed25519KeyPairFromSeed } from './nacl';
import { checkRecipientKey, type RecipientKey } from './openpgp-keys';
import { randomBytes } from './random';
import { signPayload, verifyPayload } from './signed-document';
import type { ArmoredPublicKey, Base64Url, Fingerprint } from './types';

export const DIRECTORY_CONTEXT = 'candor/v1/directory';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');

export const directoryDocumentSchema = z
  .object({
    format: z.literal('candor-directory'),
    version: z.literal(1),
    body: z
      .object({
        id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a lower-case slug'),
        name: z.string().min(1).max(200),
      })
      .strict(),
    issuedOn: isoDay,
    expiresOn: isoDay,
    recipients: z
      .array(
        z
          .object({
            label: z.string().min(1).max(200),
            fingerprint: z.string().regex(/^[0-9a-f]{40}$/, 'a v4 fingerprint in lower-case hex'),
            publicKey: z.string().min(1).max(64 * 1024),
          })
          .strict(),
      )
      .min(1)
      .max(100),
  })
  .strict();
export type DirectoryDocument = z.infer<typeof directoryDocumentSchema>;

const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/);
export const signedDirectorySchema = z
  .object({
    format: z.literal('candor-signed-directory'),
    version: z.literal(1),
    signerKey: base64url,
    payload: base64url,
    signature: base64url,
  })
  .strict();
export type SignedDirectory = z.infer<typeof signedDirectorySchema>;

export interface DirectoryKeyPair {
  readonly publicKey: Base64Url;
  /** The 32-byte Ed25519 seed. Kept by the body's admin, never by the server. */
  readonly secretKey: Base64Url;
}

export interface VerifiedDirectory {
  readonly document: DirectoryDocument;
  readonly recipients: readonly RecipientKey[];
  readonly signerKey: Base64Url;
}

export function generateDirectoryKeyPair(): DirectoryKeyPair {
  const seed = randomBytes(ED25519_SEED_BYTES);
  const { publicKey } = ed25519KeyPairFromSeed(seed);
  return { publicKey: toBase64Url(publicKey), secretKey: toBase64Url(seed) };
}

export function signDirectory(document: DirectoryDocument, secretKey: Base64Url): SignedDirectory {
  const parsed = directoryDocumentSchema.parse(document);
  return { format: 'candor-signed-directory', version: 1, ...signPayload(DIRECTORY_CONTEXT, utf8Encode(JSON.stringify(parsed)), secretKey) };
}

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Verifies a signed directory fetched from the server: signed by one of `pinnedKeys`, untampered,
 * current at `now`, and every recipient key acceptable. Throws a CryptoError otherwise.
 */
export async function verifyDirectory(
  signed: unknown,
  options: { readonly pinnedKeys: readonly string[]; readonly now?: Date },
): Promise<VerifiedDirectory> {
  const now = options.now ?? new Date();
  if (typeof signed === 'object' && signed !== null && !('signature' in signed && signed.signature)) {
    throw new CryptoError('directory-unsigned', 'The directory carries no signature.');
  }
  const envelope = signedDirectorySchema.safeParse(signed);
  if (!envelope.success) throw new CryptoError('directory-invalid', 'The signed directory is malformed.');
  const payload = verifyPayload(DIRECTORY_CONTEXT, envelope.data, options.pinnedKeys, { invalid: 'directory-invalid', notPinned: 'directory-not-pinned' });
  let contents: unknown;
  try {
    contents = JSON.parse(utf8Decode(payload));
  } catch (cause) {
    throw new CryptoError('directory-invalid', 'The directory contents are malformed.', { cause });
  }
  const { document, recipients } = await checkDirectoryDocument(contents, now);
  return { document, recipients, signerKey: envelope.data.signerKey as Base64Url };
}

/**
 * Checks a directory's contents: their form, dates current at `now`, and every listed key acceptable
 * and of the fingerprint given. The admin's offline signer runs it before signing, the intake after
 * verifying the signature.
 */
export async function checkDirectoryDocument(contents: unknown, now: Date = new Date()): Promise<{ document: DirectoryDocument; recipients: RecipientKey[] }> {
  const parsed = directoryDocumentSchema.safeParse(contents);
  if (!parsed.success) throw new CryptoError('directory-invalid', 'The directory contents are malformed.', { cause: parsed.error });
  const document = parsed.data;
  const today = utcDay(now);
  if (document.expiresOn < today) throw new CryptoError('directory-expired', `The directory expired on ${document.expiresOn}.`);
  if (document.issuedOn > document.expiresOn) throw new CryptoError('directory-invalid', 'The directory expires before it was issued.');
  // One day of grace for clocks that run behind; a directory from further in the future is refused.
  if (document.issuedOn > utcDay(new Date(now.getTime() + 86_400_000))) {
    throw new CryptoError('directory-invalid', `The directory claims to be issued on ${document.issuedOn}, in the future.`);
  }
  const recipients: RecipientKey[] = [];
  for (const entry of document.recipients) {
    const key = await checkRecipientKey(entry.publicKey as ArmoredPublicKey, now);
    if (key.fingerprint !== (entry.fingerprint as Fingerprint)) {
      throw new CryptoError('directory-invalid', `The key listed for ${entry.label} has another fingerprint.`);
    }
    recipients.push(key);
  }
  return { document, recipients };
}
