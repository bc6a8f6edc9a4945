/**
 * Deleting one case before its retention ends (spam, a flood that fills the disk): its rows and
 * files, and every copy the database directory keeps, with an audit entry that names the case and
 * the reason, written in the transaction that deletes it.
 */
import type { Day } from '../clock';
import type { Storage } from '../storage/index';
import { caseRowDeleter, removeCaseFiles, scrubDeletedCases, type Scrubbed } from './case-removal';

export const DELETION_REASON_MAX = 200;

/** What an admin sees before deleting: sizes and days only, nothing of what the case says. */
export interface CaseSummary {
  readonly bodyId: string;
  readonly receivedOn: Day;
  readonly objects: number;
  readonly attachments: number;
  readonly uploads: number;
  /** Objects' ciphertext, attachments, and unfinished uploads at their declared size. */
  readonly bytes: number;
}

export interface DeleteCaseOptions {
  readonly storage: Storage;
  readonly caseId: string;
  /** Why, for the audit log; checked with deletionReason. */
  readonly reason: string;
  readonly now: Date;
  /** Who deletes, as the audit log names them. */
  readonly actor: string;
}

export type DeleteCaseResult = ({ readonly outcome: 'deleted'; readonly summary: CaseSummary } & Scrubbed) | { readonly outcome: 'not-found' };

/**
 * The reason as the audit log keeps it: one line of 1 to DELETION_REASON_MAX characters. Short on
 * purpose: the log outlives the case, so the reason should say "spam", not repeat what the case said.
 */
export function deletionReason(text: string): string {
  const reason = text.trim();
  if (reason.length === 0 || reason.length > DELETION_REASON_MAX || /\p{Cc}/u.test(reason)) {
    throw new RangeError(`The reason must be one line of 1 to ${DELETION_REASON_MAX} characters.`);
  }
  return reason;
}

export function describeCase(storage: Storage, caseId: string): CaseSummary | undefined {
  const record = storage.cases.find(caseId);
  if (record === undefined) return undefined;
  const count = (table: 'case_objects' | 'attachments' | 'uploads') =>
    storage.db.prepare(`SELECT count(*) FROM ${table} WHERE case_id = ?`).pluck().get(caseId) as number;
  return {
    bodyId: record.bodyId,
    receivedOn: record.receivedOn,
    objects: count('case_objects'),
    attachments: count('attachments'),
    uploads: count('uploads'),
    bytes: storage.cases.storedBytes(caseId),
  };
}

export async function deleteCase(options: DeleteCaseOptions): Promise<DeleteCaseResult> {
  const { storage, caseId, now, actor } = options;
  const reason = deletionReason(options.reason);
  const deleteRow = caseRowDeleter(storage);
  // IMMEDIATE: the intake may write to the case meanwhile, from another process; taking the write
  // lock first makes it wait for us instead of failing our commit. Counted inside, so the summary
  // is what went.
  const deleteRows = storage.db.transaction(() => {
    const summary = describeCase(storage, caseId);
    if (summary === undefined) return undefined;
    const files = deleteRow(caseId);
    // The case id stays in the log, as it does in every other entry about the case: without it, a
    // genuine report deleted as "spam" could not be told from a deleted spam case.
    storage.audit.append({ actor, action: 'case.deleted', bodyId: summary.bodyId, caseId, details: { reason } }, now);
    return { summary, files };
  });
  const deleted = deleteRows.immediate();
  if (deleted === undefined) return { outcome: 'not-found' };
  await removeCaseFiles(storage, deleted.files);
  const scrubbed = await scrubDeletedCases(storage, now, { vacuum: true });
  return { outcome: 'deleted', summary: deleted.summary, ...scrubbed };
}
