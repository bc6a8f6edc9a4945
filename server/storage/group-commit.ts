/**
 * Group commit: writes that arrive while the database is committing share the next commit, so that
 * N requests pay for one fsync instead of N, and each is still durable before its caller goes on.
 * With synchronous=FULL a commit waits for the disk, and SQLite's waiting blocks the event loop:
 * one commit per case creation made the disk, not the server, the limit of case creation (issue 16).
 */
import type { Storage } from './index';

interface Pending {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

export class GroupCommit {
  private queue: Pending[] = [];

  constructor(private readonly storage: Pick<Storage, 'transaction'>) {}

  /**
   * Runs `work` (synchronous, as for Storage.transaction) in the next shared commit, in the order of
   * the calls, and settles once that commit is on disk. Each work is its own savepoint: one that
   * throws takes back its own writes only, and rejects with its error; the others see the writes of
   * those before them. A commit that fails rejects them all.
   */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      // After the I/O phase, so that every request the event loop took in this turn joins.
      if (this.queue.length === 1) setImmediate(() => this.commit());
    });
  }

  private commit(): void {
    const batch = this.queue;
    this.queue = [];
    let outcomes: Outcome[];
    try {
      outcomes = this.storage.transaction(
        () =>
          batch.map(({ work }): Outcome => {
            try {
              // Nested in the shared transaction, this is a savepoint.
              return { ok: true, value: this.storage.transaction(work) };
            } catch (error) {
              return { ok: false, error };
            }
          }),
        'immediate',
      );
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => {
      const { resolve, reject } = batch[i] as Pending;
      if (outcome.ok) resolve(outcome.value);
      else reject(outcome.error);
    });
  }
}
