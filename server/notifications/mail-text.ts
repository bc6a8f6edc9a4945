/**
 * The words of an alert. It names the body and counts cases per kind of news; it gives short case
 * ids only when the investigator allows, and never anything of a case's content or its reporter (the
 * server cannot read either). The subject is the same for every alert: it travels unencrypted.
 */
import type { Digest, DigestKind } from './digest';

export const ALERT_SUBJECT = 'Candor: news in your cases';

/** Enough of the case id to find the case in the console (the console's case list shows the same). */
export function shortCaseId(caseId: string): string {
  return caseId.slice(0, 8);
}

export interface AlertWording {
  readonly bodyName: (bodyId: string) => string;
  readonly showCaseIds: boolean;
  readonly daysBeforeDeadline: number;
}

function kindLine(kind: DigestKind, daysBefore: number): string {
  const within = daysBefore === 0 ? 'due today' : `due within ${daysBefore} day${daysBefore === 1 ? '' : 's'}`;
  switch (kind) {
    case 'new-case':
      return 'New cases';
    case 'followup':
      return 'Cases with new follow-ups from the reporter';
    case 'file':
      return 'Cases with new files from the reporter';
    case 'acknowledgment-soon':
      return `Cases whose acknowledgment is ${within}`;
    case 'acknowledgment-passed':
      return 'Cases whose acknowledgment deadline has passed';
    case 'feedback-soon':
      return `Cases whose feedback is ${within}`;
    case 'feedback-passed':
      return 'Cases whose feedback deadline has passed';
  }
}

const KIND_ORDER: readonly DigestKind[] = ['new-case', 'followup', 'file', 'acknowledgment-passed', 'acknowledgment-soon', 'feedback-passed', 'feedback-soon'];

/** The plain text of the alert. A new case's follow-ups and files in the same digest count as part of it. */
export function alertText(digest: Digest, wording: AlertWording): string {
  const bodies = [...new Set(digest.entries.map((entry) => entry.bodyId))].sort();
  const sections = bodies.map((bodyId) => {
    const entries = digest.entries.filter((entry) => entry.bodyId === bodyId);
    const newCases = new Set(entries.filter((entry) => entry.kind === 'new-case').map((entry) => entry.caseId));
    const lines = KIND_ORDER.flatMap((kind) => {
      const cases = [...new Set(entries.filter((entry) => entry.kind === kind && (kind === 'new-case' || !(newCases.has(entry.caseId) && (kind === 'followup' || kind === 'file')))).map((entry) => entry.caseId))];
      if (cases.length === 0) return [];
      const ids = wording.showCaseIds ? ` (${cases.map(shortCaseId).sort().join(', ')})` : '';
      return [`- ${kindLine(kind, wording.daysBeforeDeadline)}: ${cases.length}${ids}`];
    });
    return [`${wording.bodyName(bodyId)}:`, ...lines].join('\n');
  });
  return [
    'There is news in the cases of the bodies you work for, since the last alert.',
    '',
    ...sections.flatMap((section) => [section, '']),
    'Sign in to the review console to read it. Alerts never say what a case contains or who sent it.',
    'To change or stop these alerts: the Account page of the review console.',
    '',
  ].join('\n');
}
