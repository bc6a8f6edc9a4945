/**
 * Cases with fixed workflow days written straight into storage, for tests of what is computed from
 * workflow data (statistics): hundreds of cases without submitting each through the API.
 */
import { createHash } from 'node:crypto';
import type { Day } from '../../server/clock';
import type { Storage } from '../../server/storage/index';

export interface WorkflowDays {
  readonly receivedOn: string;
  readonly acknowledgedOn?: string;
  readonly feedbackOn?: string;
  readonly closedOn?: string;
  readonly outcome?: string;
}

let seeded = 0;

/** Inserts the cases (no ciphertext: statistics never read it) with the status their days imply. */
export function seedWorkflowCases(storage: Storage, bodyId: string, cases: readonly WorkflowDays[]): void {
  const setWorkflow = storage.db.prepare(
    'UPDATE cases SET status = ?, acknowledged_on = ?, feedback_on = ?, closed_on = ?, outcome = ? WHERE id = ?',
  );
  storage.db.transaction(() => {
    for (const days of cases) {
      seeded += 1;
      const id = createHash('sha256').update(`seeded case ${seeded}`).digest('hex');
      storage.cases.create({ id, bodyId, authPublicKey: new Uint8Array(32), replyPublicKey: new Uint8Array(32), receivedOn: days.receivedOn as Day, objects: [] });
      const status = days.closedOn !== undefined ? 'closed' : days.acknowledgedOn !== undefined ? 'acknowledged' : 'received';
      setWorkflow.run(status, days.acknowledgedOn ?? null, days.feedbackOn ?? null, days.closedOn ?? null, days.outcome ?? null, id);
    }
  })();
}

/** `count` cases received in `month` (`YYYY-MM`), one a day from the 1st, each shaped by `shape(receivedOn)`. */
export function casesReceivedIn(month: string, count: number, shape: (receivedOn: Day) => Omit<WorkflowDays, 'receivedOn'> = () => ({})): WorkflowDays[] {
  return Array.from({ length: count }, (_, index) => {
    const receivedOn = `${month}-${String((index % 28) + 1).padStart(2, '0')}` as Day;
    return { receivedOn, ...shape(receivedOn) };
  });
}
