/**
 * What this tab has decrypted in this session, kept in memory only: each case's readable entries and
 * the search index over them. Objects never change once stored, so each is downloaded and decrypted
 * at most once; everything is dropped when the keys are locked.
 */
import type { DecryptionKey } from '../../crypto/index';
import type { CaseObjectInfo } from '../../protocol/console-api/index';
import { decryptCaseObjects, searchableTexts, type CaseEntry, type FetchCaseObject } from './case-crypto';
import { SearchIndex } from './search-index';

export class DecryptedCases {
  private readonly cases = new Map<string, Map<number, CaseEntry>>();
  readonly index = new SearchIndex();

  /** The case's entries, fetching and decrypting only the objects not read before (or that failed before). */
  async decrypt(detail: { readonly id: string; readonly objects: readonly CaseObjectInfo[] }, keys: readonly DecryptionKey[], fetchObject: FetchCaseObject): Promise<CaseEntry[]> {
    const known = this.cases.get(detail.id) ?? new Map<number, CaseEntry>();
    const missing = detail.objects.filter((object) => {
      const entry = known.get(object.seq);
      return entry === undefined || 'failure' in entry;
    });
    for (const entry of await decryptCaseObjects({ id: detail.id, objects: missing }, keys, fetchObject)) known.set(entry.seq, entry);
    this.cases.set(detail.id, known);
    const seqs = new Set(detail.objects.map((object) => object.seq));
    const entries = [...known.values()].filter((entry) => seqs.has(entry.seq)).sort((a, b) => a.seq - b.seq);
    this.index.set(detail.id, searchableTexts(entries));
    return entries;
  }

  has(caseId: string): boolean {
    return this.cases.has(caseId);
  }

  get count(): number {
    return this.cases.size;
  }

  clear(): void {
    this.cases.clear();
    this.index.clear();
  }
}
