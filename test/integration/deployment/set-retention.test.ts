/**
 * `npm run admin -- set-retention` on a real data directory: a body's own retention, recorded in
 * the audit log, and applied by `purge`; bad input refused with a message naming the option.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledEntry } from '../../helpers/compiled-server';
import { addDays, dayOf } from '../../../server/clock';
import { startTestIntake, TEST_BODY_ID, TestReporter, type TestIntake } from '../../helpers/intake';

describe('set-retention', () => {
  let intake: TestIntake | undefined;
  afterEach(() => intake?.close());

  function admin(args: readonly string[]) {
    const run = spawnSync(process.execPath, [compiledEntry('cli'), ...args, '--data-dir', intake!.dataDir], { cwd: process.cwd(), encoding: 'utf8' });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  const retentionOf = (bodyId: string) => intake!.storage.db.prepare('SELECT retention_days FROM bodies WHERE id = ?').pluck().get(bodyId);

  it("when a body's retention is set and then reset, then the database and the audit log say so, and purge applies it", async () => {
    intake = await startTestIntake();
    const reporter = await TestReporter.create(intake);
    await reporter.createCase();
    intake.storage.db.prepare("UPDATE cases SET status = 'closed', outcome = 'no-action', closed_on = ? WHERE id = ?").run(addDays(dayOf(new Date()), -31), reporter.keys.caseId);

    const set = admin(['set-retention', '--body', TEST_BODY_ID, '--days', '30']);
    expect(set.status, set.stderr).toBe(0);
    expect(set.stdout).toContain(`Closed cases of ${TEST_BODY_ID} are kept for 30 days`);
    expect(retentionOf(TEST_BODY_ID)).toBe(30);

    const purge = admin(['purge']);
    expect(purge.status, purge.stderr).toBe(0);
    expect(purge.stdout).toContain(`${TEST_BODY_ID}: 1 cases closed before ${addDays(dayOf(new Date()), -30)} purged (retention 30 days).`);
    expect(intake.storage.cases.find(reporter.keys.caseId)).toBeUndefined();

    const reset = admin(['set-retention', '--body', TEST_BODY_ID, '--days', 'default']);
    expect(reset.status, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('default retention.days (1825 days)');
    expect(retentionOf(TEST_BODY_ID)).toBeNull();

    expect(intake.storage.audit.list({ limit: 10 }).map(({ actor, action, bodyId, details }) => ({ actor, action, bodyId, details }))).toEqual([
      { actor: '(command line)', action: 'body.retention-changed', bodyId: TEST_BODY_ID, details: { retentionDays: null } },
      { actor: '(command line)', action: 'cases.purged', bodyId: TEST_BODY_ID, details: { cases: 1, closedBefore: addDays(dayOf(new Date()), -30), retentionDays: 30 } },
      { actor: '(command line)', action: 'body.retention-changed', bodyId: TEST_BODY_ID, details: { retentionDays: 30 } },
    ]);
  });

  it.each([
    ['a negative number', ['--body', TEST_BODY_ID, '--days', '-3'], '--days:'],
    ['a fraction', ['--body', TEST_BODY_ID, '--days', '2.5'], '--days:'],
    ['an empty value', ['--body', TEST_BODY_ID, '--days', ''], '--days:'],
    ['more than a century', ['--body', TEST_BODY_ID, '--days', '36501'], '--days:'],
    ['a malformed body id', ['--body', 'Not A Body', '--days', '30'], '--body:'],
    ['an unknown body', ['--body', 'no-such-body', '--days', '30'], 'There is no body "no-such-body".'],
  ])('when given %s, then it exits with 1, says why, and changes nothing', async (_case, args, message) => {
    intake = await startTestIntake();
    const run = admin(['set-retention', ...args]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(message);
    expect(retentionOf(TEST_BODY_ID)).toBeNull();
    expect(intake.storage.audit.list({ limit: 10 })).toEqual([]);
  });
});
