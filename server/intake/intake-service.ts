/**
 * What the intake does, apart from HTTP: create cases, report their status to the token holder,
 * take follow-ups and resumable uploads, each within its budget. It sees only ciphertext, public
 * keys and day-granular dates.
 */
import { constantTimeEqual, type CaseId } from '../../crypto/index';
import { dayOf, type Clock } from '../clock';
import type { CandorConfig } from '../../config/schema';
import { AppError } from '../errors';
import { acceptsReports } from '../storage/bodies-repository';
import { GroupCommit } from '../storage/group-commit';
import type { Storage } from '../storage/index';
import type { AttachmentRecord } from '../storage/attachments-repository';
import type { AppendResult, CompletionDigest } from '../storage/blob-store';
import type { CaseRecord } from '../storage/cases-repository';
import { acknowledgeDueOn, feedbackDueOn } from '../domain/deadlines';
import { REPORTER_OBJECT_KINDS } from '../domain/object-readers';
import { KeyedLock } from '../keyed-lock';
import {
  STATUS_PAGE_OBJECTS,
  type CreateCaseInput,
  type StatusPageContent,
  type UploadCompleteAnswer,
  type UploadPieceAnswer,
  type UploadProgressAnswer,
} from '../../protocol/intake-api';
import type { AdmittedWork, ProofOfWorkGate } from './proof-of-work-gate';

const proofOfWorkRequired = () => new AppError('proof-of-work-required', 'The proof of work is missing, expired, already used or too easy now. Fetch a new challenge.');
const storageFull = () => new AppError('storage-full', 'The intake cannot store more now. Nothing was stored; try again later.');

/** Some 100 bytes each: more attachments than a busy intake completes in a day. */
const REMEMBERED_BLOCK_DIGESTS = 10_000;

export class IntakeService {
  private readonly completions = new KeyedLock();
  /** Block SHA-256 of recently completed attachments, by id, oldest first (isSameAttachment). */
  private readonly blockDigests = new Map<string, string>();
  /** Bytes of upload pieces being streamed right now: reserved against the budgets until they are counted. */
  private piecesInFlight = 0;
  private readonly creations: GroupCommit;

  constructor(
    private readonly config: CandorConfig,
    private readonly storage: Storage,
    private readonly proofOfWork: ProofOfWorkGate,
    private readonly clock: Clock,
  ) {
    this.creations = new GroupCommit(storage);
  }

  issueProofOfWork() {
    return this.proofOfWork.issue();
  }

  /**
   * From the headers, before the body is read: the work, if it may pay for creating `caseId` now.
   * The caller releases it when the request ends.
   */
  admitProofOfWork(challenge: string, nonce: string, caseId: string): AdmittedWork {
    const admission = this.proofOfWork.admit(challenge, nonce, caseId);
    if ('admitted' in admission) return admission.admitted;
    if (admission.refused === 'busy') throw new AppError('rate-limited', 'The intake is very busy. Fetch a new challenge and try again in a minute.');
    throw proofOfWorkRequired();
  }

  /**
   * Creates a case, or confirms one already created by the same request (a retry after a dropped
   * connection): the client shows the token only once this has answered. The work was admitted
   * from the headers for this case id only, so each answer about a case id costs a proof of work.
   * Creations arriving together share one commit (GroupCommit); each is answered once it is on disk.
   */
  async createCase(request: CreateCaseInput, work: AdmittedWork): Promise<{ created: boolean; receivedOn: string }> {
    const outcome = await this.creations.run(() => this.storeCase(request, work));
    // Only once the case is on disk: work whose commit failed may still buy its case.
    if (outcome.created) work.markBought();
    return outcome;
  }

  private storeCase(request: CreateCaseInput, work: AdmittedWork): { created: boolean; receivedOn: string } {
    const existing = this.storage.cases.find(request.caseId);
    if (existing !== undefined) {
      if (this.isSameCreation(existing, request)) return { created: false, receivedOn: existing.receivedOn };
      throw new AppError('conflict', 'A case with this id already exists.');
    }
    // Work that bought a case since deleted (delete-case) buys no other.
    if (work.bought) throw proofOfWorkRequired();
    const body = this.storage.bodies.find(request.bodyId);
    if (body === undefined || !acceptsReports(body)) throw new AppError('not-found', 'There is no such body, or it does not take reports yet.');
    this.checkTotalBudget(request.report.length + request.reporterCopy.length);
    const receivedOn = dayOf(this.clock.now());
    this.storage.cases.create({
      id: request.caseId,
      bodyId: request.bodyId,
      authPublicKey: request.authPublicKey,
      replyPublicKey: request.replyPublicKey,
      receivedOn,
      objects: [
        { kind: 'report', ciphertext: request.report },
        { kind: 'reporter-copy', ciphertext: request.reporterCopy },
      ],
    });
    return { created: true, receivedOn };
  }

  private isSameCreation(existing: CaseRecord, request: CreateCaseInput): boolean {
    const report = this.storage.cases.findObject(existing.id, 1, ['report']);
    return (
      existing.bodyId === request.bodyId &&
      constantTimeEqual(existing.authPublicKey, request.authPublicKey) &&
      constantTimeEqual(existing.replyPublicKey, request.replyPublicKey) &&
      report !== undefined &&
      constantTimeEqual(report.ciphertext, request.report)
    );
  }

  findCase(caseId: CaseId | string): CaseRecord | undefined {
    return this.storage.cases.find(caseId);
  }

  /** One page of the case's status: the same fields on every page, and the objects after `after`. */
  status(caseRecord: CaseRecord, after: number): StatusPageContent {
    const entries = this.storage.cases.objectIndex(caseRecord.id, REPORTER_OBJECT_KINDS, { after, limit: STATUS_PAGE_OBJECTS + 1 });
    const objects = entries.slice(0, STATUS_PAGE_OBJECTS);
    return {
      bodyId: caseRecord.bodyId,
      status: caseRecord.status,
      outcome: caseRecord.status === 'closed' ? caseRecord.outcome : null,
      receivedOn: caseRecord.receivedOn,
      acknowledgeDueOn: acknowledgeDueOn(caseRecord.receivedOn),
      acknowledgedOn: caseRecord.acknowledgedOn,
      feedbackDueOn: feedbackDueOn(caseRecord.receivedOn, caseRecord.acknowledgedOn),
      feedbackOn: caseRecord.feedbackOn,
      closedOn: caseRecord.closedOn,
      objects,
      nextAfter: entries.length > STATUS_PAGE_OBJECTS ? (objects.at(-1)?.seq ?? null) : null,
    };
  }

  /** A reply or reporter copy of the case; the reporter's other objects are for investigators only. */
  readObject(caseRecord: CaseRecord, seq: number): Uint8Array {
    const object = this.storage.cases.findObject(caseRecord.id, seq, REPORTER_OBJECT_KINDS);
    if (object === undefined) throw new AppError('not-found', 'There is no such message in this case.');
    return object.ciphertext;
  }

  addFollowup(caseRecord: CaseRecord, message: Uint8Array, reporterCopy: Uint8Array | undefined): number {
    const adding = message.length + (reporterCopy?.length ?? 0);
    const { count, bytes } = this.storage.cases.followupUsage(caseRecord.id);
    const { followupsPerCase, followupBytesPerCase } = this.config.limits;
    if (count >= followupsPerCase || bytes + adding > followupBytesPerCase) {
      throw new AppError('limit-reached', 'This case cannot take more follow-ups.', { details: [`followups: at most ${followupsPerCase} and ${followupBytesPerCase} bytes per case`] });
    }
    this.checkCaseBytes(caseRecord.id, adding);
    this.checkIntakeBudgets(adding);
    const today = dayOf(this.clock.now());
    return this.storage.transaction(() => {
      const messageSeq = this.storage.cases.addObject(caseRecord.id, 'followup', message, today);
      if (reporterCopy !== undefined) this.storage.cases.addObject(caseRecord.id, 'reporter-copy', reporterCopy, today);
      return messageSeq;
    });
  }

  private checkCaseBytes(caseId: string, adding: number): void {
    if (this.storage.cases.storedBytes(caseId) + adding > this.config.limits.caseBytes) {
      throw new AppError('limit-reached', 'This case has reached its storage limit.');
    }
  }

  /** The storage budget of the whole intake, for every write a reporter causes. */
  private checkTotalBudget(adding: number): void {
    if (this.storage.usage.totalBytes() + this.piecesInFlight + adding > this.config.budgets.totalBytes) throw storageFull();
  }

  /**
   * Follow-ups and files also count against the day's intake budget. New reports do not: a report
   * costs work, and a reporter must always get one through; files can follow with the token.
   */
  private checkIntakeBudgets(adding: number): void {
    this.checkTotalBudget(adding);
    if (this.storage.usage.intakeBytesOn(dayOf(this.clock.now())) + this.piecesInFlight + adding > this.config.budgets.dailyIntakeBytes) {
      throw new AppError('storage-full', 'The intake has taken in all it can for today. Nothing was stored; send it again after 00:00 UTC.', { details: ['daily-budget'] });
    }
  }

  /**
   * Starts an upload, or reports the progress of the same upload started before (a resume). The
   * declared size must fit the case and the budgets, but reserves nothing: bytes count as they arrive.
   */
  async startUpload(caseRecord: CaseRecord, uploadId: string, size: number): Promise<UploadProgressAnswer> {
    const existing = this.storage.attachments.findUpload(uploadId);
    if (existing !== undefined) {
      if (existing.caseId !== caseRecord.id || existing.declaredSize !== size) throw new AppError('conflict', 'This upload id is taken.');
      return { received: await this.storage.blobs.received(uploadId), size };
    }
    if (this.storage.attachments.findAttachment(uploadId) !== undefined) throw new AppError('conflict', 'This upload is already complete.');
    if (size > this.config.limits.attachmentBytes) throw new AppError('payload-too-large', 'The file is larger than this intake accepts.');
    if (this.storage.attachments.countFor(caseRecord.id) >= this.config.limits.attachmentsPerCase) {
      throw new AppError('limit-reached', 'This case cannot take more attachments.');
    }
    this.checkCaseBytes(caseRecord.id, size);
    this.checkIntakeBudgets(size);
    this.storage.attachments.startUpload({ id: uploadId, caseId: caseRecord.id, declaredSize: size, startedOn: dayOf(this.clock.now()) });
    return { received: 0, size };
  }

  private uploadOf(caseRecord: CaseRecord, uploadId: string) {
    const upload = this.storage.attachments.findUpload(uploadId);
    if (upload === undefined || upload.caseId !== caseRecord.id) throw new AppError('not-found', 'There is no such upload in this case.');
    return upload;
  }

  async uploadProgress(caseRecord: CaseRecord, uploadId: string): Promise<UploadProgressAnswer> {
    const upload = this.uploadOf(caseRecord, uploadId);
    return { received: await this.storage.blobs.received(uploadId), size: upload.declaredSize };
  }

  /**
   * Streams one piece into the upload. Its length and SHA-256 were declared in the signed headers,
   * so the request was authenticated before any of its body was read; the piece is kept only if
   * what arrived matches them.
   */
  async appendToUpload(
    caseRecord: CaseRecord,
    uploadId: string,
    piece: { readonly offset: number; readonly length: number; readonly sha256: Uint8Array; readonly bytes: AsyncIterable<Uint8Array> },
  ): Promise<UploadPieceAnswer> {
    const upload = this.uploadOf(caseRecord, uploadId);
    if (piece.offset + piece.length > upload.declaredSize) throw new AppError('payload-too-large', 'This piece goes beyond the declared size.');
    // Reserved while it streams, so that pieces arriving at once cannot together overshoot a budget.
    this.checkIntakeBudgets(piece.length);
    this.piecesInFlight += piece.length;
    let result: AppendResult;
    try {
      result = await this.storage.blobs.appendStream(uploadId, piece);
    } finally {
      this.piecesInFlight -= piece.length;
    }
    // Budgets count what arrived, broken-off pieces included, so that declaring a large upload, or
    // cutting pieces off, uses up nothing unseen.
    if (result.outcome === 'appended' || result.outcome === 'interrupted') {
      this.storage.attachments.recordReceived(uploadId, result.received, dayOf(this.clock.now()));
    }
    if (result.outcome === 'interrupted') throw result.cause;
    if (result.outcome === 'gap') {
      throw new AppError('conflict', 'This piece starts after the bytes received so far.', { details: [`received: ${result.received}`] });
    }
    if (result.outcome === 'mismatch') throw new AppError('bad-request', 'The piece did not arrive as signed (length or SHA-256). Nothing of it was kept; send it again.');
    return { received: result.received };
  }

  /**
   * Checks and stores a finished upload; repeating it after success, or at the same time, answers
   * the same: completions of one upload run one after another, and a later one finds the first's result.
   */
  async completeUpload(caseRecord: CaseRecord, uploadId: string, named: CompletionDigest, exactSize?: number): Promise<UploadCompleteAnswer> {
    return this.completions.run(uploadId, async () => {
      const done = this.storage.attachments.findAttachment(uploadId);
      if (done !== undefined && done.caseId === caseRecord.id && (await this.isSameAttachment(done, named))) return { id: done.id, size: done.size };
      const upload = this.uploadOf(caseRecord, uploadId);
      const size = exactSize ?? upload.declaredSize;
      if (size > upload.declaredSize) throw new AppError('bad-request', 'The upload is larger than declared at its start.');
      const finalized = await this.storage.blobs.finalize(uploadId, size, named);
      if (finalized.outcome === 'size-mismatch') throw new AppError('conflict', 'The upload is not complete yet.');
      if (finalized.outcome === 'hash-mismatch') {
        // The total follows (the discarded bytes are gone); the day's intake keeps them: they arrived.
        this.storage.attachments.resetReceived(uploadId);
        throw new AppError('conflict', 'The upload arrived damaged and was discarded. Upload the file again.');
      }
      // The row keeps the plain SHA-256 whichever digest the completion named: stored rows are as before.
      this.storage.attachments.completeUpload({ id: uploadId, caseId: caseRecord.id, size, sha256: finalized.digests.sha256, createdOn: dayOf(this.clock.now()) });
      this.rememberBlockDigest(uploadId, finalized.digests.blockSha256);
      return { id: uploadId, size };
    });
  }

  /**
   * Whether a finished attachment is the one a repeated completion names. The row has no block
   * digest, so it is remembered from the completion, or read from the file once (after a restart):
   * a reporter repeating a completion must not make the intake read a large file each time.
   */
  private async isSameAttachment(done: AttachmentRecord, named: CompletionDigest): Promise<boolean> {
    if ('sha256' in named) return done.sha256 === named.sha256;
    let blockSha256 = this.blockDigests.get(done.id);
    if (blockSha256 === undefined) {
      blockSha256 = (await this.storage.blobs.digestsOf(done.id)).blockSha256;
      this.rememberBlockDigest(done.id, blockSha256);
    }
    return blockSha256 === named.blockSha256;
  }

  private rememberBlockDigest(attachmentId: string, blockSha256: string): void {
    this.blockDigests.delete(attachmentId);
    this.blockDigests.set(attachmentId, blockSha256);
    // A Map iterates in insertion order: the first key is the one remembered longest.
    if (this.blockDigests.size > REMEMBERED_BLOCK_DIGESTS) this.blockDigests.delete(this.blockDigests.keys().next().value as string);
  }
}
