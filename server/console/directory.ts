/**
 * A body's recipient directory as the console sees it: what the signed directory lists, against
 * the current keys of the body's investigators; and re-signing it with the body's directory key
 * (held by the admin, given to the CLI for one command, never stored by the server).
 */
import { signDirectory, verifyDirectory, type Base64Url, type SignedDirectory } from '../../crypto/index';
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
 * Signs a new directory listing the current key of every active investigator of the body. A key
 * other than the one that signed it before is refused unless `newSigner`: the intake pins the old
 * one, so reporters could not use the directory until a build pins the new one.
 */
export function signBodyDirectory(
  storage: Storage,
  clock: Clock,
  options: { bodyId: string; secretKey: Base64Url; validDays: number; actor: string; newSigner?: boolean },
): SignedDirectory {
  const body = storage.bodies.find(options.bodyId);
  if (body === undefined) throw new AppError('not-found', `There is no body ${options.bodyId}.`);
  const recipients = storage.accounts.activeRecipients(options.bodyId);
  if (recipients.length === 0) throw new AppError('conflict', `No investigator of ${options.bodyId} has a key yet: nobody could read reports.`);
  const now = clock.now();
  const today = dayOf(now);
  const signed = signDirectory(
    {
      format: 'candor-directory',
      version: 1,
      body: { id: body.id, name: body.name },
      issuedOn: today,
      expiresOn: addDays(today, options.validDays),
      recipients: recipients.map((r) => ({ label: r.username, fingerprint: r.fingerprint, publicKey: r.publicKey })),
    },
    options.secretKey,
  );
  const previousSigner = currentSignerKey(body.signedDirectory);
  if (previousSigner !== null && previousSigner !== signed.signerKey && options.newSigner !== true) {
    throw new AppError('conflict', `This is not the key that signed the directory of ${body.id} before (${previousSigner}); the intake pins that one.`);
  }
  storage.db.transaction(() => {
    storage.bodies.save({ ...body, signedDirectory: JSON.stringify(signed), updatedOn: today });
    storage.audit.append({ actor: options.actor, action: 'directory.signed', bodyId: body.id, details: { recipients: recipients.map((r) => r.fingerprint).join(' '), signerKey: signed.signerKey } }, now);
  })();
  return signed;
}
