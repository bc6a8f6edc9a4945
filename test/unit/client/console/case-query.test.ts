/** The case list's filters as the query of GET /api/v1/cases. */
import { describe, expect, it } from 'vitest';
import { CASE_PAGE_SIZE, caseListPath, isFiltered, NO_FILTERS } from '../../../../client/console/case-query';

describe('caseListPath', () => {
  it('when no filter is set, then only the page size is asked for', () => {
    expect(caseListPath(NO_FILTERS)).toBe(`/api/v1/cases?limit=${CASE_PAGE_SIZE}`);
  });

  it('when every filter is set, then each is sent once, in a stable order, before the cursor', () => {
    const path = caseListPath({ body: 'anti-fraud', status: 'in-assessment', priority: 'urgent', assignee: 'me', label: 'tender', due: 'overdue' }, '2026-11-20.ab', 20);
    expect(path).toBe('/api/v1/cases?body=anti-fraud&status=in-assessment&priority=urgent&assignee=me&label=tender&due=overdue&cursor=2026-11-20.ab&limit=20');
  });

  it('when a label has spaces and symbols, then it is encoded and trimmed', () => {
    const query = new URL(caseListPath({ ...NO_FILTERS, label: '  public works & roads ' }), 'http://localhost').searchParams;
    expect(query.get('label')).toBe('public works & roads');
  });

  it('when the assignee is "none", then it is sent as such, not dropped as empty', () => {
    expect(new URL(caseListPath({ ...NO_FILTERS, assignee: 'none' }), 'http://localhost').searchParams.get('assignee')).toBe('none');
  });
});

describe('isFiltered', () => {
  it('when only blanks are set, then the list is not filtered', () => {
    expect(isFiltered({ ...NO_FILTERS, label: '   ' })).toBe(false);
  });

  it('when one filter is set, then the list is filtered', () => {
    expect(isFiltered({ ...NO_FILTERS, due: 'soon' })).toBe(true);
  });
});
