/** The cases of the investigator's bodies: filters, keyset paging, deadlines, and search over what was decrypted. */
import { useEffect, useState } from 'preact/hooks';
import { fetchCase, fetchCaseObject, listCases } from '../api/cases-api';
import { CASE_PRIORITIES, CASE_STATUSES } from '../../../protocol/case-workflow';
import type { CaseSummary, SessionAccount, UnreachableBody } from '../../../protocol/console-api/index';
import { DueMarker, shortCaseId, statusText } from '../case/markers';
import { isFiltered, NO_FILTERS, type CaseFilters } from '../case-query';
import type { SearchHit } from '../search-index';
import { t, type StringKey } from '../strings';
import { ErrorMessage } from '../ui/error-message';
import { PageHeading } from '../ui/page-heading';
import { useServices } from '../ui/services';
import { SubmitActions } from '../ui/submit-actions';
import { useAction } from '../ui/use-action';

export interface CaseListState {
  readonly filters: CaseFilters;
  readonly cases: readonly CaseSummary[];
  readonly nextCursor: string | null;
  /** The account's bodies whose cases it does not reach, and why (a key not yet in the signed directory). */
  readonly unreachableBodies: readonly UnreachableBody[];
  readonly loaded: boolean;
}

export const INITIAL_CASE_LIST: CaseListState = { filters: NO_FILTERS, cases: [], nextCursor: null, unreachableBodies: [], loaded: false };

function FilterSelect(props: { id: string; label: StringKey; value: string; options: readonly (readonly [string, string])[]; onChange: (value: string) => void }) {
  return (
    <div>
      <label for={props.id}>{t(props.label)}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">{t('filters.any')}</option>
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

function SearchPanel(props: { cases: readonly CaseSummary[]; onOpen: (caseId: string) => void }) {
  const { http, keyring, decrypted } = useServices();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<readonly SearchHit[] | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const action = useAction();
  const undecrypted = props.cases.filter((summary) => !decrypted.has(summary.id));

  const search = (event: Event) => {
    event.preventDefault();
    setHits(decrypted.index.search(query));
  };
  // Each case is fetched as when it is opened (and audited as viewed): the server cannot search ciphertext.
  const decryptListed = () =>
    void action.run(async () => {
      for (const [index, summary] of undecrypted.entries()) {
        setProgress(t('search.decrypting', { done: index, total: undecrypted.length }));
        // Only the texts are searched here: who wrote each is checked when the case is opened.
        await decrypted.read(await fetchCase(http, summary.id), keyring.keys, (seq) => fetchCaseObject(http, summary.id, seq), null);
      }
      setProgress(t('search.decrypted', { count: undecrypted.length }));
      if (query.trim() !== '') setHits(decrypted.index.search(query));
    });

  return (
    <section aria-labelledby="search-heading" class="panel">
      <h2 id="search-heading">{t('search.heading')}</h2>
      <p class="help">{t('search.explain', { count: decrypted.count })}</p>
      <form onSubmit={search} role="search" class="inline-form">
        <label for="search-query">{t('search.label')}</label>
        <input id="search-query" type="search" autocomplete="off" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        <button type="submit">{t('search.submit')}</button>
      </form>
      {undecrypted.length > 0 && (
        <div class="actions">
          <button type="button" disabled={action.busy} onClick={decryptListed}>
            {t('search.decryptListed', { count: undecrypted.length })}
          </button>
        </div>
      )}
      {progress && <p role="status">{progress}</p>}
      <ErrorMessage error={action.error} />
      {hits !== null &&
        (hits.length === 0 ? (
          <p role="status">{t('search.none')}</p>
        ) : (
          <ol class="hits" data-testid="search-hits" aria-label={t('search.results', { count: hits.length })}>
            {hits.map((hit) => (
              <li key={hit.caseId}>
                <button type="button" class="link" onClick={() => props.onOpen(hit.caseId)}>
                  {t('cases.caseName', { id: shortCaseId(hit.caseId) })}
                </button>
                <p class="snippet">{hit.snippet}</p>
              </li>
            ))}
          </ol>
        ))}
    </section>
  );
}

export function CaseList(props: { account: SessionAccount; state: CaseListState; onState: (state: CaseListState) => void; onOpen: (caseId: string) => void }) {
  const { http } = useServices();
  const [filters, setFilters] = useState<CaseFilters>(props.state.filters);
  const action = useAction();
  const { state } = props;

  const load = (chosen: CaseFilters, more: boolean) =>
    void action.run(async () => {
      const page = await listCases(http, chosen, more ? state.nextCursor : null);
      props.onState({ filters: chosen, cases: more ? [...state.cases, ...page.cases] : page.cases, nextCursor: page.nextCursor, unreachableBodies: page.unreachableBodies, loaded: true });
    });

  useEffect(() => {
    if (!state.loaded) load(state.filters, false);
  }, []);

  const set = (name: keyof CaseFilters) => (value: string) => setFilters({ ...filters, [name]: value });
  const apply = (event: Event) => {
    event.preventDefault();
    load(filters, false);
  };
  const clear = () => {
    setFilters(NO_FILTERS);
    load(NO_FILTERS, false);
  };
  const bodyName = (bodyId: string) => props.account.bodies.find((body) => body.id === bodyId)?.name ?? bodyId;

  return (
    <section aria-labelledby="cases-heading">
      <PageHeading id="cases-heading" title={t('cases.heading')} />
      <form onSubmit={apply} aria-label={t('filters.heading')} class="filters">
        {props.account.bodies.length > 1 && <FilterSelect id="filter-body" label="filters.body" value={filters.body} options={props.account.bodies.map((body) => [body.id, body.name] as const)} onChange={set('body')} />}
        <FilterSelect id="filter-status" label="filters.status" value={filters.status} options={CASE_STATUSES.map((status) => [status, t(`status.${status}`)] as const)} onChange={set('status')} />
        <FilterSelect id="filter-priority" label="filters.priority" value={filters.priority} options={CASE_PRIORITIES.map((priority) => [priority, t(`priority.${priority}`)] as const)} onChange={set('priority')} />
        <FilterSelect id="filter-assignee" label="filters.assignee" value={filters.assignee} options={[['me', t('filters.me')], ['none', t('filters.nobody')]]} onChange={set('assignee')} />
        <FilterSelect id="filter-due" label="filters.due" value={filters.due} options={[['overdue', t('filters.overdue')], ['soon', t('filters.soon')]]} onChange={set('due')} />
        <div>
          <label for="filter-label">{t('filters.label')}</label>
          <input id="filter-label" autocomplete="off" value={filters.label} onInput={(e) => set('label')(e.currentTarget.value)} />
        </div>
        <SubmitActions label={t('filters.apply')} disabled={action.busy}>
          <button type="button" disabled={action.busy} onClick={clear}>
            {t('filters.clear')}
          </button>
        </SubmitActions>
      </form>
      <ErrorMessage error={action.error} />
      {state.unreachableBodies.length > 0 && (
        <div role="status" data-testid="unreachable-bodies">
          {state.unreachableBodies.map(({ bodyId, reason }) => (
            <p key={bodyId}>{t(`cases.unreachable.${reason}`, { body: bodyName(bodyId) })}</p>
          ))}
        </div>
      )}
      {state.loaded && state.cases.length === 0 && <p role="status">{isFiltered(state.filters) ? t('cases.noneMatch') : t('cases.none')}</p>}
      {state.cases.length > 0 && (
        <table class="cases" data-testid="case-table">
          <caption class="visually-hidden">{t('cases.caption', { count: state.cases.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('cases.case')}</th>
              <th scope="col">{t('cases.received')}</th>
              {props.account.bodies.length > 1 && <th scope="col">{t('cases.body')}</th>}
              <th scope="col">{t('cases.status')}</th>
              <th scope="col">{t('cases.priority')}</th>
              <th scope="col">{t('cases.assignee')}</th>
              <th scope="col">{t('cases.labels')}</th>
              <th scope="col">{t('cases.deadline')}</th>
            </tr>
          </thead>
          <tbody>
            {state.cases.map((summary) => (
              <tr key={summary.id}>
                <th scope="row">
                  <button type="button" class="link" onClick={() => props.onOpen(summary.id)}>
                    {t('cases.caseName', { id: shortCaseId(summary.id) })}
                  </button>
                </th>
                <td>{summary.receivedOn}</td>
                {props.account.bodies.length > 1 && <td>{bodyName(summary.bodyId)}</td>}
                <td>{statusText(summary)}</td>
                <td>{t(`priority.${summary.priority}`)}</td>
                <td>{summary.assignee?.username ?? t('cases.unassigned')}</td>
                <td>{summary.labels.join(', ')}</td>
                <td>
                  <DueMarker summary={summary} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {state.nextCursor !== null && (
        <div class="actions">
          <button type="button" disabled={action.busy} onClick={() => load(state.filters, true)}>
            {t('cases.more')}
          </button>
        </div>
      )}
      <SearchPanel cases={state.cases} onOpen={props.onOpen} />
    </section>
  );
}
