import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../server/storage/group-commit';
import type { TransactionMode } from '../../../server/storage/index';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database with one table, and a Storage.transaction that counts the commits it makes. */
function store() {
  const dir = mkdtempSync(join(tmpdir(), 'candor-group-commit-'));
  dirs.push(dir);
  const db = new Database(join(dir, 'test.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE items (name TEXT PRIMARY KEY) STRICT');
  const counted = { commits: 0 };
  const transaction = <T>(work: () => T, mode: TransactionMode = 'deferred'): T => {
    if (!db.inTransaction) counted.commits++;
    return db.transaction(work)[mode]();
  };
  const insert = (name: string) => () => {
    db.prepare('INSERT INTO items (name) VALUES (?)').run(name);
    return name;
  };
  const names = () => (db.prepare('SELECT name FROM items ORDER BY name').all() as { name: string }[]).map((row) => row.name);
  return { db, counted, group: new GroupCommit({ transaction }), insert, names };
}

describe('group commit', () => {
  it('when works are asked for in one turn of the event loop, then they share one commit and each gets its own result', async () => {
    const { counted, group, insert, names, db } = store();
    const results = await Promise.all(['a', 'b', 'c'].map((name) => group.run(insert(name))));
    expect(results).toEqual(['a', 'b', 'c']);
    expect(counted.commits).toBe(1);
    expect(names()).toEqual(['a', 'b', 'c']);
    db.close();
  });

  it('when one work throws, then only its writes are taken back, it rejects with its error, and the later ones see the earlier ones', async () => {
    const { group, insert, names, db } = store();
    const failing = () => {
      insert('half')();
      throw new RangeError('refused');
    };
    const seen = () => names();
    const [first, second, third] = await Promise.allSettled([group.run(insert('a')), group.run(failing), group.run(seen)]);
    expect(first).toEqual({ status: 'fulfilled', value: 'a' });
    expect(second).toMatchObject({ status: 'rejected', reason: new RangeError('refused') });
    expect(third).toEqual({ status: 'fulfilled', value: ['a'] });
    expect(names()).toEqual(['a']);
    db.close();
  });

  it('when a second work conflicts with the first of the same commit, then it sees the first and only it fails', async () => {
    const { group, insert, names, db } = store();
    const outcomes = await Promise.allSettled([group.run(insert('same')), group.run(insert('same'))]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected']);
    expect(names()).toEqual(['same']);
    db.close();
  });

  it('when the commit itself fails, then every work of it rejects and nothing is stored', async () => {
    const { db, group, insert } = store();
    const failingCommit = new GroupCommit({
      transaction: () => {
        throw new Error('disk I/O error');
      },
    });
    const outcomes = await Promise.allSettled([failingCommit.run(insert('a')), failingCommit.run(insert('b'))]);
    expect(outcomes).toEqual([
      { status: 'rejected', reason: new Error('disk I/O error') },
      { status: 'rejected', reason: new Error('disk I/O error') },
    ]);
    expect(await group.run(() => db.prepare('SELECT count(*) AS n FROM items').get())).toEqual({ n: 0 });
    db.close();
  });

  it('when works come in later turns, then each turn gets its own commit', async () => {
    const { counted, group, insert, names, db } = store();
    await group.run(insert('a'));
    await group.run(insert('b'));
    expect(counted.commits).toBe(2);
    expect(names()).toEqual(['a', 'b']);
    db.close();
  });
});
