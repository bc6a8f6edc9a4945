/** How a case appears in the console's answers: workflow fields, deadlines and due markers. */
import { toBase64Url } from '../../crypto/index';
import { addDays, type Day } from '../clock';
import { acknowledgeDueOn, feedbackDueOn } from '../intake/deadlines';
import type { Storage } from '../storage/index';
import type { CaseRecord } from '../storage/cases-repository';

export const DUE_SOON_DAYS = 7;

/** The next deadline of an open case, if any: acknowledgment while received, then feedback until given. */
export function nextDueOn(record: CaseRecord): Day | null {
  if (record.status === 'received') return acknowledgeDueOn(record.receivedOn);
  if (record.status !== 'closed' && record.feedbackOn === null) return feedbackDueOn(record.receivedOn, record.acknowledgedOn);
  return null;
}

export function dueMarker(record: CaseRecord, today: Day): 'overdue' | 'soon' | null {
  const due = nextDueOn(record);
  if (due === null) return null;
  if (due < today) return 'overdue';
  return due <= addDays(today, DUE_SOON_DAYS) ? 'soon' : null;
}

export function caseSummary(storage: Storage, record: CaseRecord, labels: readonly string[], today: Day) {
  const assignee = record.assigneeId === null ? null : storage.accounts.find(record.assigneeId);
  return {
    id: record.id,
    bodyId: record.bodyId,
    receivedOn: record.receivedOn,
    status: record.status,
    outcome: record.outcome,
    priority: record.priority,
    assignee: assignee === undefined || assignee === null ? null : { id: assignee.id, username: assignee.username },
    labels,
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
