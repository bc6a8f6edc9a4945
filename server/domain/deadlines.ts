/**
 * Deadlines of EU Directive 2019/1937, art. 9(1)(b) and (f): acknowledge within 7 days of receipt;
 * give feedback within 3 months of the acknowledgment or, without one, of the end of those 7 days.
 * The intake, the console, the case list's SQL filters and the statistics all count with these.
 */
import { addDays, type Day } from '../clock';
import type { CaseStatus } from '../../protocol/case-workflow';

export const ACKNOWLEDGE_WITHIN_DAYS = 7;
export const FEEDBACK_WITHIN_MONTHS = 3;
/** A deadline this many days ahead or fewer is marked as due soon. */
export const DUE_SOON_DAYS = 7;

/** What a case's deadlines depend on. */
export interface CaseDeadlineFacts {
  readonly status: CaseStatus;
  readonly receivedOn: Day;
  readonly acknowledgedOn: Day | null;
  readonly feedbackOn: Day | null;
}

function addMonths(day: Day, months: number): Day {
  const date = new Date(`${day}T00:00:00Z`);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target.toISOString().slice(0, 10) as Day;
}

export function acknowledgeDueOn(receivedOn: Day): Day {
  return addDays(receivedOn, ACKNOWLEDGE_WITHIN_DAYS);
}

export function feedbackDueOn(receivedOn: Day, acknowledgedOn: Day | null): Day {
  return addMonths(acknowledgedOn ?? acknowledgeDueOn(receivedOn), FEEDBACK_WITHIN_MONTHS);
}

/** The next deadline of an open case, if any: acknowledgment until one is sent, then feedback until given. */
export function nextDueOn(facts: CaseDeadlineFacts): Day | null {
  if (facts.status === 'closed') return null;
  if (facts.acknowledgedOn === null && facts.feedbackOn === null) return acknowledgeDueOn(facts.receivedOn);
  if (facts.feedbackOn === null) return feedbackDueOn(facts.receivedOn, facts.acknowledgedOn);
  return null;
}

export function dueMarker(facts: CaseDeadlineFacts, today: Day): 'overdue' | 'soon' | null {
  const due = nextDueOn(facts);
  if (due === null) return null;
  if (due < today) return 'overdue';
  return due <= addDays(today, DUE_SOON_DAYS) ? 'soon' : null;
}
