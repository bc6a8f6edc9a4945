/**
 * The hash-chained audit log: a valid chain verifies, the schema refuses edits, and an attacker who
 * can write the database file directly (triggers dropped) is caught at the first entry they touched.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../server/errors';
import { AuditLogRepository, type AuditAction } from '../../../server/storage/audit-log-repository';
import { openDatabase, type Db } from '../../../server/storage/database';

const CASE_ID = 'c'.repeat(64);
const START = Date.parse('2026-01-31T09:00:00.000Z');

let dir: string;
let path: string;
let db: Db;
let audit: AuditLogRepository;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'candor-audit-'));
  path = join(dir, 'audit.sqlite');
  db = openDatabase(path);
  audit = new AuditLogRepository(db);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function appendMany(count: number): void {
  const actions: AuditAction[] = ['case.viewed', 'case.status-changed', 'session.signed-in', 'case.note-added'];
  for (let i = 0; i < count; i++) {
    audit.append(
      { actor: `account-${i % 3}`, action: actions[i % actions.length]!, bodyId: 'demo-body', ...(i % 2 === 0 ? { caseId: CASE_ID } : {}), details: { index: i, even: i % 2 === 0 } },
      new Date(START + i * 1000),
    );
  }
}

/** A second connection to the same file, as someone with access to the disk would open it. */
function asAttacker(change: (raw: Database.Database) => void): void {
  const raw = new Database(path);
  try {
    raw.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
    change(raw);
  } finally {
    raw.close();
  }
}

describe('audit log chain', () => {
  it('when the log is empty, then it verifies with no entries and the genesis head', () => {
    expect(audit.verify()).toEqual({ intact: true, entries: 0, headHash: '0'.repeat(64) });
  });

  it('when many entries are appended, then each links to the one before and the whole chain verifies', () => {
    appendMany(300);
    const entries = audit.list({ limit: 500 }).reverse();
    expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(entries[0]!.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
    expect(audit.verify()).toEqual({ intact: true, entries: 300, headHash: entries.at(-1)!.hash });
  });

  it('when anyone runs UPDATE or DELETE on the log, then the triggers refuse it', () => {
    appendMany(3);
    expect(() => db.prepare("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow(/append-only/);
    expect(audit.verify()).toMatchObject({ intact: true, entries: 3 });
  });

  it("when an attacker alters a middle entry's details, then verification breaks at exactly that entry", () => {
    appendMany(20);
    asAttacker((raw) => raw.prepare(`UPDATE audit_log SET details = '{"even":true,"index":999}' WHERE seq = 11`).run());
    expect(audit.verify()).toEqual({ intact: false, entries: 20, firstBrokenSeq: 11, reason: 'hash-mismatch' });
  });

  it('when an attacker changes any single column of an entry, then that entry no longer verifies', () => {
    appendMany(6);
    const changes = [
      "at = '2026-01-31T09:00:04.001Z'",
      "actor = 'account-9'",
      "action = 'case.exported'",
      'body_id = NULL',
      "case_id = '" + 'd'.repeat(64) + "'",
      "details = '{\"even\": true, \"index\": 4}'",
    ];
    for (const change of changes) {
      const before = db.prepare('SELECT * FROM audit_log WHERE seq = 5').get() as Record<string, unknown>;
      asAttacker((raw) => raw.prepare(`UPDATE audit_log SET ${change} WHERE seq = 5`).run());
      expect(audit.verify(), change).toMatchObject({ intact: false, firstBrokenSeq: 5, reason: 'hash-mismatch' });
      asAttacker((raw) => raw.prepare('UPDATE audit_log SET at = @at, actor = @actor, action = @action, body_id = @body_id, case_id = @case_id, details = @details WHERE seq = 5').run(before));
      expect(audit.verify()).toMatchObject({ intact: true });
    }
  });

  it('when an attacker deletes a middle entry, then verification reports a sequence gap at the missing entry', () => {
    appendMany(20);
    asAttacker((raw) => raw.prepare('DELETE FROM audit_log WHERE seq = 8').run());
    expect(audit.verify()).toEqual({ intact: false, entries: 19, firstBrokenSeq: 8, reason: 'sequence-gap' });
  });

  it('when an attacker deletes the first entry, then verification reports a gap at entry 1', () => {
    appendMany(5);
    asAttacker((raw) => raw.prepare('DELETE FROM audit_log WHERE seq = 1').run());
    expect(audit.verify()).toEqual({ intact: false, entries: 4, firstBrokenSeq: 1, reason: 'sequence-gap' });
  });

  it("when an attacker alters an entry and recomputes its own hash, then the next entry's link is broken", () => {
    appendMany(20);
    asAttacker((raw) => {
      const row = raw.prepare('SELECT * FROM audit_log WHERE seq = 12').get() as Record<string, string | number | null>;
      const encoded = `["candor/v1/audit-entry",12,${JSON.stringify(row.at)},"innocent-bystander",${JSON.stringify(row.action)},${JSON.stringify(row.body_id)},${JSON.stringify(row.case_id)},${row.details},${JSON.stringify(row.prev_hash)}]`;
      raw.prepare('UPDATE audit_log SET actor = ?, hash = ? WHERE seq = 12').run('innocent-bystander', createHash('sha256').update(encoded).digest('hex'));
    });
    expect(audit.verify()).toEqual({ intact: false, entries: 20, firstBrokenSeq: 13, reason: 'chain-broken' });
  });

  it('when the newest entries are removed, then the chain still verifies but its head hash differs from the recorded one', () => {
    appendMany(10);
    const recorded = audit.verify();
    asAttacker((raw) => raw.prepare('DELETE FROM audit_log WHERE seq > 7').run());
    const after = audit.verify();
    expect(after).toMatchObject({ intact: true, entries: 7 });
    expect(after).not.toEqual(recorded);
  });
});

describe('audit entry encoding', () => {
  it('when an entry is hashed, then the hash is SHA-256 of the documented canonical JSON array (known answer)', () => {
    const first = audit.append(
      {
        actor: 'Zoë — investigator',
        action: 'case.status-changed',
        bodyId: 'demo-anti-corruption-office',
        caseId: CASE_ID,
        details: { to: 'acknowledged', from: 'received', note: 'line\nbreak "quoted"', count: -3, final: false, none: null },
      },
      new Date('2026-01-31T12:34:56.789Z'),
    );
    // Written out by hand from docs/protocol.md §16: keys sorted, no whitespace, null for absent ids.
    const firstText =
      '["candor/v1/audit-entry",1,"2026-01-31T12:34:56.789Z","Zoë — investigator","case.status-changed",' +
      `"demo-anti-corruption-office","${CASE_ID}",` +
      '{"count":-3,"final":false,"from":"received","none":null,"note":"line\\nbreak \\"quoted\\"","to":"acknowledged"},' +
      `"${'0'.repeat(64)}"]`;
    const firstHash = createHash('sha256').update(Buffer.from(firstText, 'utf8')).digest('hex');
    expect(first.hash).toBe(firstHash);

    const second = audit.append({ actor: 'admin', action: 'audit.verified' }, new Date('2026-02-01T00:00:00.000Z'));
    const secondText = `["candor/v1/audit-entry",2,"2026-02-01T00:00:00.000Z","admin","audit.verified",null,null,{},"${firstHash}"]`;
    expect(second.hash).toBe(createHash('sha256').update(secondText).digest('hex'));
    expect(second.prevHash).toBe(firstHash);
  });

  it('when an entry is stored, then its details are stored as the canonical text that was hashed', () => {
    audit.append({ actor: 'a1', action: 'case.labels-changed', caseId: CASE_ID, details: { zeta: 1, alpha: 'x' } }, new Date(START));
    expect(db.prepare('SELECT details FROM audit_log WHERE seq = 1').pluck().get()).toBe('{"alpha":"x","zeta":1}');
  });

  it.each([
    ['an unknown action', { actor: 'a1', action: 'case.teleported' }],
    ['an empty actor', { actor: '', action: 'case.viewed' }],
    ['a fractional number', { actor: 'a1', action: 'case.viewed', details: { share: 0.5 } }],
    ['a nested object', { actor: 'a1', action: 'case.viewed', details: { nested: { a: 1 } } }],
    ['a key that would sort differently elsewhere', { actor: 'a1', action: 'case.viewed', details: { 'clé': 1 } }],
    ['a lone surrogate', { actor: 'a1\ud800', action: 'case.viewed' }],
    ['a malformed case id', { actor: 'a1', action: 'case.viewed', caseId: 'CASE' }],
  ])('when an entry has %s, then append refuses it with a bad request and writes nothing', (_what, entry) => {
    expect(() => audit.append(entry as never, new Date(START))).toThrow(AppError);
    expect(audit.verify()).toMatchObject({ entries: 0 });
  });

  it('when the change an entry records fails in the same transaction, then the entry is not kept either', () => {
    const recordAndFail = db.transaction(() => {
      audit.append({ actor: 'a1', action: 'case.assigned', caseId: CASE_ID }, new Date(START));
      throw new Error('the change failed');
    });
    expect(() => recordAndFail()).toThrow('the change failed');
    expect(audit.verify()).toEqual({ intact: true, entries: 0, headHash: '0'.repeat(64) });
  });
});

describe('audit log listing', () => {
  it('when listed with filters and pages, then entries come newest first and only those that match', () => {
    appendMany(30);
    audit.append({ actor: 'admin', action: 'body.created', bodyId: 'other-body' }, new Date(START + 60_000));
    expect(audit.list({ limit: 5 }).map((entry) => entry.seq)).toEqual([31, 30, 29, 28, 27]);
    expect(audit.list({ limit: 3, beforeSeq: 27 }).map((entry) => entry.seq)).toEqual([26, 25, 24]);
    expect(audit.list({ limit: 100, bodyId: 'other-body' }).map((entry) => entry.action)).toEqual(['body.created']);
    const ofCase = audit.list({ limit: 100, caseId: CASE_ID, beforeSeq: 10 });
    expect(ofCase.map((entry) => entry.seq)).toEqual([9, 7, 5, 3, 1]);
    expect(ofCase[0]).toMatchObject({ actor: 'account-2', action: 'case.viewed', bodyId: 'demo-body', caseId: CASE_ID, details: { even: true, index: 8 }, at: '2026-01-31T09:00:08.000Z' });
  });

  it('when a listing asks for too many entries, then it is refused', () => {
    expect(() => audit.list({ limit: 501 })).toThrow(AppError);
    expect(() => audit.list({ limit: 0 })).toThrow(AppError);
  });
});

describe('concurrent appends', () => {
  const repositoryRoot = process.cwd();
  // Each process opens the database, says so, waits for the word to start, then appends as fast as it can.
  const writer = `
    import { openDatabase } from ${JSON.stringify(join(repositoryRoot, 'server/storage/database.ts'))};
    import { AuditLogRepository } from ${JSON.stringify(join(repositoryRoot, 'server/storage/audit-log-repository.ts'))};
    const [path, actor, count] = process.argv.slice(1);
    const db = openDatabase(path);
    const audit = new AuditLogRepository(db);
    process.stdout.write('ready\\n');
    process.stdin.once('data', () => {
      for (let i = 0; i < Number(count); i++) audit.append({ actor, action: 'case.viewed', details: { i } }, new Date());
      db.close();
      process.exit(0);
    });
  `;

  function startWriter(actor: string, count: number) {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer, path, actor, String(count)], { cwd: repositoryRoot });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const ready = new Promise<void>((resolveReady, reject) => {
      child.stdout.once('data', () => resolveReady());
      child.once('exit', () => reject(new Error(`writer ended before it was ready: ${stderr}`)));
    });
    const exit = new Promise<{ code: number | null; stderr: string }>((resolveExit) => child.once('exit', (code) => resolveExit({ code, stderr })));
    return { child, ready, exit };
  }

  it('when two connections to one database file append at the same time, then the result is one valid chain', async () => {
    const count = 150;
    const writers = [startWriter('writer-a', count), startWriter('writer-b', count)];
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.child.stdin.end('go\n');
    for (const result of await Promise.all(writers.map((w) => w.exit))) expect(result, result.stderr).toEqual({ code: 0, stderr: '' });

    expect(audit.verify()).toMatchObject({ intact: true, entries: 2 * count });
    const byActor = db.prepare('SELECT actor, count(*) AS n FROM audit_log GROUP BY actor ORDER BY actor').all();
    expect(byActor).toEqual([
      { actor: 'writer-a', n: count },
      { actor: 'writer-b', n: count },
    ]);
  });
});
