/** Small pieces of a case shown in several places: its short name, status, deadline marker. */
import type { CaseSummary } from '../../../protocol/console-api/index';
import { t, type StringKey } from '../strings';
import { deadlineMarker } from '../workflow';

/** Enough of the case id to tell cases apart by eye; the full id is in the case view. */
export function shortCaseId(caseId: string): string {
  return caseId.slice(0, 8);
}

export function statusText(summary: Pick<CaseSummary, 'status' | 'outcome'>): string {
  const status = t(`status.${summary.status}` as StringKey);
  return summary.outcome === null ? status : `${status} (${t(`outcome.${summary.outcome}` as StringKey)})`;
}

export function DueMarker(props: { summary: CaseSummary }) {
  const marker = deadlineMarker(props.summary);
  if (marker === null) return null;
  const text = t(`due.${marker.mark}.${marker.deadline}` as StringKey, { day: marker.day });
  return <span class={`marker ${marker.mark}`}>{text}</span>;
}
