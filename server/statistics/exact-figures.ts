/**
 * The exact figures of one period, counted from workflow days. They never leave the server as they
 * are: disclosure.ts turns them into what may be published.
 *
 * Every figure of a period depends only on what was recorded by its last day, so the figures of a
 * period that has ended do not change as later work is recorded (docs/statistics.md §Definitions).
 */
import { OUTCOMES, type Outcome } from '../../protocol/statistics';
import type { Day } from '../clock';
import { acknowledgeDueOn, feedbackDueOn } from '../domain/deadlines';
import { isWithin, type Period } from './periods';

/** The workflow fields of one case: days and the outcome. Nothing else about a case is read. */
export interface WorkflowRow {
  readonly bodyId: string;
  readonly receivedOn: Day;
  readonly acknowledgedOn: Day | null;
  readonly feedbackOn: Day | null;
  readonly closedOn: Day | null;
  readonly outcome: string | null;
}

export interface ExactFigures {
  readonly received: number;
  /** Reports whose 7-day acknowledgment deadline fell in the period, and how many were acknowledged by it. */
  readonly acknowledgmentsDue: number;
  readonly acknowledgedOnTime: number;
  /** Reports whose feedback deadline fell in the period, and how many had feedback by it. */
  readonly feedbackDue: number;
  readonly feedbackOnTime: number;
  readonly closed: Readonly<Record<Outcome, number>>;
  /** Days from receipt, for each acknowledgment made in the period. */
  readonly daysToAcknowledgment: readonly number[];
  /** Days from receipt, for each case closed in the period. */
  readonly daysToClosure: readonly number[];
  /** Cases received by the period's last day and not closed by it. */
  readonly openAtEnd: number;
}

const DAY_MS = 86_400_000;
const daysBetween = (from: Day, to: Day) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

function outcomeOf(recorded: string | null): Outcome {
  const known = OUTCOMES.find((outcome) => outcome !== 'other' && outcome === recorded);
  return known ?? 'other';
}

/** What was known on the period's last day: a later acknowledgment did not yet move the feedback deadline. */
function feedbackDeadlineAsOf(row: WorkflowRow, period: Period): Day {
  const acknowledged = row.acknowledgedOn !== null && row.acknowledgedOn <= period.end ? row.acknowledgedOn : null;
  return feedbackDueOn(row.receivedOn, acknowledged);
}

export function exactFigures(rows: readonly WorkflowRow[], period: Period): ExactFigures {
  let received = 0;
  let acknowledgmentsDue = 0;
  let acknowledgedOnTime = 0;
  let feedbackDue = 0;
  let feedbackOnTime = 0;
  let openAtEnd = 0;
  const closed: Record<Outcome, number> = { 'substantiated': 0, 'not-substantiated': 0, 'outside-scope': 0, 'referred': 0, 'other': 0 };
  const daysToAcknowledgment: number[] = [];
  const daysToClosure: number[] = [];

  for (const row of rows) {
    if (isWithin(row.receivedOn, period)) received++;

    const acknowledgeBy = acknowledgeDueOn(row.receivedOn);
    if (isWithin(acknowledgeBy, period)) {
      acknowledgmentsDue++;
      if (row.acknowledgedOn !== null && row.acknowledgedOn <= acknowledgeBy) acknowledgedOnTime++;
    }

    const feedbackBy = feedbackDeadlineAsOf(row, period);
    if (isWithin(feedbackBy, period)) {
      feedbackDue++;
      if (row.feedbackOn !== null && row.feedbackOn <= feedbackBy) feedbackOnTime++;
    }

    if (row.acknowledgedOn !== null && isWithin(row.acknowledgedOn, period)) daysToAcknowledgment.push(daysBetween(row.receivedOn, row.acknowledgedOn));

    if (row.closedOn !== null && isWithin(row.closedOn, period)) {
      closed[outcomeOf(row.outcome)]++;
      daysToClosure.push(daysBetween(row.receivedOn, row.closedOn));
    }

    if (row.receivedOn <= period.end && (row.closedOn === null || row.closedOn > period.end)) openAtEnd++;
  }

  return { received, acknowledgmentsDue, acknowledgedOnTime, feedbackDue, feedbackOnTime, closed, daysToAcknowledgment, daysToClosure, openAtEnd };
}
