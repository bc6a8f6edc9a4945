/**
 * What the intake does, apart from HTTP: create cases, report their status to the token holder,
 * take follow-ups and resumable uploads. It sees only ciphertext, public keys and day-granular dates.
 */
import { checkProofOfWork, constantTimeEqual, type CaseId } from '../../crypto/index';
import { dayOf, type Clock } from '../clock';
import type { CandorConfig } from '../../config/schema';
import { AppError } from '../errors';
import { acceptsReports } from '../storage/bodies-repository';
import type { Storage } from '../storage/index';
import type { CaseObject, CaseRecord } from '../storage/cases-repository';
import type { ChallengeStore } from './challenge-store';
import { acknowledgeDueOn, feedbackDueOn } from './deadlines';

export const PROOF_OF_WORK_SCOPE = 'proof-of-work';

export interface NewCaseRequest {
  readonly bodyId: string;
  readonly caseId: string;
  readonly authPublicKey: Uint8Array;
  readonly replyPublicKey: Uint8Array;
  readonly report: Uint8Array;
  readonly reporterCopy: Uint8Array;
  readonly proofOfWork: { readonly challenge: string; readonly nonce: string };
}

export interface SealedItem {
  readonly seq: number;
  readonly createdOn: string;
  readonly sealed: Uint8Array;
}

export interface CaseStatusView {
  readonly bodyId: string;
  readonly status: string;
  readonly outcome: string | null;
  readonly receivedOn: string;
  readonly acknowledgeDueOn: string;
  readonly acknowledgedOn: string | null;
  readonly feedbackDueOn: string;
  readonly closedOn: string | null;
  readonly replies: readonly SealedItem[];
  readonly reporterCopies: readonly SealedItem[];
  readonly attachments: readonly { readonly id: string; readonly size: number }[];
}

const toSealed = (object: CaseObject): SealedItem => ({ seq: object.seq, createdOn: object.createdOn, sealed: object.ciphertext });

export class IntakeService {
  constructor(
    private readonly config: CandorConfig,
    private readonly storage: Storage,
    private readonly proofOfWorkChallenges: ChallengeStore,
    private readonly clock: Clock,
  ) {}

  issueProofOfWork(): { challenge: string; difficultyBits: number } {
    return { challenge: this.proofOfWorkChallenges.issue(PROOF_OF_WORK_SCOPE), difficultyBits: this.config.proofOfWork.difficultyBits };
  }

  /**
   * Creates a case, or confirms one already created by the same request (a retry after a dropped
   * connection): the client shows the token only once this has answered.
   */
  createCase(request: NewCaseRequest): { created: boolean; receivedOn: string } {
    const existing = this.storage.cases.find(request.caseId);
    if (existing !== undefined) {
      if (this.isSameCreation(existing, request)) return { created: false, receivedOn: existing.receivedOn };
      throw new AppError('conflict', 'A case with this id already exists.');
    }
    const { challenge, nonce } = request.proofOfWork;
    if (!this.proofOfWorkChallenges.consume(challenge, PROOF_OF_WORK_SCOPE) || !checkProofOfWork(challenge, nonce, this.config.proofOfWork.difficultyBits)) {
      throw new AppError('proof-of-work-required', 'The proof of work is missing, expired or wrong. Fetch a new challenge.');
    }
    const body = this.storage.bodies.find(request.bodyId);
    if (body === undefined || !acceptsReports(body)) throw new AppError('not-found', 'There is no such body, or it does not take reports yet.');
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

  private isSameCreation(existing: CaseRecord, request: NewCaseRequest): boolean {
    const [report] = this.storage.cases.objects(existing.id, ['report']);
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

  status(caseRecord: CaseRecord): CaseStatusView {
    return {
      bodyId: caseRecord.bodyId,
      status: caseRecord.status,
      outcome: caseRecord.status === 'closed' ? caseRecord.outcome : null,
      receivedOn: caseRecord.receivedOn,
      acknowledgeDueOn: acknowledgeDueOn(caseRecord.receivedOn),
      acknowledgedOn: caseRecord.acknowledgedOn,
      feedbackDueOn: feedbackDueOn(caseRecord.receivedOn, caseRecord.acknowledgedOn),
      closedOn: caseRecord.closedOn,
      replies: this.storage.cases.objects(caseRecord.id, ['reply']).map(toSealed),
      reporterCopies: this.storage.cases.objects(caseRecord.id, ['reporter-copy']).map(toSealed),
      attachments: this.storage.attachments.attachmentsOf(caseRecord.id).map(({ id, size }) => ({ id, size })),
    };
  }

  addFollowup(caseRecord: CaseRecord, message: Uint8Array, reporterCopy: Uint8Array | undefined): number {
    this.checkCaseBytes(caseRecord.id, message.length + (reporterCopy?.length ?? 0));
    const today = dayOf(this.clock.now());
    const seq = this.storage.db.transaction(() => {
      const messageSeq = this.storage.cases.addObject(caseRecord.id, 'followup', message, today);
      if (reporterCopy !== undefined) this.storage.cases.addObject(caseRecord.id, 'reporter-copy', reporterCopy, today);
      return messageSeq;
    })();
    return seq;
  }

  private checkCaseBytes(caseId: string, adding: number): void {
    if (this.storage.cases.storedBytes(caseId) + adding > this.config.limits.caseBytes) {
      throw new AppError('limit-reached', 'This case has reached its storage limit.');
    }
  }

  /** Starts an upload, or reports the progress of the same upload started before (a resume). */
  async startUpload(caseRecord: CaseRecord, uploadId: string, size: number): Promise<{ received: number; size: number }> {
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
    this.storage.attachments.startUpload({ id: uploadId, caseId: caseRecord.id, declaredSize: size, startedOn: dayOf(this.clock.now()) });
    return { received: 0, size };
  }

  private uploadOf(caseRecord: CaseRecord, uploadId: string) {
    const upload = this.storage.attachments.findUpload(uploadId);
    if (upload === undefined || upload.caseId !== caseRecord.id) throw new AppError('not-found', 'There is no such upload in this case.');
    return upload;
  }

  async uploadProgress(caseRecord: CaseRecord, uploadId: string): Promise<{ received: number; size: number }> {
    const upload = this.uploadOf(caseRecord, uploadId);
    return { received: await this.storage.blobs.received(uploadId), size: upload.declaredSize };
  }

  async appendToUpload(caseRecord: CaseRecord, uploadId: string, offset: number, bytes: Uint8Array): Promise<{ received: number }> {
    const upload = this.uploadOf(caseRecord, uploadId);
    if (offset + bytes.length > upload.declaredSize) throw new AppError('payload-too-large', 'This piece goes beyond the declared size.');
    const result = await this.storage.blobs.append(uploadId, offset, bytes);
    if (result.outcome === 'gap') {
      throw new AppError('conflict', 'This piece starts after the bytes received so far.', { details: [`received: ${result.received}`] });
    }
    return { received: result.received };
  }

  /** Checks and stores a finished upload; repeating it after success answers the same. */
  async completeUpload(caseRecord: CaseRecord, uploadId: string, sha256: string, exactSize?: number): Promise<{ id: string; size: number }> {
    const done = this.storage.attachments.findAttachment(uploadId);
    if (done !== undefined && done.caseId === caseRecord.id && done.sha256 === sha256) return { id: done.id, size: done.size };
    const upload = this.uploadOf(caseRecord, uploadId);
    const size = exactSize ?? upload.declaredSize;
    if (size > upload.declaredSize) throw new AppError('bad-request', 'The upload is larger than declared at its start.');
    const outcome = await this.storage.blobs.finalize(uploadId, size, sha256);
    if (outcome === 'size-mismatch') throw new AppError('conflict', 'The upload is not complete yet.');
    if (outcome === 'hash-mismatch') throw new AppError('conflict', 'The upload arrived damaged and was discarded. Upload the file again.');
    this.storage.attachments.completeUpload({ id: uploadId, caseId: caseRecord.id, size, sha256, createdOn: dayOf(this.clock.now()) });
    return { id: uploadId, size };
  }
}
