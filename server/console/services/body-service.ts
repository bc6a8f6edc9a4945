/**
 * Anti-corruption bodies: creating them, their retention and statistics settings, and their recipient
 * directory: what the signed directory lists against the current keys of the body's investigators,
 * the directory the admin signs offline with the body's directory key (never on the server), and
 * storing what they signed. Every change is one transaction with its audit entry.
 */
import { fromBase64Url, isCryptoError, utf8Decode, verifyDirectory, type DirectoryDocument, type SignedDirectory, type VerifiedDirectory } from '../../../crypto/index';
import { addDays, dayOf, type Clock } from '../../clock';
import { AppError } from '../../errors';
import { DEFAULT_QUESTIONNAIRE } from '../../../protocol/default-questionnaire';
import type { AccountRecord } from '../../storage/accounts-repository';
import { UNSIGNED_DIRECTORY, type BodyRecord } from '../../storage/bodies-repository';
import type { Storage } from '../../storage/index';
import type { Actor } from './actor';
import type { AdminBody, BodyDirectoryAnswer, SignedListing } from '../../../protocol/console-api/bodies';

export interface NewBody {
  readonly id: string;
  readonly name: string;
}

/**
 * The directory answer (protocol/console-api/bodies.ts): `signed` is what the signature covers, read
 * with the directory's own signer key (integrity, not trust); `inSync` says whether the signed
 * recipients are exactly the body's investigators' current keys.
 */
export interface DirectoryStatus extends BodyDirectoryAnswer {
  readonly signedDirectory: SignedDirectory;
}

export interface DirectoryImport {
  readonly bodyId: string;
  readonly signed: unknown;
  /** The directory keys the intake build trusts: a directory signed by another key would only make reporters' browsers fail. */
  readonly pinnedKeys: readonly string[];
  /** Accept a signer other than the previous one (a build that pins the new key). */
  readonly newSigner?: boolean;
  /** Accept recipients other than the investigators' current keys (they changed since the request). */
  readonly allowOutdated?: boolean;
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

export class BodyService {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  /**
   * Creates a body with the default questionnaire; it takes no reports until its directory is
   * signed. `prepare` runs once the id is known to be free and before anything is stored (the
   * command line writes the new directory key there, so a failure leaves no body without its key).
   */
  create(body: NewBody, actor: Actor, prepare?: () => void): void {
    if (this.storage.bodies.find(body.id) !== undefined) throw new AppError('conflict', `The body ${body.id} exists already.`);
    prepare?.();
    const now = this.clock.now();
    this.storage.transaction(() => {
      this.storage.bodies.save({ id: body.id, name: body.name, signedDirectory: UNSIGNED_DIRECTORY, questionnaire: JSON.stringify(DEFAULT_QUESTIONNAIRE), updatedOn: dayOf(now), createdOn: dayOf(now) });
      this.storage.audit.append({ actor: actor.username, action: 'body.created', bodyId: body.id, details: { name: body.name } }, now);
    });
  }

  find(bodyId: string): BodyRecord | undefined {
    return this.storage.bodies.find(bodyId);
  }

  /** Days the body's closed cases are kept; null follows `retention.days`. False when there is no such body. */
  setRetention(bodyId: string, days: number | null, actor: Actor): boolean {
    return this.storage.transaction(() => {
      if (!this.storage.bodies.setRetention(bodyId, days)) return false;
      this.storage.audit.append({ actor: actor.username, action: 'body.retention-changed', bodyId, details: { retentionDays: days } }, this.clock.now());
      return true;
    });
  }

  /** Whether the intake publishes the body's statistics (docs/statistics.md). */
  publishesStatistics(bodyId: string): boolean {
    return this.storage.bodies.publishesStatistics(bodyId);
  }

  /** Publishes the body's statistics, or stops; a change only, audited in the same transaction. */
  setPublishStatistics(bodyId: string, publish: boolean, actor: Actor): void {
    this.storage.transaction(() => {
      if (this.storage.bodies.publishesStatistics(bodyId) === publish) return;
      this.storage.bodies.setPublishStatistics(bodyId, publish);
      this.storage.audit.append({ actor: actor.username, action: 'body.statistics-changed', bodyId, details: { publish } }, this.clock.now());
    });
  }

  /** Every body with the state of its directory, for the admin page. */
  async list(): Promise<AdminBody[]> {
    const now = this.clock.now();
    return Promise.all(
      this.storage.bodies.list().map(async (body) => {
        const status = await this.directoryStatusAt(body.id, now);
        return { id: body.id, name: body.name, inSync: status.inSync, signed: status.signed, investigators: status.investigators.map(({ accountId, username, fingerprint }) => ({ accountId, username, fingerprint })) };
      }),
    );
  }

  /** A body's directory, for its investigators (to encrypt replies and notes) and for admins; to others it does not exist. */
  async directoryFor(account: AccountRecord, bodyId: string): Promise<DirectoryStatus> {
    if (account.role !== 'admin' && !account.bodyIds.includes(bodyId)) throw new AppError('not-found', 'There is no such body.');
    return this.directoryStatusAt(bodyId, this.clock.now());
  }

  /**
   * What the admin signs offline: a directory listing the current key of every active investigator of
   * the body. The server only proposes it; the admin's signer shows each label and fingerprint to be
   * compared with what the investigators read in their console before anything is signed.
   */
  directoryRequest(bodyId: string, validDays: number): DirectoryDocument {
    const body = this.storage.bodies.find(bodyId);
    if (body === undefined) throw new AppError('not-found', `There is no body ${bodyId}.`);
    const recipients = this.storage.investigatorKeys.activeRecipients(bodyId);
    if (recipients.length === 0) throw new AppError('conflict', `No investigator of ${bodyId} has a key yet: nobody could read reports.`);
    const today = dayOf(this.clock.now());
    return {
      format: 'candor-directory',
      version: 1,
      body: { id: body.id, name: body.name },
      issuedOn: today,
      expiresOn: addDays(today, validDays),
      recipients: recipients.map((r) => ({ label: r.username, fingerprint: r.fingerprint, publicKey: r.publicKey })),
    };
  }

  /**
   * Stores a directory the admin signed offline, once it verifies and would be used as intended: for
   * this body, current, signed by a key the intake pins and by the key that signed before (unless
   * `newSigner`), no older than the stored one (an old file must not bring back a departed
   * investigator's key), and listing exactly the investigators' current keys (unless `allowOutdated`).
   */
  async importSignedDirectory(options: DirectoryImport, actor: Actor): Promise<VerifiedDirectory> {
    const body = this.storage.bodies.find(options.bodyId);
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
    const now = this.clock.now();
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
    const currentPrints = this.storage.investigatorKeys.activeRecipients(body.id).map((r) => r.fingerprint).sort();
    if (options.allowOutdated !== true && signedPrints.join(' ') !== currentPrints.join(' ')) {
      throw new AppError('conflict', `This directory does not list exactly the current keys of ${body.id}'s investigators (they changed since the request): make a new request.`);
    }
    this.storage.transaction(() => {
      this.storage.bodies.save({ ...body, signedDirectory: JSON.stringify(options.signed), updatedOn: dayOf(now) });
      this.storage.audit.append({ actor: actor.username, action: 'directory.signed', bodyId: body.id, details: { recipients: signedPrints.join(' '), signerKey } }, now);
    });
    return verified;
  }

  private async directoryStatusAt(bodyId: string, now: Date): Promise<DirectoryStatus> {
    const body = this.storage.bodies.find(bodyId);
    if (body === undefined) throw new AppError('not-found', 'There is no such body.');
    const signedDirectory = JSON.parse(body.signedDirectory) as SignedDirectory;
    const investigators = this.storage.investigatorKeys.activeRecipients(bodyId);
    let signed: SignedListing = null;
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
}
