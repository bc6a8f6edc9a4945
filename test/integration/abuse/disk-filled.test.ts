/**
 * Attack drill, issue 13 §3: filling the disk. Follow-ups and files stop at the day's intake budget
 * while new reports are still taken; past the storage budget every write answers 507 and stores
 * nothing; unfinished uploads expire with their parts; deleting spam cases makes room again.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newAttachmentId, openReply, sealReply, utf8Decode, utf8Encode } from '../../../crypto/index';
import { dayOf } from '../../../server/clock';
import { IntakeService } from '../../../server/intake/intake-service';
import { ProofOfWorkDifficulty } from '../../../server/intake/proof-of-work-difficulty';
import { ProofOfWorkGate } from '../../../server/intake/proof-of-work-gate';
import { ChallengeSigner } from '../../../server/intake/signed-challenges';
import { deleteCase } from '../../../server/operations/delete-case';
import { runIntakeMaintenance } from '../../../server/operations/intake-maintenance';
import { TestClock } from '../../helpers/console';
import { makeInvestigator, type TestInvestigator } from '../../helpers/crypto';
import { expectStatus, startTestIntake, TestReporter, type SignedResponse, type TestIntake, postCase } from '../../helpers/intake';
import { Attacker, expectNoServerErrors, genuineReporterGetsThrough, handMadeEnvelope, rowCount, serveOnLoopback, type DrillServer } from './drill';

const KiB = 1024;
const DAY_MS = 86_400_000;

let investigator: TestInvestigator;
let intake: TestIntake;
let clock: TestClock;

beforeAll(async () => {
  investigator = await makeInvestigator('Abuse Drill Investigator');
});

async function start(env: Record<string, string>): Promise<void> {
  clock = new TestClock(Date.parse('2026-12-01T10:00:00Z'));
  intake = await startTestIntake({ env, clock, investigator });
}

afterEach(() => intake.close());

/** The intake's service on the same storage, configuration and clock, to feed it pieces that break off at a chosen byte. */
function intakeService(): IntakeService {
  const { proofOfWork } = intake.config;
  const difficulty = new ProofOfWorkDifficulty({ baseBits: proofOfWork.difficultyBits, maxBits: proofOfWork.maxDifficultyBits, quietCreationsPerHour: proofOfWork.quietCreationsPerHour }, clock);
  return new IntakeService(intake.config, intake.storage, new ProofOfWorkGate(new ChallengeSigner(clock), difficulty, clock), clock);
}

/** The token holder of a case of their own, who fills it as far as they can. */
async function spammer(): Promise<TestReporter> {
  const reporter = await TestReporter.create(intake);
  await reporter.createCase('Spam.');
  return reporter;
}

const startUpload = (reporter: TestReporter, size: number, uploadId: string = newAttachmentId()) =>
  reporter.send('POST', '/api/v1/case/uploads', { uploadId, size });

const sendFollowup = (reporter: TestReporter, bytes: number) =>
  reporter.send('POST', '/api/v1/case/followups', { message: handMadeEnvelope('followup', bytes), reporterCopy: handMadeEnvelope('reporter-copy', 16) });

/** Everything a refused write could have left behind. */
const footprint = () => ({
  cases: rowCount(intake, 'cases'),
  objects: rowCount(intake, 'case_objects'),
  uploads: rowCount(intake, 'uploads'),
  totalBytes: intake.storage.usage.totalBytes(),
});

const dailyBudgetSpent = { error: { code: 'storage-full', message: expect.any(String), details: ['daily-budget'] } };
const storageFull = { error: { code: 'storage-full', message: expect.any(String) } };

describe('the day’s intake budget', () => {
  beforeEach(() => start({ CANDOR_BUDGET_DAILY_INTAKE_BYTES: String(256 * KiB) }));

  const piece = new Uint8Array(64 * KiB).fill(5);
  const sendPiece = (reporter: TestReporter, uploadId: string, options: { challenge?: string } = {}) =>
    reporter.send('PUT', `/api/v1/case/uploads/${uploadId}?offset=0`, undefined, { raw: piece, ...options });

  /** Five uploads of 64 KiB started (declaring reserves nothing), then a piece sent to each. */
  async function fillTheDay(spam: TestReporter): Promise<{ uploads: string[]; answers: SignedResponse[] }> {
    const uploads = Array.from({ length: 5 }, () => newAttachmentId());
    for (const uploadId of uploads) expectStatus(await startUpload(spam, piece.length, uploadId), 201);
    const answers: SignedResponse[] = [];
    for (const uploadId of uploads) answers.push(await sendPiece(spam, uploadId));
    return { uploads, answers };
  }

  it('when a token holder sends file bytes and follow-ups past it, then they answer 507 daily-budget, nothing of them is stored, and new reports are still taken', async () => {
    const spam = await spammer();
    const { uploads, answers } = await fillTheDay(spam);
    // Exactly the budget: the spammer's own report did not count against it.
    expect(answers.map(({ status }) => status)).toEqual([200, 200, 200, 200, 507]);
    expect(answers[4]!.body).toEqual(dailyBudgetSpent);
    expect(await intake.storage.blobs.received(uploads[4]!)).toBe(0);

    const before = footprint();
    const followup = await sendFollowup(spam, 64 * KiB);
    expect([followup.status, followup.body]).toEqual([507, dailyBudgetSpent]);
    const upload = await startUpload(spam, 64 * KiB);
    expect([upload.status, upload.body]).toEqual([507, dailyBudgetSpent]);
    expect(footprint()).toEqual(before);

    // A report costs work, not the day's budget: a whistleblower gets one through all the same.
    await genuineReporterGetsThrough(intake);
    expect(rowCount(intake, 'cases')).toBe(before.cases + 1);
    expectNoServerErrors(intake);
  });

  it('when the day is over, then file bytes are taken again', async () => {
    const spam = await spammer();
    const { uploads, answers } = await fillTheDay(spam);
    expect(answers.at(-1)!.status).toBe(507);
    clock.advance(DAY_MS);
    // The chained challenge expired with the day.
    expect(expectStatus(await sendPiece(spam, uploads.at(-1)!, { challenge: await spam.challenge() }), 200).body).toEqual({ received: piece.length });
    await genuineReporterGetsThrough(intake);
  });
});

describe('the storage budget', () => {
  let served: DrillServer;
  beforeEach(async () => {
    await start({ CANDOR_BUDGET_TOTAL_BYTES: String(256 * KiB) });
    served = await serveOnLoopback(intake);
  });
  afterEach(() => served.close());

  it('when spam cases fill it, then every write answers 507 storage-full and stores nothing, replies still reach reporters, and deleting the spam makes room again', async () => {
    const returning = await TestReporter.create(intake);
    await returning.createCase('Filed before the flood.');
    const attacker = new Attacker(served.url);
    const spam: string[] = [];
    const refusals: { status: number; text: string }[] = [];
    // Large reports first, then ever smaller ones, until not even the smallest fits.
    for (const reportBytes of [32 * KiB, 4 * KiB, 512, 64, 1]) {
      for (let i = 0; i < 20; i++) {
        const answer = await attacker.createCase({ reportBytes });
        if (answer.status !== 201) {
          refusals.push(answer);
          break;
        }
        spam.push(answer.caseId);
      }
    }
    expect(spam.length).toBeGreaterThanOrEqual(7);
    expect(refusals.map(({ status, text }) => [status, JSON.parse(text)])).toEqual(Array(5).fill([507, storageFull]));

    const before = footprint();
    expect(before.totalBytes).toBeLessThanOrEqual(256 * KiB);
    const whistleblower = await TestReporter.create(intake);
    const creation = await postCase(intake.app, await whistleblower.caseCreationBody('Sent while the disk is full.'));
    expect([creation.status, creation.body]).toEqual([507, storageFull]);
    const followup = await sendFollowup(returning, 64);
    expect([followup.status, followup.body]).toEqual([507, storageFull]);
    const upload = await startUpload(returning, 4 * KiB);
    expect([upload.status, upload.body]).toEqual([507, storageFull]);
    expect(footprint()).toEqual(before);

    // Reading costs no storage: an investigator's reply still reaches the reporter.
    const sealed = sealReply(returning.keys.replyPublicKey, utf8Encode('We are on it.'));
    intake.storage.cases.addObject(returning.keys.caseId, 'reply', sealed, dayOf(clock.now()));
    const reply = (await returning.readCase()).objects.find(({ kind }) => kind === 'reply');
    expect(utf8Decode(openReply(returning.keys, reply!.sealed))).toBe('We are on it.');

    let freed = 0;
    for (const caseId of spam) {
      const deleted = await deleteCase({ storage: intake.storage, caseId, reason: 'spam', now: clock.now(), actor: 'drill-admin' });
      if (deleted.outcome !== 'deleted') throw new Error(`Spam case ${caseId} was not deleted.`);
      freed += deleted.summary.bytes;
    }
    expect(freed).toBeGreaterThan(spam.length * 64);
    expect(intake.storage.usage.totalBytes()).toBe(before.totalBytes + sealed.length - freed);
    await genuineReporterGetsThrough(intake);
    expectStatus(await sendFollowup(returning, 64), 201);
    expectNoServerErrors(intake);
  });
});

describe('unfinished uploads', () => {
  beforeEach(() => start({}));

  it('when uploads are started and left, then maintenance after limits.unfinishedUploadDays deletes them with their parts and their bytes, and keeps finished files', async () => {
    const spam = await spammer();
    const left: string[] = [];
    for (let i = 0; i < 10; i++) {
      const uploadId = newAttachmentId();
      expectStatus(await startUpload(spam, 64 * KiB, uploadId), 201);
      expectStatus(await spam.send('PUT', `/api/v1/case/uploads/${uploadId}?offset=0`, undefined, { raw: new Uint8Array(KiB).fill(1) }), 200);
      left.push(uploadId);
    }
    const genuine = await TestReporter.create(intake);
    await genuine.createCase('With a file.');
    const { attachmentId } = await genuine.upload(new Uint8Array(10 * KiB).fill(7), 4 * KiB);
    const partOf = (id: string) => join(intake.storage.blobs.uploadsDir, `${id}.part`);
    expect(left.filter((id) => existsSync(partOf(id)))).toEqual(left);
    // Only what arrived counts against the budgets, not what was declared.
    expect(intake.storage.usage.unfinishedUploads()).toEqual({ count: 10, bytes: 10 * KiB, declaredBytes: 10 * 64 * KiB });
    const totalBefore = intake.storage.usage.totalBytes();

    const { unfinishedUploadDays } = intake.config.limits;
    clock.advance(unfinishedUploadDays * DAY_MS);
    expect((await runIntakeMaintenance(intake.storage, intake.config, clock.now())).uploadsExpired).toBe(0);
    clock.advance(DAY_MS);
    expect((await runIntakeMaintenance(intake.storage, intake.config, clock.now())).uploadsExpired).toBe(10);

    expect(readdirSync(intake.storage.blobs.uploadsDir)).toEqual([]);
    expect(intake.storage.usage.unfinishedUploads()).toEqual({ count: 0, bytes: 0, declaredBytes: 0 });
    expect(intake.storage.usage.totalBytes()).toBe(totalBefore - 10 * KiB);
    expect(existsSync(intake.storage.blobs.blobPath(attachmentId))).toBe(true);
    expect(intake.storage.attachments.findAttachment(attachmentId)?.caseId).toBe(genuine.keys.caseId);
    await genuineReporterGetsThrough(intake);
    expectNoServerErrors(intake);
  });
});

describe('pieces cut off mid-body', () => {
  it('when a token holder breaks off piece after piece, then every byte they left counts against the budgets', async () => {
    await start({ CANDOR_BUDGET_DAILY_INTAKE_BYTES: String(48 * KiB) });
    const reporter = await spammer();
    const uploadId = newAttachmentId();
    expectStatus(await startUpload(reporter, 48 * KiB, uploadId), 201);
    const service = intakeService();
    const caseRecord = intake.storage.cases.find(reporter.keys.caseId)!;
    // Each piece announces 16 KiB, sends 12 KiB, and breaks off: what a dropped circuit, or an
    // attacker who never finishes a piece, leaves.
    const brokenPiece = (offset: number) => ({
      offset,
      length: 16 * KiB,
      sha256: new Uint8Array(32),
      bytes: (async function* () {
        yield new Uint8Array(12 * KiB).fill(7);
        throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
      })(),
    });
    let offset = 0;
    for (let piece = 0; piece < 3; piece++) {
      await expect(service.appendToUpload(caseRecord, uploadId, brokenPiece(offset))).rejects.toMatchObject({ code: 'ECONNRESET' });
      offset += 12 * KiB;
      expect(intake.storage.usage.intakeBytesOn(dayOf(clock.now()))).toBe(offset);
    }
    expect(intake.storage.usage.unfinishedUploads()).toMatchObject({ count: 1, bytes: 36 * KiB });
    expect(intake.storage.usage.totalBytes()).toBeGreaterThanOrEqual(36 * KiB);
    // 36 KiB arrived today: 16 KiB more do not fit the day's 48 KiB, so a new upload is refused at its start.
    expect(await startUpload(reporter, 16 * KiB)).toMatchObject({ status: 507, body: dailyBudgetSpent });
    await genuineReporterGetsThrough(intake);
  });
});
