/**
 * Deadlines of EU Directive 2019/1937, art. 9(1)(b) and (f): acknowledge within 7 days of receipt;
 * give feedback within 3 months of the acknowledgment or, without one, of the end of those 7 days.
 */
import { addDays, type Day } from '../clock';

export const ACKNOWLEDGE_WITHIN_DAYS = 7;
export const FEEDBACK_WITHIN_MONTHS = 3;

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
