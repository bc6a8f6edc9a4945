/**
 * What this tab has decrypted in this session, kept in memory only: each case's decrypted objects and
 * the search index over their texts. Objects never change once stored, so each is downloaded and
 * decrypted at most once; everything is dropped when the keys are locked.
 */
import type { DecryptionKey, RecipientKey } from '../../crypto/index';
import type { CaseObjectInfo } from '../../protocol/console-api/index';
import { decryptCaseObjects, type DecryptedObject, type FetchCaseObject } from './case-crypto';
import { readCaseEntries, searchableTexts, type CaseReading } from './case-reading';
import { SearchIndex } from './search-index';

export class DecryptedCases {
  private readonly cases = new Map<string, Map<number, DecryptedObject>>();
  readonly index = new SearchIndex();

  /**
   * The case read and authenticated, fetching and decrypting only the objects not decrypted before (or
   * that failed before). `recipients` are those of the body's verified directory, or null if none is
   * at hand (the case list's search): replies and notes are then `unchecked`. The reading is redone
   * each time, so that it always follows the directory given.
   */
  async read(detail: { readonly id: string; readonly objects: readonly CaseObjectInfo[] }, keys: readonly DecryptionKey[], fetchObject: FetchCaseObject, recipients: readonly RecipientKey[] | null): Promise<CaseReading> {
    const known = this.cases.get(detail.id) ?? new Map<number, DecryptedObject>();
    const missing = detail.objects.filter((object) => {
      const decrypted = known.get(object.seq);
      return decrypted === undefined || 'failure' in decrypted;
    });
    for (const decrypted of await decryptCaseObjects({ id: detail.id, objects: missing }, keys, fetchObject)) known.set(decrypted.seq, decrypted);
    this.cases.set(detail.id, known);
    const seqs = new Set(detail.objects.map((object) => object.seq));
    const objects = [...known.values()].filter((decrypted) => seqs.has(decrypted.seq)).sort((a, b) => a.seq - b.seq);
    const reading = await readCaseEntries(detail.id, objects, recipients);
    this.index.set(detail.id, searchableTexts(reading.entries));
    return reading;
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
