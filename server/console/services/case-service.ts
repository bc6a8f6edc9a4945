/**
 * Cases for investigators of their own bodies: list, read ciphertext object by object, triage,
 * reply, note, export; and the export the operator makes at the command line. An investigator reaches
 * a body's cases only while their current key is listed in the body's offline-signed directory, so an
 * account an admin made (with a key of the admin's choosing) reaches nothing until the holder of the
 * directory key signs that key in (issue 15). A case out of reach is treated exactly like one that
 * does not exist. Every change is one transaction with its audit entries; the workflow rules are the
 * domain's (server/domain/workflow.ts).
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { readSignedDirectoryDocument, signedDirectorySchema, toBase64Url } from '../../../crypto/index';
import { dayOf, type Clock, type Day } from '../../clock';
import { acknowledgeDueOn, dueMarker, feedbackDueOn } from '../../domain/deadlines';
import { planReplyEffects, planWorkflowChange } from '../../domain/workflow';
import { AppError } from '../../errors';
import { exportRootName, writeCaseExport, writeCaseExportFile, type CaseExportSummary } from '../../operations/case-export';
import { OperationError } from '../../operations/operation-error';
import type { AccountRecord } from '../../storage/accounts-repository';
import type { AuditAction, AuditDetails, AuditEntry } from '../../storage/audit-log-repository';
import type { CaseRecord } from '../../storage/cases-repository';
import type { Storage } from '../../storage/index';
import type { CaseDetailAnswer, CaseListQuery, CasePageAnswer, CaseSummary, UnreachableBody, WorkflowChange } from '../../../protocol/console-api/cases';
import type { ReplyPurpose } from '../../../protocol/investigator-messages';
import { CASE_OUTCOMES, type CaseOutcome } from '../../../protocol/case-workflow';
import type { Actor } from './actor';
import { INVESTIGATOR_OBJECT_KINDS } from '../../domain/object-readers';

/** A reply: sealed to the reporter, and its copy for the body's investigators; its declared purpose, if any. */
export interface Reply {
  readonly sealed: Uint8Array;
  readonly copy: Uint8Array;
  readonly purpose?: ReplyPurpose | undefined;
}

/** An export on its way out: the audit entry is written; the archive is written to `writeTo`'s output. */
export interface PendingExport {
  /** The archive's file name. */
  readonly fileName: string;
  writeTo(output: NodeJS.WritableStream | Writable): Promise<CaseExportSummary>;
}

declare const reachable: unique symbol;

/**
 * A case the investigator may reach (of one of their bodies, whose signed directory lists their
 * current key): only `CaseService.reach` makes one, so the methods that take it check nothing twice.
 */
export interface ReachableCase {
  readonly investigator: AccountRecord;
  readonly record: CaseRecord;
  readonly [reachable]: true;
}

/** What investigators read; `reply` and `reporter-copy` are sealed to the reporter and stay out of reach here. */
const AUDIT_TRAIL_ENTRIES = 500;

/** The stored outcome; only the console writes it, always one of CASE_OUTCOMES, but the column is plain text. */
const outcomeOf = (stored: string | null): CaseOutcome | null => CASE_OUTCOMES.find((outcome) => outcome === stored) ?? null;

/**
 * The fingerprints a stored signed directory lists; none for the unsigned placeholder. The directory
 * was verified when it was imported (BodyService.importSignedDirectory), so its document is only decoded here.
 */
function listedFingerprints(signedDirectory: string): ReadonlySet<string> {
  const signed = signedDirectorySchema.safeParse(JSON.parse(signedDirectory));
  if (!signed.success) return new Set();
  return new Set(readSignedDirectoryDocument(signed.data).recipients.map((recipient) => recipient.fingerprint));
}

/** The investigator's bodies: those whose cases they reach, and the others with why not. */
interface BodyReach {
  readonly reachable: readonly string[];
  readonly unreachable: readonly UnreachableBody[];
}

export class CaseService {
  /** Each body's listed fingerprints, kept while its stored directory text is the same: not parsed per request. */
  private readonly listed = new Map<string, { readonly signedDirectory: string; readonly fingerprints: ReadonlySet<string> }>();

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  /**
   * One page of the cases of the bodies the investigator reaches, newest first, with the cursor of the
   * next page, and which of their bodies they do not reach and why (so the console says why a list is empty).
   */
  list(investigator: AccountRecord, query: CaseListQuery): CasePageAnswer {
    const { reachable, unreachable } = this.bodyReach(investigator);
    // A body out of reach is refused as one the investigator does not work for.
    if (query.body !== undefined && !reachable.includes(query.body)) throw new AppError('forbidden', 'You do not work for this body.', { details: ['body'] });
    const today = this.today();
    const [cursorDay, cursorId] = query.cursor?.split('.') ?? [];
    const records = this.storage.cases.list({
      bodyIds: query.body === undefined ? reachable : [query.body],
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.priority === undefined ? {} : { priority: query.priority }),
      ...(query.assignee === undefined ? {} : { assigneeId: query.assignee === 'me' ? investigator.id : query.assignee === 'none' ? null : query.assignee }),
      ...(query.label === undefined ? {} : { label: query.label }),
      ...(query.due === undefined ? {} : { due: { kind: query.due, today } }),
      ...(cursorDay === undefined || cursorId === undefined ? {} : { after: { receivedOn: cursorDay as Day, id: cursorId } }),
      limit: query.limit + 1,
    });
    const page = records.slice(0, query.limit);
    const labels = this.storage.cases.labelsOf(page.map((record) => record.id));
    const last = page.at(-1);
    return {
      cases: page.map((record) => this.summary(record, labels.get(record.id) ?? [], today)),
      nextCursor: records.length > query.limit && last !== undefined ? `${last.receivedOn}.${last.id}` : null,
      unreachableBodies: [...unreachable],
    };
  }

  /**
   * The case, if the investigator may reach it: of one of their bodies, whose signed directory lists
   * their current key. Any other case is answered exactly like one that does not exist.
   */
  reach(investigator: AccountRecord, caseId: string): ReachableCase {
    const record = this.storage.cases.find(caseId);
    if (record === undefined || !investigator.bodyIds.includes(record.bodyId) || this.whyUnreachable(investigator, record.bodyId) !== null) {
      throw new AppError('not-found', 'There is no such case.');
    }
    return { investigator, record } as ReachableCase;
  }

  /** Opens a case: its workflow, an index of its objects and attachments, its body's questions. Audited. */
  view(reached: ReachableCase): CaseDetailAnswer {
    const { record } = reached;
    this.audit(reached, 'case.viewed');
    return {
      ...this.summary(record, this.storage.cases.labels(record.id), this.today()),
      // An index only: each ciphertext is its own request, so no answer grows with the case (issue 13).
      objects: this.storage.cases.objectIndex(record.id, INVESTIGATOR_OBJECT_KINDS),
      attachments: this.storage.attachments.attachmentsOf(record.id).map(({ id, size, createdOn }) => ({ id, size, createdOn })),
    };
  }

  /** One object's ciphertext. Not audited per object: opening the case, which lists them, already wrote `case.viewed`. */
  objectOf(reached: ReachableCase, seq: number): Uint8Array {
    const object = this.storage.cases.findObject(reached.record.id, seq, INVESTIGATOR_OBJECT_KINDS);
    if (object === undefined) throw new AppError('not-found', 'There is no such object.');
    return object.ciphertext;
  }

  /**
   * An attachment's file, opened (so a missing file is still a clean error before anything is sent),
   * and audited. The caller streams it and closes the handle.
   */
  async openAttachment(reached: ReachableCase, attachmentId: string): Promise<{ readonly size: number; readonly file: FileHandle }> {
    const attachment = this.storage.attachments.findAttachment(attachmentId);
    if (attachment === undefined || attachment.caseId !== reached.record.id) throw new AppError('not-found', 'There is no such attachment.');
    const file = await open(this.storage.blobs.blobPath(attachment.id), 'r');
    this.audit(reached, 'case.attachment-downloaded', { attachment: attachment.id });
    return { size: attachment.size, file };
  }

  /** Triage: status (by the workflow rules), outcome, priority, assignee, labels; each change audited. Returns the case as it now is. */
  changeWorkflow(reached: ReachableCase, requested: WorkflowChange): CaseSummary {
    const { storage } = this;
    const { record } = reached;
    if (requested.assigneeId !== undefined && requested.assigneeId !== null) {
      // Only to someone who reaches the case: not to an account whose key the body's directory does not list.
      const candidates = storage.accounts.investigatorsOf(record.bodyId).filter((account) => this.whyUnreachable(account, record.bodyId) === null);
      if (!candidates.some((account) => account.id === requested.assigneeId)) {
        throw new AppError('bad-request', 'Cases are assigned to investigators of their own body who reach its cases.', { details: ['assigneeId: not an investigator of this body who reaches its cases'] });
      }
    }
    const change = planWorkflowChange(record, requested, this.today());
    const labels = requested.labels === undefined ? undefined : [...new Set(requested.labels.map((label) => label.trim()))].sort();
    const labelsBefore = new Set(storage.cases.labels(record.id));
    storage.transaction(() => {
      storage.cases.updateWorkflow(record.id, change, labels);
      const audit = (action: AuditAction, details: AuditDetails) => this.audit(reached, action, details);
      if (change.status !== undefined) audit('case.status-changed', { from: record.status, to: change.status, outcome: change.outcome ?? null });
      else if (change.outcome !== undefined) audit('case.status-changed', { from: record.status, to: record.status, outcome: change.outcome });
      if (change.priority !== undefined && change.priority !== record.priority) audit('case.priority-changed', { from: record.priority, to: change.priority });
      if (change.assigneeId !== undefined && change.assigneeId !== record.assigneeId) {
        audit('case.assigned', { to: change.assigneeId === null ? null : (storage.accounts.find(change.assigneeId)?.username ?? null) });
      }
      // Counts only: a label's text is the investigators' own words about a case, and the audit log is
      // read by every admin and outlives purges.
      if (labels !== undefined) {
        const added = labels.filter((label) => !labelsBefore.has(label)).length;
        audit('case.labels-changed', { added, removed: labelsBefore.size - (labels.length - added), labels: labels.length });
      }
    });
    const updated = storage.cases.find(record.id) ?? record;
    return this.summary(updated, storage.cases.labels(updated.id), this.today());
  }

  /**
   * Stores a reply and its copy, and what its declared purpose means for the directive's deadlines
   * (a plain message: nothing). Returns the reply's number.
   */
  reply(reached: ReachableCase, reply: Reply): number {
    const { storage } = this;
    const { record } = reached;
    const day = this.today();
    return storage.transaction(() => {
      const replySeq = storage.cases.addObject(record.id, 'reply', reply.sealed, day);
      storage.cases.addObject(record.id, 'reply-copy', reply.copy, day);
      const effects = planReplyEffects(record, reply.purpose, day);
      storage.cases.updateWorkflow(record.id, effects);
      // The reply's purpose and effects are deadline dates of the directive; the audit log alone must rebuild them.
      this.audit(reached, 'case.replied', {
        seq: replySeq,
        ...(reply.purpose === undefined ? {} : { purpose: reply.purpose }),
        ...(effects.acknowledgedOn === undefined ? {} : { acknowledgedOn: effects.acknowledgedOn }),
        ...(effects.feedbackOn === undefined ? {} : { feedbackOn: effects.feedbackOn }),
      });
      if (effects.status !== undefined && effects.status !== record.status) this.audit(reached, 'case.status-changed', { from: record.status, to: effects.status, outcome: null });
      return replySeq;
    });
  }

  /** Stores a note for the body's investigators. Returns its number. */
  addNote(reached: ReachableCase, message: Uint8Array): number {
    return this.storage.transaction(() => {
      const noteSeq = this.storage.cases.addObject(reached.record.id, 'note', message, this.today());
      this.audit(reached, 'case.note-added', { seq: noteSeq });
      return noteSeq;
    });
  }

  /** The case's export for an investigator (operations/case-export.ts), audited before it is written. */
  export(reached: ReachableCase): PendingExport {
    const { id } = reached.record;
    this.audit(reached, 'case.exported');
    return { fileName: `${exportRootName(id)}.tar`, writeTo: (output) => writeCaseExport(this.storage, id, output) };
  }

  /** The operator's export of any case to a new file; audited once written, with what it holds. */
  async exportToFile(caseId: string, path: string, actor: Actor): Promise<CaseExportSummary> {
    const record = this.storage.cases.find(caseId);
    if (record === undefined) throw new OperationError('case-not-found', 'There is no such case.');
    const summary = await writeCaseExportFile(this.storage, record.id, path);
    this.storage.audit.append(
      { actor: actor.username, action: 'case.exported', bodyId: record.bodyId, caseId: record.id, details: { files: summary.files, attachments: summary.attachments } },
      this.clock.now(),
    );
    return summary;
  }

  /** The case's audit entries (the latest 500). */
  auditTrail(reached: ReachableCase): AuditEntry[] {
    return this.storage.audit.list({ caseId: reached.record.id, limit: AUDIT_TRAIL_ENTRIES });
  }

  private bodyReach(investigator: AccountRecord): BodyReach {
    const reachable: string[] = [];
    const unreachable: UnreachableBody[] = [];
    for (const bodyId of investigator.bodyIds) {
      const reason = this.whyUnreachable(investigator, bodyId);
      if (reason === null) reachable.push(bodyId);
      else unreachable.push({ bodyId, reason });
    }
    return { reachable, unreachable };
  }

  /**
   * Null when the investigator's current key is listed in the body's stored signed directory. A new
   * key is out of reach until a directory listing it is signed and imported: it may be an attacker's.
   */
  private whyUnreachable(investigator: AccountRecord, bodyId: string): UnreachableBody['reason'] | null {
    const current = this.storage.investigatorKeys.list(investigator.id).find((key) => key.retiredOn === null);
    if (current === undefined) return 'no-key';
    return this.listedIn(bodyId).has(current.fingerprint) ? null : 'key-not-listed';
  }

  private listedIn(bodyId: string): ReadonlySet<string> {
    const signedDirectory = this.storage.bodies.find(bodyId)?.signedDirectory;
    if (signedDirectory === undefined) return new Set();
    const cached = this.listed.get(bodyId);
    if (cached?.signedDirectory === signedDirectory) return cached.fingerprints;
    const fingerprints = listedFingerprints(signedDirectory);
    this.listed.set(bodyId, { signedDirectory, fingerprints });
    return fingerprints;
  }

  private audit({ investigator, record }: ReachableCase, action: AuditAction, details?: AuditDetails): void {
    this.storage.audit.append({ actor: investigator.username, action, bodyId: record.bodyId, caseId: record.id, ...(details === undefined ? {} : { details }) }, this.clock.now());
  }

  private today(): Day {
    return dayOf(this.clock.now());
  }

  /** How a case appears in the console's answers: workflow fields, deadlines and due markers. */
  private summary(record: CaseRecord, labels: readonly string[], today: Day): CaseSummary {
    const assignee = record.assigneeId === null ? undefined : this.storage.accounts.find(record.assigneeId);
    return {
      id: record.id,
      bodyId: record.bodyId,
      receivedOn: record.receivedOn,
      status: record.status,
      outcome: outcomeOf(record.outcome),
      priority: record.priority,
      assignee: assignee === undefined ? null : { id: assignee.id, username: assignee.username },
      labels: [...labels],
      acknowledgedOn: record.acknowledgedOn,
      feedbackOn: record.feedbackOn,
      closedOn: record.closedOn,
      acknowledgeDueOn: acknowledgeDueOn(record.receivedOn),
      feedbackDueOn: feedbackDueOn(record.receivedOn, record.acknowledgedOn),
      due: dueMarker(record, today),
      /** What replies are sealed to (docs/protocol.md §10). */
      replyPublicKey: toBase64Url(record.replyPublicKey),
    };
  }
}
