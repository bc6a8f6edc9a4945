/**
 * The workflow rules the console offers, as docs/console-api.md states them: statuses move forward
 * (steps may be skipped), closing needs an outcome, a closed case may be reopened to assessment.
 * The server enforces them; the console only avoids offering what it would refuse.
 */
import { LABEL_PATTERN, MAX_LABELS } from '../../protocol/case-labels';
import { CASE_STATUSES, type CaseOutcome, type CasePriority, type CaseStatus } from '../../protocol/case-workflow';
import type { CaseSummary, WorkflowChangeRequest } from '../../protocol/console-api/index';

/** The statuses a case at `current` may move to, itself included (no change). */
export function reachableStatuses(current: CaseStatus): CaseStatus[] {
  if (current === 'closed') return ['closed', 'in-assessment'];
  return CASE_STATUSES.slice(CASE_STATUSES.indexOf(current));
}


export type LabelProblem = { readonly kind: 'invalid'; readonly label: string } | { readonly kind: 'too-many' };

/** Labels typed as a comma-separated list: trimmed, duplicates dropped, checked against the server's rule. */
export function parseLabels(text: string): { labels: string[]; problem: LabelProblem | null } {
  const labels = [...new Set(text.split(',').map((label) => label.trim().replace(/\s+/g, ' ')).filter((label) => label !== ''))];
  const invalid = labels.find((label) => !LABEL_PATTERN.test(label));
  if (invalid !== undefined) return { labels, problem: { kind: 'invalid', label: invalid } };
  if (labels.length > MAX_LABELS) return { labels, problem: { kind: 'too-many' } };
  return { labels, problem: null };
}

export interface WorkflowForm {
  readonly status: CaseStatus;
  readonly outcome: CaseOutcome | '';
  readonly priority: CasePriority;
  /** '' for nobody. */
  readonly assigneeId: string;
  readonly labels: readonly string[];
}

/** Only the summary of a case, without the object index and files a case answer also carries. */
export function summaryOf(detail: CaseSummary): CaseSummary {
  const { id, bodyId, receivedOn, status, outcome, priority, assignee, labels, acknowledgedOn, feedbackOn, closedOn, acknowledgeDueOn, feedbackDueOn, due, replyPublicKey } = detail;
  return { id, bodyId, receivedOn, status, outcome, priority, assignee, labels, acknowledgedOn, feedbackOn, closedOn, acknowledgeDueOn, feedbackDueOn, due, replyPublicKey };
}

export function workflowFormOf(summary: CaseSummary): WorkflowForm {
  return {
    status: summary.status,
    outcome: summary.outcome ?? '',
    priority: summary.priority,
    assigneeId: summary.assignee?.id ?? '',
    labels: summary.labels,
  };
}

export type WorkflowProblem = 'outcome-required' | 'status-not-allowed' | 'nothing-changed';

/** The PATCH body for what the form changed, or the reason it cannot be sent. */
export function workflowPatch(before: CaseSummary, form: WorkflowForm): { patch: WorkflowChangeRequest } | { problem: WorkflowProblem } {
  if (!reachableStatuses(before.status).includes(form.status)) return { problem: 'status-not-allowed' };
  const patch: WorkflowChangeRequest = {};
  if (form.status !== before.status) patch.status = form.status;
  if (form.status === 'closed') {
    if (form.outcome === '') return { problem: 'outcome-required' };
    if (form.outcome !== before.outcome || patch.status !== undefined) patch.outcome = form.outcome;
  }
  if (form.priority !== before.priority) patch.priority = form.priority;
  if (form.assigneeId !== (before.assignee?.id ?? '')) patch.assigneeId = form.assigneeId === '' ? null : form.assigneeId;
  const sameLabels = form.labels.length === before.labels.length && form.labels.every((label) => before.labels.includes(label));
  if (!sameLabels) patch.labels = [...form.labels];
  return Object.keys(patch).length === 0 ? { problem: 'nothing-changed' } : { patch };
}

export type DeadlineKind = 'acknowledge' | 'feedback';

export interface DeadlineMarker {
  readonly mark: 'overdue' | 'soon';
  readonly deadline: DeadlineKind;
  readonly day: string;
}

/**
 * Which deadline of EU Directive 2019/1937 the server's due mark is about: acknowledgment (7 days)
 * until the case is acknowledged, then feedback (3 months) until the reporter has had one.
 */
export function deadlineMarker(summary: CaseSummary): DeadlineMarker | null {
  if (summary.due === null) return null;
  if (summary.acknowledgedOn === null) return { mark: summary.due, deadline: 'acknowledge', day: summary.acknowledgeDueOn };
  return { mark: summary.due, deadline: 'feedback', day: summary.feedbackDueOn };
}
