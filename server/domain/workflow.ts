/**
 * The case workflow (EU Directive 2019/1937, ISO 37002): which status changes are allowed and which
 * dates they record. Pure: the console's case service applies what this returns.
 */
import type { Day } from '../clock';
import { AppError } from '../errors';
import type { ReplyPurpose } from '../../protocol/investigator-messages';
import { CASE_STATUSES, type CaseOutcome, type CaseRecord, type CaseStatus, type WorkflowChange } from '../storage/cases-repository';

export interface RequestedChange {
  readonly status?: CaseStatus | undefined;
  readonly outcome?: CaseOutcome | undefined;
  readonly priority?: CaseRecord['priority'] | undefined;
  readonly assigneeId?: string | null | undefined;
}

const rank = (status: CaseStatus) => CASE_STATUSES.indexOf(status);

/** Statuses move forward (steps may be skipped); a closed case may be reopened for assessment. */
export function planWorkflowChange(current: CaseRecord, requested: RequestedChange, today: Day): WorkflowChange {
  const change: { -readonly [K in keyof WorkflowChange]: WorkflowChange[K] } = {};
  if (requested.priority !== undefined) change.priority = requested.priority;
  if (requested.assigneeId !== undefined) change.assigneeId = requested.assigneeId;
  const target = requested.status ?? current.status;
  if (requested.outcome !== undefined && target !== 'closed') {
    throw new AppError('bad-request', 'An outcome is given only when the case is closed.', { details: ['outcome: only with status closed'] });
  }
  if (requested.status === undefined || requested.status === current.status) {
    // A closed case's outcome stays correctable, though that changes a published past period:
    // docs/statistics.md says why that is the lesser harm.
    if (requested.outcome !== undefined && current.status === 'closed') change.outcome = requested.outcome;
    return change;
  }
  const reopening = current.status === 'closed' && target === 'in-assessment';
  if (!reopening && rank(target) < rank(current.status)) {
    throw new AppError('conflict', `A case cannot go back from ${current.status} to ${target}.`, { details: [`status: ${current.status} → ${target} not allowed`] });
  }
  change.status = target;
  // No acknowledgment day from a status change: the reporter learns of nothing from it. Only a reply
  // declared the acknowledgment (or the feedback) records one (planReplyEffects), so that the console
  // and the reporter's page show the same day, and it is that reply (issue 17).
  if (target === 'closed') {
    if (requested.outcome === undefined) throw new AppError('bad-request', 'Closing a case needs an outcome.', { details: ['outcome: required to close'] });
    change.outcome = requested.outcome;
    change.closedOn = today;
  }
  if (reopening) {
    change.outcome = null;
    change.closedOn = null;
  }
  return change;
}

/**
 * What a reply changes, from the purpose its writer declared and nothing else: a plain message changes
 * nothing, however early it comes. The acknowledgment records the day of receipt's acknowledgment and
 * moves a `received` case on to `acknowledged`; the feedback records the day the reporter was told of
 * the action envisaged or taken, and, since it also tells them their report arrived, acknowledges a
 * case not yet acknowledged. The first day of each stands: a later acknowledgment or feedback is a
 * message on the record (audited) that moves no deadline.
 */
export function planReplyEffects(current: CaseRecord, purpose: ReplyPurpose | undefined, today: Day): WorkflowChange {
  if (purpose === undefined) return {};
  const change: { -readonly [K in keyof WorkflowChange]: WorkflowChange[K] } = {};
  if (current.acknowledgedOn === null) change.acknowledgedOn = today;
  if (current.status === 'received') change.status = 'acknowledged';
  if (purpose === 'feedback' && current.feedbackOn === null) change.feedbackOn = today;
  return change;
}
