/** `npm run admin -- verify-audit` as an operator runs it: the real CLI, compiled (dist/server/cli.js), on a real data directory. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledEntry } from '../../helpers/compiled-server';
import { DATABASE_FILE, openStorage } from '../../../server/storage/index';

let dataDir: string;
let headHash: string;

function verifyAudit(env: Record<string, string>, args: readonly string[] = []) {
  const run = spawnSync(process.execPath, [compiledEntry('cli'), 'verify-audit', ...args], { cwd: process.cwd(), env: { ...process.env, ...env } });
  return { status: run.status, stdout: run.stdout.toString(), stderr: run.stderr.toString() };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'candor-audit-cli-'));
  const storage = await openStorage(dataDir);
  try {
    for (let i = 0; i < 5; i++) storage.audit.append({ actor: 'admin', action: 'case.viewed', caseId: 'a'.repeat(64), details: { i } }, new Date(Date.UTC(2026, 0, 31, 9, i)));
    const result = storage.audit.verify();
    if (!result.intact) throw new Error('the fresh log should verify');
    headHash = result.headHash;
  } finally {
    storage.close();
  }
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('verify-audit command', () => {
  it('when the log is intact, then it prints the entry count and head hash and exits with 0', () => {
    const run = verifyAudit({ CANDOR_DATA_DIR: dataDir });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`audit log intact: 5 entries, head ${headHash}\n`);
    expect(run.status).toBe(0);
  });

  it('when the data directory holds no database, then it says so, exits with 1 and creates nothing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'candor-audit-cli-empty-'));
    try {
      const run = verifyAudit({ CANDOR_DATA_DIR: dataDir }, ['--data-dir', empty]);
      expect(run.stderr).toBe(`Error: There is no Candor database in ${empty}.\n`);
      expect(run.status).toBe(1);
      expect(existsSync(join(empty, DATABASE_FILE))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('when an entry was altered behind the triggers, then it names that entry and the reason and exits with 1', () => {
    const raw = new Database(join(dataDir, DATABASE_FILE));
    try {
      raw.exec('DROP TRIGGER audit_log_no_update');
      raw.prepare("UPDATE audit_log SET actor = 'nobody' WHERE seq = 3").run();
    } finally {
      raw.close();
    }
    const run = verifyAudit({ CANDOR_DATA_DIR: dataDir });
    expect(run.stdout).toBe('audit log BROKEN at entry 3: hash-mismatch\n');
    expect(run.status).toBe(1);
  });
});
