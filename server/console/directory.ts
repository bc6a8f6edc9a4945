/**
 * A body's recipient directory as the console sees it: what the signed directory lists, against
 * the current keys of the body's investigators; the directory the admin signs offline with the body's
 * directory key (never on the server); and storing what they signed.
 */
import { fromBase64Url, isCryptoError, utf8Decode, verifyDirectory, type DirectoryDocument, type SignedDirectory, type VerifiedDirectory } from '../../crypto/index';
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

/**
 * Who signed the body's stored directory and when it was issued; null before its first signature
 * (the placeholder has neither). It was verified when imported, so it is read here without a check.
 */
function storedSignature(signedDirectory: string): { readonly signerKey: string; readonly issuedOn: string } | null {
  const { signerKey, payload } = JSON.parse(signedDirectory) as { signerKey?: unknown; payload?: unknown };
  if (typeof signerKey !== 'string' || typeof payload !== 'string') return null;
  const { issuedOn } = JSON.parse(utf8Decode(fromBase64Url(payload))) as { issuedOn: string };
  return { signerKey, issuedOn };
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

export interface DirectoryImport {
  readonly bodyId: string;
  readonly signed: unknown;
  readonly actor: string;
  /** The directory keys the intake build trusts: a directory signed by another key would only make reporters' browsers fail. */
  readonly pinnedKeys: readonly string[];
  /** Accept a signer other than the previous one (a build that pins the new key). */
  readonly newSigner?: boolean;
  /** Accept recipients other than the investigators' current keys (they changed since the request). */
  readonly allowOutdated?: boolean;
}

/**
 * Stores a directory the admin signed offline, once it verifies and would be used as intended: for
 * this body, current, signed by a key the intake pins and by the key that signed before (unless
 * `newSigner`), no older than the stored one (an old file must not bring back a departed
 * investigator's key), and listing exactly the investigators' current keys (unless `allowOutdated`).
 */
export async function importSignedDirectory(storage: Storage, clock: Clock, options: DirectoryImport): Promise<VerifiedDirectory> {
  const body = storage.bodies.find(options.bodyId);
  if (body === undefined) throw new AppError('not-found', `There is no body ${options.bodyId}.`);
  const signerKey = (options.signed as { signerKey?: unknown } | null)?.signerKey;
  if (typeof signerKey !== 'string') throw new AppError('bad-request', 'This is not a signed directory.');
  if (!options.pinnedKeys.includes(signerKey)) {
    throw new AppError('conflict', `This directory is signed by ${signerKey}, which the intake build does not pin: reporters' browsers would refuse it. Pin the key and rebuild first.`);
  }
  const previous = storedSignature(body.signedDirectory);
  if (previous !== null && previous.signerKey !== signerKey && options.newSigner !== true) {
    throw new AppError('conflict', `This directory is not signed by the key that signed the directory of ${body.id} before (${previous.signerKey}).`);
  }
  const now = clock.now();
  let verified: VerifiedDirectory;
  try {
    verified = await verifyDirectory(options.signed, { pinnedKeys: [signerKey], now });
  } catch (cause) {
    if (!isCryptoError(cause)) throw cause;
    throw new AppError('bad-request', `The signed directory does not verify: ${cause.message}`, { cause });
  }
  const { document } = verified;
  if (document.body.id !== body.id) throw new AppError('conflict', `This directory is for ${document.body.id}, not ${body.id}.`);
  if (previous !== null && document.issuedOn < previous.issuedOn) {
    throw new AppError('conflict', `This directory was issued on ${document.issuedOn}, before the one in use (${previous.issuedOn}).`);
  }
  const signedPrints = document.recipients.map((r) => r.fingerprint).sort();
  const currentPrints = storage.accounts.activeRecipients(body.id).map((r) => r.fingerprint).sort();
  if (options.allowOutdated !== true && signedPrints.join(' ') !== currentPrints.join(' ')) {
    throw new AppError('conflict', `This directory does not list exactly the current keys of ${body.id}'s investigators (they changed since the request): make a new request.`);
  }
  storage.db.transaction(() => {
    storage.bodies.save({ ...body, signedDirectory: JSON.stringify(options.signed), updatedOn: dayOf(now) });
    storage.audit.append({ actor: options.actor, action: 'directory.signed', bodyId: body.id, details: { recipients: signedPrints.join(' '), signerKey } }, now);
  })();
  return verified;
}
