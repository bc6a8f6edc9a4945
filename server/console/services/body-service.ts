/**
 * Anti-corruption bodies: creating them, their retention and statistics settings, and their recipient
 * directory: what the signed directory lists against the current keys of the body's investigators,
 * the directory the admin signs offline with the body's directory key (never on the server), and
 * storing what they signed. Every change is one transaction with its audit entry.
 */
import {
  directorySerial,
  isCryptoError,
  readSignedDirectoryDocument,
  signedDirectorySchema,
  verifyDirectory,
  type DirectoryDocumentV2,
  type SignedDirectory,
  type VerifiedDirectory,
} from '../../../crypto/index';
import { addDays, dayOf, type Clock } from '../../clock';
import { AppError } from '../../errors';
import { checkIntakeTexts, type LocalizedText } from '../../../protocol/body-directory';
import { DEFAULT_QUESTIONNAIRE } from '../../../protocol/default-questionnaire';
import type { DirectoryPins } from '../../../protocol/directory-pins';
import { questionnaireSchema } from '../../../protocol/questionnaire';
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
  /** The directory keys the client builds trust, per body: a directory they would refuse would only make reporters' browsers fail. */
  readonly pins: DirectoryPins;
  /** Accept a signer other than the previous one (a build that pins the new key). */
  readonly newSigner?: boolean;
  /** Accept recipients other than the investigators' current keys (they changed since the request). */
  readonly allowOutdated?: boolean;
}

/** What a new directory request says beyond the investigators' keys. */
export interface DirectoryRequestOptions {
  /** What reporters see as the author of every investigator's replies; the admin may edit each before signing. */
  readonly role?: string;
  /** The body's policy for reporters, by language. */
  readonly policy?: LocalizedText;
}

export const DEFAULT_RECIPIENT_ROLE = 'Investigator';

/**
 * Who signed the body's stored directory and its serial; null before its first signature (the
 * placeholder has neither). It was verified when imported, so it is read here without a check.
 */
function storedDirectory(signedDirectory: string): { readonly signerKey: string; readonly serial: number } | null {
  const signed = signedDirectorySchema.safeParse(JSON.parse(signedDirectory));
  if (!signed.success) return null;
  return { signerKey: signed.data.signerKey, serial: directorySerial(readSignedDirectoryDocument(signed.data)) };
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

  /** The serial of the body's stored directory (0 for version 1); null before its first signature. */
  storedSerial(bodyId: string): number | null {
    const body = this.storage.bodies.find(bodyId);
    if (body === undefined) throw new AppError('not-found', `There is no body ${bodyId}.`);
    return storedDirectory(body.signedDirectory)?.serial ?? null;
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
   * What the admin signs offline (docs/protocol.md §11.1): a version 2 directory listing the current
   * key of every active investigator of the body, with the body's questionnaire and policy, and the
   * serial after the stored directory's. The server only proposes it; the admin's signer shows each
   * label, fingerprint and role, the questions and the serial before anything is signed.
   */
  directoryRequest(bodyId: string, validDays: number, options: DirectoryRequestOptions = {}): DirectoryDocumentV2 {
    const body = this.storage.bodies.find(bodyId);
    if (body === undefined) throw new AppError('not-found', `There is no body ${bodyId}.`);
    const recipients = this.storage.investigatorKeys.activeRecipients(bodyId);
    if (recipients.length === 0) throw new AppError('conflict', `No investigator of ${bodyId} has a key yet: nobody could read reports.`);
    const today = dayOf(this.clock.now());
    const role = options.role ?? DEFAULT_RECIPIENT_ROLE;
    // Checked when it was stored; parsed again so that a damaged row cannot be proposed for signing.
    const questionnaire = questionnaireSchema.parse(JSON.parse(body.questionnaire));
    return {
      format: 'candor-directory',
      version: 2,
      body: { id: body.id, name: body.name },
      serial: (storedDirectory(body.signedDirectory)?.serial ?? 0) + 1,
      issuedOn: today,
      expiresOn: addDays(today, validDays),
      recipients: recipients.map((r) => ({ label: r.username, role, fingerprint: r.fingerprint, publicKey: r.publicKey })),
      intake: { questionnaire, ...(options.policy === undefined ? {} : { policy: options.policy }) },
    };
  }

  /**
   * Stores a directory the admin signed offline, once it verifies and would be used as intended: for
   * this body, current, version 2 with well-formed intake texts, signed by a key the clients pin for
   * this body (and no older than their pin's minimum serial) and by the key that signed before (unless
   * `newSigner`), of a serial above the stored one (an old file must not bring back a departed
   * investigator's key or an old questionnaire; an honest server never goes backwards), and listing
   * exactly the investigators' current keys (unless `allowOutdated`).
   */
  async importSignedDirectory(options: DirectoryImport, actor: Actor): Promise<VerifiedDirectory> {
    const body = this.storage.bodies.find(options.bodyId);
    if (body === undefined) throw new AppError('not-found', `There is no body ${options.bodyId}.`);
    const signerKey = (options.signed as { signerKey?: unknown } | null)?.signerKey;
    if (typeof signerKey !== 'string') throw new AppError('bad-request', 'This is not a signed directory.');
    const pin = Object.hasOwn(options.pins, body.id) ? options.pins[body.id] : undefined;
    if (pin === undefined) {
      throw new AppError('conflict', `The client builds pin no directory key for ${body.id}: reporters' browsers would refuse its directory. Pin the key (pin-directory-key) and restart first.`);
    }
    if (!pin.keys.includes(signerKey)) {
      throw new AppError('conflict', `This directory is signed by ${signerKey}, which the client builds do not pin for ${body.id}: reporters' browsers would refuse it. Pin the key (pin-directory-key) and restart first.`);
    }
    const previous = storedDirectory(body.signedDirectory);
    if (previous !== null && previous.signerKey !== signerKey && options.newSigner !== true) {
      throw new AppError('conflict', `This directory is not signed by the key that signed the directory of ${body.id} before (${previous.signerKey}).`);
    }
    const now = this.clock.now();
    let verified: VerifiedDirectory;
    try {
      verified = await verifyDirectory(options.signed, { pinnedKeys: [signerKey], bodyId: body.id, now });
      checkIntakeTexts(verified.document);
    } catch (cause) {
      if (isCryptoError(cause, 'directory-wrong-body')) throw new AppError('conflict', cause.message, { cause });
      if (!isCryptoError(cause)) throw cause;
      throw new AppError('bad-request', `The signed directory does not verify: ${cause.message}`, { cause });
    }
    const { document } = verified;
    if (document.version === 1) throw new AppError('bad-request', 'This is a version 1 directory, which signs no serial, roles or questionnaire: make a new directory-request and sign it.');
    if (document.serial < pin.minimumSerial) {
      throw new AppError('conflict', `This directory has serial ${document.serial}, below the minimum the client builds pin for ${body.id} (${pin.minimumSerial}): reporters' browsers would refuse it.`);
    }
    if (previous !== null && document.serial <= previous.serial) {
      throw new AppError('conflict', `This directory has serial ${document.serial}, not above the serial of the one in use (${previous.serial}): the directory never goes back. Make a new directory-request and sign it.`);
    }
    const signedPrints = document.recipients.map((r) => r.fingerprint).sort();
    const currentPrints = this.storage.investigatorKeys.activeRecipients(body.id).map((r) => r.fingerprint).sort();
    if (options.allowOutdated !== true && signedPrints.join(' ') !== currentPrints.join(' ')) {
      throw new AppError('conflict', `This directory does not list exactly the current keys of ${body.id}'s investigators (they changed since the request): make a new request.`);
    }
    this.storage.transaction(() => {
      this.storage.bodies.save({ ...body, signedDirectory: JSON.stringify(options.signed), updatedOn: dayOf(now) });
      this.storage.audit.append({ actor: actor.username, action: 'directory.signed', bodyId: body.id, details: { recipients: signedPrints.join(' '), signerKey, serial: document.serial } }, now);
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
      const { document } = await verifyDirectory(signedDirectory, { pinnedKeys: [signedDirectory.signerKey], bodyId, now });
      signed = { serial: directorySerial(document), issuedOn: document.issuedOn, expiresOn: document.expiresOn, recipients: document.recipients.map(({ label, fingerprint }) => ({ label, fingerprint })) };
    } catch {
      // Expired or unreadable: shown as not in sync, so the admin re-signs it.
    }
    const signedPrints = new Set(signed?.recipients.map((r) => r.fingerprint) ?? []);
    const currentPrints = new Set(investigators.map((r) => r.fingerprint));
    const inSync = signed !== null && signedPrints.size === currentPrints.size && [...currentPrints].every((print) => signedPrints.has(print));
    return { signedDirectory, signed, investigators, inSync };
  }
}
