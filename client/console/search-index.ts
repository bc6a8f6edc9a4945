/**
 * Full-text search over the cases this browser has decrypted in this session. It lives only in the
 * tab's memory: nothing of it is sent or stored, and locking the keys clears it.
 */

export interface SearchHit {
  readonly caseId: string;
  /** A short passage of the original text around the first match. */
  readonly snippet: string;
  readonly matches: number;
}

interface IndexedCase {
  readonly original: string;
  readonly normalized: string;
  /** For each UTF-16 unit of `normalized`, the index in `original` of the character it came from. */
  readonly origin: readonly number[];
}

const SNIPPET_CONTEXT = 40;

/** Lower case without accents, so that "resume" finds "Résumé" and "STRASSE" finds "straße" written either way. */
export function normalizeForSearch(text: string): string {
  return normalizeWithOrigin(text).normalized;
}

function normalizeWithOrigin(text: string): { normalized: string; origin: number[] } {
  let normalized = '';
  const origin: number[] = [];
  let index = 0;
  for (const character of text) {
    const folded = character.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ß/g, 'ss');
    normalized += folded;
    for (let unit = 0; unit < folded.length; unit++) origin.push(index);
    index += character.length;
  }
  return { normalized, origin };
}

/** Words of the query, and "quoted phrases" as one term each; every term must match. */
export function queryTerms(query: string): string[] {
  const terms = [...query.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => normalizeForSearch((match[1] ?? match[2] ?? '').trim().replace(/\s+/g, ' ')));
  return [...new Set(terms.filter((term) => term !== ''))];
}

function countOf(haystack: string, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

function snippetAt(entry: IndexedCase, normalizedStart: number, normalizedLength: number): string {
  const start = entry.origin[normalizedStart] ?? 0;
  const endUnit = normalizedStart + normalizedLength - 1;
  const end = (entry.origin[endUnit] ?? start) + 1;
  const from = Math.max(0, start - SNIPPET_CONTEXT);
  const to = Math.min(entry.original.length, end + SNIPPET_CONTEXT);
  const passage = entry.original.slice(from, to).replace(/\s+/g, ' ').trim();
  return `${from > 0 ? '…' : ''}${passage}${to < entry.original.length ? '…' : ''}`;
}

export class SearchIndex {
  private readonly cases = new Map<string, IndexedCase>();

  /** Adds a case's decrypted texts, replacing what was indexed for it before. */
  set(caseId: string, texts: readonly string[]): void {
    const original = texts.join('\n\n');
    this.cases.set(caseId, { original, ...normalizeWithOrigin(original) });
  }

  has(caseId: string): boolean {
    return this.cases.has(caseId);
  }

  get size(): number {
    return this.cases.size;
  }

  clear(): void {
    this.cases.clear();
  }

  /** Cases that contain every term, most matches first; an empty query finds nothing. */
  search(query: string): SearchHit[] {
    const terms = queryTerms(query);
    if (terms.length === 0) return [];
    const hits: SearchHit[] = [];
    for (const [caseId, entry] of this.cases) {
      const counts = terms.map((term) => countOf(entry.normalized, term));
      if (counts.some((count) => count === 0)) continue;
      const first = terms[0] as string;
      hits.push({ caseId, snippet: snippetAt(entry, entry.normalized.indexOf(first), first.length), matches: counts.reduce((sum, count) => sum + count, 0) });
    }
    // Array.prototype.sort is stable: equal counts keep the order in which cases were decrypted.
    return hits.sort((a, b) => b.matches - a.matches);
  }
}
