/** The case list's filters and how they become the query of `GET /api/v1/cases`. */
import type { CasePriority, CaseStatus } from '../../protocol/case-workflow';
import type { DueMarker } from '../../protocol/console-api/index';

/** Empty strings mean "any"; assignee is `me`, `none` or an account id. */
export interface CaseFilters {
  readonly body: string;
  readonly status: CaseStatus | '';
  readonly priority: CasePriority | '';
  readonly assignee: string;
  readonly label: string;
  readonly due: DueMarker | '';
}

export const NO_FILTERS: CaseFilters = { body: '', status: '', priority: '', assignee: '', label: '', due: '' };

export const CASE_PAGE_SIZE = 50;

/** The path and query for one page of cases: only the filters that are set, in a stable order. */
export function caseListPath(filters: CaseFilters, cursor: string | null = null, limit = CASE_PAGE_SIZE): string {
  const query = new URLSearchParams();
  for (const name of ['body', 'status', 'priority', 'assignee', 'label', 'due'] as const) {
    const value = filters[name].trim();
    if (value !== '') query.set(name, value);
  }
  if (cursor !== null) query.set('cursor', cursor);
  query.set('limit', String(limit));
  return `/api/v1/cases?${query.toString()}`;
}

/** True when any filter narrows the list, so the page can say why it may be empty. */
export function isFiltered(filters: CaseFilters): boolean {
  return Object.values(filters).some((value) => value.trim() !== '');
}
