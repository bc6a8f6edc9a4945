/**
 * The console-list suite: how fast an investigator's case list answers with 10 000 cases in the
 * database, unfiltered, with each filter, and deep into the pages (keyset paging).
 */
import { randomBytes } from 'node:crypto';
import { addDays, type Day } from '../../server/clock';
import { CASE_PRIORITIES, CASE_STATUSES } from '../../server/storage/cases-repository';
import { startTestConsole } from '../helpers/console';
import { TEST_BODY_ID } from '../helpers/intake';
import { measure, type BenchCheck, type BenchRow, type BenchSuite } from './suite';

const CASES = 10_000;
const ITERATIONS = 50;
/** An investigator clicking a filter should not wait: well under a frame of human patience. */
const LATENCY_BOUND_MS = 50;

export const consoleListSuite: BenchSuite = {
  name: 'console-list',
  async run(progress) {
    const site = await startTestConsole({ start: new Date('2026-11-22T09:00:00Z') });
    try {
      const { storage } = site.intake;
      const investigators = await Promise.all(['ana', 'ben', 'cy'].map((name) => site.account(name, 'investigator')));
      progress(`inserting ${CASES} cases`);
      const ids: string[] = [];
      storage.db.transaction(() => {
        for (let i = 0; i < CASES; i += 1) {
          const id = randomBytes(32).toString('hex');
          ids.push(id);
          const receivedOn = addDays('2026-11-21' as Day, -Math.floor(i / 10));
          storage.cases.create({ id, bodyId: TEST_BODY_ID, authPublicKey: randomBytes(32), replyPublicKey: randomBytes(32), receivedOn, objects: [{ kind: 'report', ciphertext: randomBytes(4200) }] });
          const status = CASE_STATUSES[i % CASE_STATUSES.length]!;
          storage.cases.updateWorkflow(
            id,
            {
              status,
              priority: CASE_PRIORITIES[i % CASE_PRIORITIES.length]!,
              assigneeId: investigators[i % 4]?.id ?? null,
              ...(status === 'received' ? {} : { acknowledgedOn: addDays(receivedOn, 3) }),
              ...(status === 'closed' ? { outcome: 'referred', closedOn: addDays(receivedOn, 60) } : {}),
            },
            i % 7 === 0 ? ['procurement'] : [],
          );
        }
      })();
      const session = await site.signIn(investigators[0]!);
      const list = async (query: string) => {
        const response = await session.get(`/api/v1/cases?${query}`);
        if (response.status !== 200) throw new Error(`list ${query}: ${response.status}`);
        return response.body as { nextCursor: string | null };
      };
      // The cursor of page 100 of 50, to time a page deep in the list.
      let deepCursor: string | null = null;
      for (let page = 0; page < 100; page += 1) deepCursor = (await list(`limit=50${deepCursor === null ? '' : `&cursor=${deepCursor}`}`)).nextCursor;
      const queries: [string, string][] = [
        ['first page, no filter', 'limit=50'],
        ['status=in-assessment', 'status=in-assessment&limit=50'],
        ['label=procurement', 'label=procurement&limit=50'],
        ['assignee=me', 'assignee=me&limit=50'],
        ['due=overdue', 'due=overdue&limit=50'],
        ['priority=urgent & status=received', 'priority=urgent&status=received&limit=50'],
        ['page 101 (cursor)', `limit=50&cursor=${deepCursor}`],
      ];
      const rows: BenchRow[] = [];
      for (const [operation, query] of queries) {
        progress(operation);
        rows.push(await measure({ operation: `list: ${operation}`, sizeBytes: null, iterations: ITERATIONS, rateUnit: 'ops/s' }, () => list(query)));
      }
      const slowest = rows.reduce((worst, row) => (row.meanMs > worst.meanMs ? row : worst));
      const checks: BenchCheck[] = [
        {
          name: `case list at ${CASES} cases answers within ${LATENCY_BOUND_MS} ms`,
          outcome: slowest.meanMs < LATENCY_BOUND_MS ? 'pass' : 'warn',
          detail: `slowest mean ${slowest.meanMs.toFixed(1)} ms (${slowest.operation})`,
        },
      ];
      return { rows, checks, metrics: { cases: CASES } };
    } finally {
      site.close();
    }
  },
};
