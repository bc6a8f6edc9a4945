/** The in-browser search over decrypted cases. */
import { describe, expect, it } from 'vitest';
import { normalizeForSearch, queryTerms, SearchIndex } from '../../../../client/console/search-index';

function indexOf(cases: Record<string, string[]>): SearchIndex {
  const index = new SearchIndex();
  for (const [caseId, texts] of Object.entries(cases)) index.set(caseId, texts);
  return index;
}

describe('normalizeForSearch', () => {
  it('when text has capitals, accents and ß, then they are folded', () => {
    expect(normalizeForSearch('Résumé STRAßE Ærø')).toBe('resume strasse ærø');
  });
});

describe('queryTerms', () => {
  it('when a query has words and a quoted phrase, then the phrase stays one term', () => {
    expect(queryTerms('Tender "City  Hall" tender')).toEqual(['tender', 'city hall']);
  });

  it('when a query is blank or empty quotes, then there is no term', () => {
    expect(queryTerms('  "" ')).toEqual([]);
  });
});

describe('SearchIndex', () => {
  const index = indexOf({
    a: ['The mayor signed the tender for the new bridge.', 'invoice.pdf'],
    b: ['A bribe was paid at the city hall. The bribe was in cash; another bribe followed.'],
    c: ['Die Baufirma zahlte Bestechungsgeld an den Bürgermeister.'],
  });

  it('when every term is in one case only, then only that case is found', () => {
    expect(index.search('mayor tender').map((hit) => hit.caseId)).toEqual(['a']);
  });

  it('when a term is missing from a case, then that case is not found', () => {
    expect(index.search('bribe bridge')).toEqual([]);
  });

  it('when cases match, then those with more matches come first', () => {
    const both = indexOf({ one: ['bribe once'], many: ['bribe, bribe and bribe'] });
    expect(both.search('bribe').map((hit) => [hit.caseId, hit.matches])).toEqual([
      ['many', 3],
      ['one', 1],
    ]);
  });

  it('when a search is typed without accents, then accented text is found and the snippet keeps the original', () => {
    const [hit] = index.search('burgermeister');
    expect(hit?.caseId).toBe('c');
    expect(hit?.snippet).toContain('Bürgermeister');
  });

  it('when a file name is searched, then the case with that file is found', () => {
    expect(index.search('invoice.pdf').map((hit) => hit.caseId)).toEqual(['a']);
  });

  it('when the match is deep in a long text, then the snippet is a short passage around it', () => {
    const long = indexOf({ x: [`${'word '.repeat(200)}NEEDLE${' word'.repeat(200)}`] });
    const [hit] = long.search('needle');
    expect(hit?.snippet).toMatch(/^….*NEEDLE.*…$/);
    expect(hit!.snippet.length).toBeLessThan(120);
  });

  it('when a case is indexed again, then its old text is no longer found', () => {
    const changing = indexOf({ x: ['first version'] });
    changing.set('x', ['second version']);
    expect(changing.search('first')).toEqual([]);
    expect(changing.search('second')).toHaveLength(1);
  });

  it('when the index is cleared, then nothing is found and it is empty', () => {
    const cleared = indexOf({ x: ['secret words'] });
    cleared.clear();
    expect(cleared.size).toBe(0);
    expect(cleared.search('secret')).toEqual([]);
  });
});
