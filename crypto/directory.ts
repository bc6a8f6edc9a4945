/**
 * Recipient directories: a body's list of investigator keys, signed with the body's Ed25519 directory
 * key. The intake verifies it against a key pinned in its build before it encrypts anything, so the
 * server cannot slip in a key of its own.
 */
import { z } from 'zod';
import { fromBase64Url, toBase64Url, utf8Decode, utf8Encode } from './bytes';
import { CryptoError } from './errors';
import { ED25519_SEED_BYTES, ed25519KeyPairFromSeed } from './nacl';
import { checkRecipientKey, type RecipientKey } from './openpgp-keys';
import { randomBytes } from './random';
import { signPayload, verifyPayload } from './signed-document';
import type { ArmoredPublicKey, Base64Url, Fingerprint } from './types';

export const DIRECTORY_CONTEXT = 'candor/v1/directory';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');

/**
 * Text that admins read on a terminal before they sign and reporters read as the body's: no control
 * characters (a terminal would obey them, and could hide a line) and no bidirectional overrides or
 * isolates (which reorder what is shown).
 */
const shownText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .regex(/^[^\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$/u, 'no control characters or bidirectional overrides');

const bodySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a lower-case slug'),
    name: shownText(200),
  })
  .strict();

const recipientFields = {
  label: shownText(200),
  fingerprint: z.string().regex(/^[0-9a-f]{40}$/, 'a v4 fingerprint in lower-case hex'),
  publicKey: z.string().min(1).max(64 * 1024),
};

const directoryDocumentV1 = z
  .object({
    format: z.literal('candor-directory'),
    version: z.literal(1),
    body: bodySchema,
    issuedOn: isoDay,
    expiresOn: isoDay,
    recipients: z.array(z.object(recipientFields).strict()).min(1).max(100),
  })
  .strict();

/**
 * Version 2 (docs/protocol.md §11.1) adds a serial that only grows, the role reporters see as the
 * author of each investigator's replies, and what the intake shows reporters (`intake`: the
 * questionnaire and the body's policy), so that the server can change none of them. The form of
 * `intake` is the application's: protocol/body-directory.ts checks it.
 */
const directoryDocumentV2 = z
  .object({
    format: z.literal('candor-directory'),
    version: z.literal(2),
    body: bodySchema,
    serial: z.number().int().min(1).max(2 ** 31 - 1),
    issuedOn: isoDay,
    expiresOn: isoDay,
    recipients: z.array(z.object({ ...recipientFields, role: shownText(100) }).strict()).min(1).max(100),
    intake: z.record(z.string(), z.unknown()),
  })
  .strict();

export const directoryDocumentSchema = z.discriminatedUnion('version', [directoryDocumentV1, directoryDocumentV2]);
export type DirectoryDocument = z.infer<typeof directoryDocumentSchema>;
export type DirectoryDocumentV2 = z.infer<typeof directoryDocumentV2>;

/** A version 1 directory has no serial: it counts as 0, older than every version 2 directory. */
export function directorySerial(document: DirectoryDocument): number {
  return document.version === 1 ? 0 : document.serial;
}

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

export interface VerifyDirectoryOptions {
  /** The directory keys pinned for `bodyId`, and for it alone. */
  readonly pinnedKeys: readonly string[];
  /** The body the caller chose: a directory of any other body is refused, however well signed. */
  readonly bodyId: string;
  /** The lowest serial accepted (a pin's, or one the caller saw before): an older directory is a replay. */
  readonly minimumSerial?: number;
  readonly now?: Date;
}

/**
 * Verifies a signed directory fetched from the server: signed by one of the keys pinned for the
 * chosen body, untampered, that body's, no older than `minimumSerial`, current at `now`, and every
 * recipient key acceptable. Throws a CryptoError otherwise.
 */
export async function verifyDirectory(signed: unknown, options: VerifyDirectoryOptions): Promise<VerifiedDirectory> {
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
  const document = parseDirectoryDocument(contents);
  if (document.body.id !== options.bodyId) {
    throw new CryptoError('directory-wrong-body', `The directory is that of ${document.body.id}, not of ${options.bodyId}.`);
  }
  const minimumSerial = options.minimumSerial ?? 0;
  if (directorySerial(document) < minimumSerial) {
    throw new CryptoError('directory-outdated', `The directory has serial ${directorySerial(document)}; ${minimumSerial} or later is required.`);
  }
  const { recipients } = await checkDirectoryDocument(document, now);
  return { document, recipients, signerKey: envelope.data.signerKey as Base64Url };
}

function parseDirectoryDocument(contents: unknown): DirectoryDocument {
  const parsed = directoryDocumentSchema.safeParse(contents);
  if (!parsed.success) throw new CryptoError('directory-invalid', 'The directory contents are malformed.', { cause: parsed.error });
  return parsed.data;
}

/**
 * Reads a directory's contents without verifying anything: for the server, which lists the
 * fingerprints of a directory it verified when it was imported.
 */
export function readSignedDirectoryDocument(signed: SignedDirectory): DirectoryDocument {
  let contents: unknown;
  try {
    contents = JSON.parse(utf8Decode(fromBase64Url(signed.payload)));
  } catch (cause) {
    throw new CryptoError('directory-invalid', 'The directory contents are malformed.', { cause });
  }
  return parseDirectoryDocument(contents);
}

/**
 * Checks a directory's contents: their form, dates current at `now`, and every listed key acceptable
 * and of the fingerprint given. The admin's offline signer runs it before signing, the intake after
 * verifying the signature.
 */
export async function checkDirectoryDocument(contents: unknown, now: Date = new Date()): Promise<{ document: DirectoryDocument; recipients: RecipientKey[] }> {
  const document = parseDirectoryDocument(contents);
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
