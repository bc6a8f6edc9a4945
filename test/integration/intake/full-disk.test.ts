/**
 * A full disk: the database reaching its size limit, and blob writes failing with ENOSPC part-way.
 * The intake must answer 507 storage-full without a trace of how it works, keep whole everything it
 * acknowledged, store no half case, and let the reporter finish once there is space again.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decryptAttachment,
  decryptReport,
  encryptAttachment,
  encryptReport,
  newAttachmentId,
  openReply,
  sealReply,
  solveProofOfWork,
  toBase64Url,
  utf8Decode,
  utf8Encode,
  type AttachmentId,
  type CaseId,
} from '../../../crypto/index';
import { nodeBlobIo, type AppendTarget, type BlobIo } from '../../../server/storage/blob-store';
import { makeInvestigator, patternBytes, readAll, streamOf, type TestInvestigator } from '../../helpers/crypto';
import { expectStatus, sha256Hex, startTestIntake, TestReporter, type SignedResponse, type TestIntake, postCase } from '../../helpers/intake';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const STACK_TRACE = /\n\s*at |\\n\s*at |node_modules|file:\/\/|\.[cm]?[jt]s:\d+|SQLITE|ENOSPC/i;

let investigator: TestInvestigator;

beforeAll(async () => {
  investigator = await makeInvestigator('Full Disk Investigator');
});

/** The one answer a full disk may give: 507 storage-full, saying nothing of paths, stacks or SQLite. */
function expectStorageFull(intake: TestIntake, status: number, body: unknown, text: string): void {
  expect(status).toBe(507);
  expect(body).toEqual({ error: { code: 'storage-full', message: expect.any(String) } });
  expect(text).not.toMatch(STACK_TRACE);
  expect(text).not.toContain(intake.dataDir);
}

function expectDatabaseWhole(intake: TestIntake): void {
  expect(intake.storage.db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(intake.storage.db.pragma('foreign_key_check')).toEqual([]);
}

async function freshProofOfWork(intake: TestIntake): Promise<{ challenge: string; nonce: string }> {
  const pow = await request(intake.app).post('/api/v1/proof-of-work').expect(201);
  return { challenge: pow.body.challenge, nonce: await solveProofOfWork(pow.body.challenge, pow.body.difficultyBits) };
}

describe('a full database', () => {
  let intake: TestIntake;
  const stored: { reporter: TestReporter; text: string }[] = [];
  let refused: { reporter: TestReporter; body: Record<string, unknown>; response: request.Response };

  beforeAll(async () => {
    // The limit is set from what an empty intake needs, so that a few cases fit and then no more.
    const empty = await startTestIntake({ investigator });
    const pagesWhenEmpty = empty.storage.db.pragma('page_count', { simple: true }) as number;
    empty.close();
    intake = await startTestIntake({ investigator, maxPageCount: pagesWhenEmpty + 8 });
    for (let attempt = 0; attempt < 40; attempt++) {
      const reporter = await TestReporter.create(intake);
      const text = `Report ${attempt} before the disk filled up.`;
      const body = await reporter.caseCreationBody(text);
      const response = await postCase(intake.app, body);
      if (response.status !== 201) {
        refused = { reporter, body, response };
        return;
      }
      stored.push({ reporter, text });
    }
    throw new Error('The database never filled up: raise the case count or lower the page limit.');
  });
  afterAll(() => intake.close());

  it('when one case too many is created, then it is refused with 507 storage-full after some were stored', () => {
    expect(stored.length).toBeGreaterThanOrEqual(2);
    expectStorageFull(intake, refused.response.status, refused.response.body, refused.response.text);
  });

  it('when a case was refused for want of space, then nothing of it is stored', () => {
    const caseId = refused.reporter.keys.caseId;
    expect(intake.storage.cases.find(caseId)).toBeUndefined();
    expect(intake.storage.db.prepare('SELECT count(*) FROM case_objects WHERE case_id = ?').pluck().get(caseId)).toBe(0);
    expectDatabaseWhole(intake);
  });

  it('when the database is full, then every earlier case still opens for its reporter and its investigator', async () => {
    for (const { reporter, text } of stored) {
      const [copy] = (await reporter.readCase()).objects;
      expect(utf8Decode(openReply(reporter.keys, copy!.sealed, 'reporter-copy'))).toBe(text);
      const [report] = intake.storage.cases.objects(reporter.keys.caseId, ['report']);
      expect(utf8Decode(await decryptReport(report!.ciphertext, investigator.key, { caseId: reporter.keys.caseId as CaseId }))).toBe(text);
    }
  });

  it('when a follow-up arrives while the database is full, then it is refused whole and the case is unchanged', async () => {
    const { reporter } = stored[0]!;
    const before = intake.storage.cases.objects(reporter.keys.caseId, ['report', 'reporter-copy', 'followup']).length;
    const recipients = await reporter.recipients();
    // Large enough that it cannot squeeze into a page freed by chance.
    const message = await encryptReport('x'.repeat(40_000), recipients, { caseId: reporter.keys.caseId, kind: 'followup' });
    const reporterCopy = sealReply(reporter.keys.replyPublicKey, utf8Encode('x'.repeat(40_000)), 'reporter-copy');
    const response = await reporter.send('POST', '/api/v1/case/followups', { message: toBase64Url(message), reporterCopy: toBase64Url(reporterCopy) });
    expectStorageFull(intake, response.status, response.body, JSON.stringify(response.body));
    expect(intake.storage.cases.objects(reporter.keys.caseId, ['report', 'reporter-copy', 'followup'])).toHaveLength(before);
    expectDatabaseWhole(intake);
  });

  it('when the log records the failure, then it names no path, stack or case', () => {
    const log = intake.logLines.join('\n');
    expect(log).toContain('"code":"storage-full"');
    expect(log).not.toContain(intake.dataDir);
    expect(log).not.toContain(refused.reporter.keys.caseId);
    expect(log).not.toMatch(/\n\s*at |\\n\s*at /);
  });

  it('when space is freed, then the refused case can be created with a new proof of work', async () => {
    // What an operator does by freeing disk space; max_page_count is how this test made it full.
    intake.storage.db.pragma('max_page_count = 1000000');
    await postCase(intake.app, { ...refused.body, proofOfWork: await freshProofOfWork(intake) }).expect(201);
    expectStatus(await refused.reporter.send('GET', '/api/v1/case'), 200);
    expectDatabaseWhole(intake);
  });
});

/** A disk with `room` bytes left: a write beyond it stores what fits, then fails as Node's fs does. */
class FillingDisk implements BlobIo {
  room: number;

  constructor(room: number) {
    this.room = room;
  }

  async openForAppend(path: string): Promise<AppendTarget> {
    const file = await nodeBlobIo.openForAppend(path);
    return {
      ...file,
      write: async (bytes) => {
        const fits = bytes.subarray(0, Math.max(0, this.room));
        if (fits.length > 0) await file.write(fits);
        this.room -= fits.length;
        if (fits.length < bytes.length) {
          throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC', errno: -28, syscall: 'write', path });
        }
      },
    };
  }
}

describe('a full blob store', () => {
  const ROOM = 100_000;
  const PIECE = 40_000;
  let disk: FillingDisk;
  let intake: TestIntake;

  beforeAll(async () => {
    disk = new FillingDisk(ROOM);
    intake = await startTestIntake({ investigator, blobIo: disk });
  });
  afterAll(() => intake.close());

  const put = (reporter: TestReporter, id: string, offset: number, bytes: Uint8Array) =>
    reporter.send('PUT', `/api/v1/case/uploads/${id}?offset=${offset}`, undefined, { raw: bytes });

  it('when the disk fills up in the middle of an upload, then the piece answers 507 and the upload resumes once there is space', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase();
    const attachmentId = newAttachmentId();
    const plaintext = patternBytes(150_000, 11);
    const stored = await readAll(encryptAttachment(streamOf(plaintext), await reporter.recipients(), { caseId: reporter.keys.caseId, attachmentId }));
    expect(stored.length).toBeGreaterThan(ROOM + PIECE);
    expectStatus(await reporter.send('POST', '/api/v1/case/uploads', { uploadId: attachmentId, size: stored.length }), 201);

    let offset = 0;
    let refusal: SignedResponse | undefined;
    while (refusal === undefined && offset < stored.length) {
      const answer = await put(reporter, attachmentId, offset, stored.subarray(offset, offset + PIECE));
      if (answer.status === 200) offset = answer.body.received as number;
      else refusal = answer;
    }
    expect(offset).toBe(2 * PIECE);
    expectStorageFull(intake, refusal!.status, refusal!.body, JSON.stringify(refusal!.body));

    // Still full: trying again changes nothing.
    const again = await put(reporter, attachmentId, offset, stored.subarray(offset, offset + PIECE));
    expectStorageFull(intake, again.status, again.body, JSON.stringify(again.body));

    // The bytes that did fit are kept and reported, so that nothing is sent twice.
    const progress = expectStatus(await reporter.send('GET', `/api/v1/case/uploads/${attachmentId}`), 200);
    expect(progress.body).toEqual({ received: ROOM, size: stored.length });
    expect(readFileSync(join(intake.dataDir, 'uploads', `${attachmentId}.part`))).toEqual(Buffer.from(stored.subarray(0, ROOM)));

    disk.room = Number.POSITIVE_INFINITY;
    const received = progress.body.received as number;
    for (let next = received; next < stored.length; next += PIECE) expectStatus(await put(reporter, attachmentId, next, stored.subarray(next, next + PIECE)), 200);
    expectStatus(await reporter.send('POST', `/api/v1/case/uploads/${attachmentId}/complete`, { sha256: sha256Hex(stored) }), 201);

    const blob = readFileSync(join(intake.dataDir, 'blobs', attachmentId));
    const binding = { caseId: reporter.keys.caseId as CaseId, attachmentId: attachmentId as AttachmentId };
    expect(await readAll(decryptAttachment(streamOf(new Uint8Array(blob)), investigator.key, binding))).toEqual(plaintext);
    expectDatabaseWhole(intake);
  });

  it('when the disk is full, then the log says storage-full and names no path', () => {
    const log = intake.logLines.join('\n');
    expect(log).toContain('"code":"storage-full"');
    expect(log).not.toContain(intake.dataDir);
    expect(log).not.toContain('ENOSPC: no space');
  });
});

describe('the real blob writer on a nearly full disk', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-short-write-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when the file system takes only part of a piece, then the store acknowledges no byte it did not write', async () => {
    const blobStore = pathToFileURL(join(ROOT, 'server/storage/blob-store.ts')).href;
    const script = `
      import { createHash } from 'node:crypto';
      import { BlobStore } from ${JSON.stringify(blobStore)};
      const store = new BlobStore(${JSON.stringify(dir)});
      await store.init();
      const id = 'AAAAAAAAAAAAAAAAAAAAAA';
      const piece = (offset) => {
        const bytes = new Uint8Array(48 * 1024);
        return { offset, length: bytes.length, sha256: createHash('sha256').update(bytes).digest(), bytes: [bytes] };
      };
      await store.appendStream(id, piece(0));
      let answer;
      try { answer = await store.appendStream(id, piece(48 * 1024)); } catch (error) { answer = { error: error.code }; }
      console.log(JSON.stringify({ answer, onDisk: await store.received(id) }));`;
    // With a file size limit the kernel takes a write only up to the limit and returns the short
    // count, as it does on a disk with a little room left; the next write would fail.
    const { stdout } = await promisify(execFile)('bash', ['-c', 'ulimit -f 64 && exec "$0" --import tsx --input-type=module -e "$1"', process.execPath, script], { cwd: ROOT, timeout: 30_000 });
    const { answer, onDisk } = JSON.parse(stdout.trim().split('\n').at(-1)!) as { answer: { received?: number; error?: string }; onDisk: number };
    expect(onDisk).toBe(64 * 1024);
    // Refusing the piece is right; acknowledging more than the file holds is not.
    expect(answer.received ?? onDisk).toBe(onDisk);
    expect(existsSync(join(dir, 'uploads', 'AAAAAAAAAAAAAAAAAAAAAA.part'))).toBe(true);
  });
});
