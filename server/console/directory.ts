/**
 * A body's recipient directory as the console sees it: what the signed directory lists, against
 * the current keys of the body's investigators; the directory the admin signs offline with the body's
 * directory key (never on the server); and storing what they signed.
 */
import { isCryptoError, verifyDirectory, type DirectoryDocument, type SignedDirectory, type VerifiedDirectory } from '../../crypto/index';
import { addDays, dayOf, type Clock } from '../clock';
import { AppError } from '../errors';
import type { ActiveRecipient } from '../storage/accounts-repository';
import type { Storage } from '../storage/index';

export interface DirectoryStatus {
  readonly signedDirectory: SignedDirectory;
  /** What the signature covers, read with the directory's own signer key (integrity, not trust). */
  readonly signed: { readonly issuedOn: string; readonly expiresOn: string; readonly recipients: readonly { label: string; fingerprint: string }[] } | null;
  readonly investigators: readonly ActiveRecipient[];
  /** The signed recipients are exactly the body's investigators' current keys. */
  readonly inSync: boolean;
}

export async function directoryStatus(storage: Storage, bodyId: string, now: Date): Promise<DirectoryStatus> {
  const body = storage.bodies.find(bodyId);
  if (body === undefined) throw new AppError('not-found', 'There is no such body.');
  const signedDirectory = JSON.parse(body.signedDirectory) as SignedDirectory;
  const investigators = storage.accounts.activeRecipients(bodyId);
  let signed: DirectoryStatus['signed'] = null;
  try {
    const { document } = await verifyDirectory(signedDirectory, { pinnedKeys: [signedDirectory.signerKey], now });
    signed = { issuedOn: document.issuedOn, expiresOn: document.expiresOn, recipients: document.recipients.map(({ label, fingerprint }) => ({ label, fingerprint })) };
  } catch {
    // Expired or unreadable: shown as not in sync, so the admin re-signs it.
  }
  const signedPrints = new Set(signed?.recipients.map((r) => r.fingerprint) ?? []);
  const currentPrints = new Set(investigators.map((r) => r.fingerprint));
  const inSync = signed !== null && signedPrints.size === currentPrints.size && [...currentPrints].every((print) => signedPrints.has(print));
  return { signedDirectory, signed, investigators, inSync };
}

/** The key that signed the body's stored directory; null before its first signature. */
function currentSignerKey(signedDirectory: string): string | null {
  const { signerKey } = JSON.parse(signedDirectory) as { signerKey?: unknown };
  return typeof signerKey === 'string' ? signerKey : null;
}

/**
 * What the admin signs offline: a directory listing the current key of every active investigator of
 * the body. The server only proposes it; the admin's signer shows each label and fingerprint to be
 * compared with what the investigators read in their console before anything is signed.
 */
export function directoryRequest(storage: Storage, clock: Clock, options: { bodyId: string; validDays: number }): DirectoryDocument {
  const body = storage.bodies.find(options.bodyId);
  if (body === undefined) throw new AppError('not-found', `There is no body ${options.bodyId}.`);
  const recipients = storage.accounts.activeRecipients(options.bodyId);
  if (recipients.length === 0) throw new AppError('conflict', `No investigator of ${options.bodyId} has a key yet: nobody could read reports.`);
  const today = dayOf(clock.now());
  return {
    format: 'candor-directory',
    version: 1,
    body: { id: body.id, name: body.name },
    issuedOn: today,
    expiresOn: addDays(today, options.validDays),
    recipients: recipients.map((r) => ({ label: r.username, fingerprint: r.fingerprint, publicKey: r.publicKey })),
  };
}

/**
 * Stores a directory the admin signed offline, once it verifies: for this body, current, and signed by
 * the key that signed the body's directory before (the intake pins that one) unless `newSigner`, for
 * a build that pins a new key.
 */
export async function importSignedDirectory(
  storage: Storage,
  clock: Clock,
  options: { bodyId: string; signed: unknown; actor: string; newSigner?: boolean },
): Promise<VerifiedDirectory> {
  const body = storage.bodies.find(options.bodyId);
  if (body === undefined) throw new AppError('not-found', `There is no body ${options.bodyId}.`);
  const signerKey = (options.signed as { signerKey?: unknown } | null)?.signerKey;
  if (typeof signerKey !== 'string') throw new AppError('bad-request', 'This is not a signed directory.');
  const previousSigner = currentSignerKey(body.signedDirectory);
  if (previousSigner !== null && previousSigner !== signerKey && options.newSigner !== true) {
    throw new AppError('conflict', `This directory is not signed by the key that signed the directory of ${body.id} before (${previousSigner}); the intake pins that one.`);
  }
  const now = clock.now();
  let verified: VerifiedDirectory;
  try {
    verified = await verifyDirectory(options.signed, { pinnedKeys: [signerKey], now });
  } catch (cause) {
    if (!isCryptoError(cause)) throw cause;
    throw new AppError('bad-request', `The signed directory does not verify: ${cause.message}`, { cause });
  }
  if (verified.document.body.id !== body.id) throw new AppError('conflict', `This directory is for ${verified.document.body.id}, not ${body.id}.`);
  storage.db.transaction(() => {
    storage.bodies.save({ ...body, signedDirectory: JSON.stringify(options.signed), updatedOn: dayOf(now) });
    const recipients = verified.recipients.map((r) => r.fingerprint).join(' ');
    storage.audit.append({ actor: options.actor, action: 'directory.signed', bodyId: body.id, details: { recipients, signerKey } }, now);
  })();
  return verified;
}
