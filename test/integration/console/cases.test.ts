/** Investigators' case routes: who may see what, objects one by one, triage rules, replies the reporter can read, notes, files, keys. */
import { rmSync } from 'node:fs';
import type { Stream } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decryptAttachment,
  decryptReport,
  encryptReport,
  openReply,
  randomBytes,
  sealReply,
  toBase64Url,
  utf8Decode,
  utf8Encode,
  type CaseId,
} from '../../../crypto/index';
import { addDays, dayOf, type Day } from '../../../server/clock';
import { readAll, streamOf } from '../../helpers/crypto';
import { startTestConsole, type SignedIn, type TestAccount, type TestConsole } from '../../helpers/console';
import { expectStatus, TEST_BODY_ID, TestReporter } from '../../helpers/intake';

const OTHER_BODY = 'other-body';
let site: TestConsole;
let alice: TestAccount;
let aliceSession: SignedIn;
let reporter: TestReporter;

beforeAll(async () => {
  site = await startTestConsole({ start: new Date('2026-11-22T09:00:00Z') });
  const { storage } = site.intake;
  storage.bodies.save({ ...storage.bodies.find(TEST_BODY_ID)!, id: OTHER_BODY, name: 'Other Body' });
  alice = await site.account('alice', 'investigator');
  aliceSession = await site.signIn(alice);
  reporter = await TestReporter.create(site.intake);
  await reporter.createCase('CONSOLE-TEST report text');
});
afterAll(() => site.close());

function insertCase(bodyId: string, receivedOn: Day): string {
  const id = Buffer.from(randomBytes(32)).toString('hex');
  site.intake.storage.cases.create({ id, bodyId, authPublicKey: randomBytes(32), replyPublicKey: randomBytes(32), receivedOn, objects: [{ kind: 'report', ciphertext: randomBytes(64) }] });
  return id;
}

/** supertest leaves an octet stream unread unless told how: collect it whole. */
function rawBody(res: Stream, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

const objectPath = (caseId: string, seq: number | string) => `/api/v1/cases/${caseId}/objects/${seq}`;

/** One object's ciphertext from its own route. */
async function objectBytes(caseId: string, seq: number): Promise<Uint8Array> {
  const answer = await aliceSession.get(objectPath(caseId, seq)).buffer(true).parse(rawBody).expect(200);
  return new Uint8Array(answer.body as Buffer);
}

interface IndexEntry {
  seq: number;
  kind: string;
  createdOn: string;
  size: number;
}

describe('console access control', () => {
  it('when an investigator asks for a case of another body, then it does not exist for them; an admin reads no case; a password-only session reads nothing', async () => {
    const foreign = insertCase(OTHER_BODY, '2026-11-20' as Day);
    await aliceSession.get(`/api/v1/cases/${foreign}`).expect(404);
    await aliceSession.get(`/api/v1/cases/${foreign}/export`).expect(404);
    await aliceSession.send('patch', `/api/v1/cases/${foreign}`, { priority: 'high' }).expect(404);
    await aliceSession.get(`/api/v1/cases?body=${OTHER_BODY}`).expect(403);
    const listed = (await aliceSession.get('/api/v1/cases?limit=200').expect(200)).body.cases as { id: string }[];
    expect(listed.map((c) => c.id)).not.toContain(foreign);
    await aliceSession.get(`/api/v1/bodies/${OTHER_BODY}/directory`).expect(404);

    const admin = await site.signIn(await site.account('root', 'admin'));
    expect((await admin.get(`/api/v1/cases/${reporter.keys.caseId}`).expect(403)).body.error.details).toEqual(['role']);
    expect((await aliceSession.get('/api/v1/admin/accounts').expect(403)).body.error.details).toEqual(['role']);
    await admin.get('/api/v1/admin/accounts').expect(200);
    await admin.get(`/api/v1/bodies/${OTHER_BODY}/directory`).expect(200);
  });

  it('when an account is disabled, then its live sessions end at once', async () => {
    const carol = await site.account('carol', 'investigator');
    const carolSession = await site.signIn(carol);
    const admin = await site.signIn(await site.account('root2', 'admin'));
    await admin.send('post', `/api/v1/admin/accounts/${carol.id}/disable`).expect(204);
    await carolSession.get('/api/v1/cases').expect(401);
  });
});

describe('console cases', () => {
  it('when the report is fetched, then it is ciphertext that only the investigator key opens, and the view is audited', async () => {
    const view = (await aliceSession.get(`/api/v1/cases/${reporter.keys.caseId}`).expect(200)).body;
    expect(view).toMatchObject({ status: 'received', priority: 'normal', assignee: null, labels: [], due: 'soon', replyPublicKey: toBase64Url(reporter.keys.replyPublicKey) });
    const report = (view.objects as IndexEntry[]).find((o) => o.kind === 'report')!;
    const ciphertext = await objectBytes(reporter.keys.caseId, report.seq);
    expect(Buffer.from(ciphertext).toString('latin1')).not.toContain('CONSOLE-TEST');
    const plain = await decryptReport(ciphertext, site.intake.investigator.key, { caseId: reporter.keys.caseId });
    expect(utf8Decode(plain)).toBe('CONSOLE-TEST report text');
    const audit = (await aliceSession.get(`/api/v1/cases/${reporter.keys.caseId}/audit`).expect(200)).body.entries;
    expect(audit[0]).toMatchObject({ actor: 'alice', action: 'case.viewed', caseId: reporter.keys.caseId });
  });

  it('when replies are sent, then the reporter reads them with the token, colleagues read the copies, and only the declared acknowledgment and feedback set the case’s days', async () => {
    const caseId = reporter.keys.caseId as CaseId;
    const recipients = await reporter.recipients();
    const send = async (text: string, purpose?: 'acknowledgment' | 'feedback') =>
      aliceSession
        .send('post', `/api/v1/cases/${caseId}/replies`, {
          sealed: toBase64Url(sealReply(reporter.keys.replyPublicKey, utf8Encode(text), 'reply')),
          copy: toBase64Url(await encryptReport(text, recipients, { caseId, kind: 'reply-copy' })),
          ...(purpose === undefined ? {} : { purpose }),
        })
        .expect(201);
    const days = () => {
      const { status, acknowledgedOn, feedbackOn } = site.intake.storage.cases.find(caseId)!;
      return { status, acknowledgedOn, feedbackOn };
    };
    // A first reply that is a plain message is no acknowledgment.
    await send('Could you tell us which department?');
    expect(days()).toEqual({ status: 'received', acknowledgedOn: null, feedbackOn: null });
    await send('Thank you, we received your report.', 'acknowledgment');
    expect(days()).toEqual({ status: 'acknowledged', acknowledgedOn: '2026-11-22', feedbackOn: null });
    site.clock.advance(86_400_000);
    // A day later the session has long timed out.
    await aliceSession.get('/api/v1/session').expect(401);
    aliceSession = await site.signIn(alice);
    // The next reply is no feedback unless declared one.
    await send('We are still reading.');
    expect(days()).toEqual({ status: 'acknowledged', acknowledgedOn: '2026-11-22', feedbackOn: null });
    await send('We have opened an assessment.', 'feedback');
    expect(days()).toEqual({ status: 'acknowledged', acknowledgedOn: '2026-11-22', feedbackOn: '2026-11-23' });
    // A second acknowledgment or feedback moves no day (the acknowledgment's was the day before).
    await send('Received again.', 'acknowledgment');
    await send('More news.', 'feedback');
    expect(days()).toEqual({ status: 'acknowledged', acknowledgedOn: '2026-11-22', feedbackOn: '2026-11-23' });
    const refused = await aliceSession.send('post', `/api/v1/cases/${caseId}/replies`, {
      sealed: toBase64Url(sealReply(reporter.keys.replyPublicKey, utf8Encode('x'), 'reply')),
      copy: toBase64Url(await encryptReport('x', recipients, { caseId, kind: 'reply-copy' })),
      purpose: 'closing',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0]).toMatch(/^purpose:/);

    // The reporter's status page carries the same days as the console's summary.
    const status = expectStatus(await reporter.send('GET', '/api/v1/case'), 200).body as { status: string; acknowledgedOn: string | null; feedbackOn: string | null };
    expect(status).toMatchObject({ status: 'acknowledged', acknowledgedOn: '2026-11-22', feedbackOn: '2026-11-23' });
    const summary = (await aliceSession.get(`/api/v1/cases/${caseId}`).expect(200)).body as { acknowledgedOn: string | null; feedbackOn: string | null };
    expect(summary).toMatchObject({ acknowledgedOn: '2026-11-22', feedbackOn: '2026-11-23' });
    // The sealed replies as stored for the reporter (the intake's own tests fetch them over its routes).
    const sealed = site.intake.storage.cases.objects(caseId, ['reply']);
    expect(sealed.map((reply) => utf8Decode(openReply(reporter.keys, reply.ciphertext, 'reply')))).toEqual([
      'Could you tell us which department?',
      'Thank you, we received your report.',
      'We are still reading.',
      'We have opened an assessment.',
      'Received again.',
      'More news.',
    ]);
    const view = (await aliceSession.get(`/api/v1/cases/${caseId}`).expect(200)).body;
    const copies = (view.objects as IndexEntry[]).filter((o) => o.kind === 'reply-copy');
    const firstCopy = await objectBytes(caseId, copies[0]!.seq);
    expect(utf8Decode(await decryptReport(firstCopy, site.intake.investigator.key, { caseId, kind: 'reply-copy' }))).toBe('Could you tell us which department?');
    expect((view.objects as IndexEntry[]).some((o) => o.kind === 'reply')).toBe(false);

    await aliceSession.send('post', `/api/v1/cases/${caseId}/replies`, { sealed: toBase64Url(firstCopy), copy: toBase64Url(firstCopy) }).expect(400);
  });

  it('when replies are declared the acknowledgment and the feedback, then the audit log alone tells both days and what each reply was', async () => {
    const caseId = insertCase(TEST_BODY_ID, dayOf(site.clock.now())) as CaseId;
    const recipients = await reporter.recipients();
    const reply = async (text: string, purpose?: 'acknowledgment' | 'feedback') =>
      aliceSession
        .send('post', `/api/v1/cases/${caseId}/replies`, {
          sealed: toBase64Url(sealReply(randomBytes(32), utf8Encode(text), 'reply')),
          copy: toBase64Url(await encryptReport(text, recipients, { caseId, kind: 'reply-copy' })),
          ...(purpose === undefined ? {} : { purpose }),
        })
        .expect(201);
    const entriesAfter = async (seq: number) =>
      ((await aliceSession.get(`/api/v1/cases/${caseId}/audit`).expect(200)).body.entries as { seq: number; action: string; details: object }[])
        .filter((entry) => entry.seq > seq && entry.action !== 'case.viewed')
        .reverse()
        .map(({ action, details }) => ({ action, details }));
    const latest = () => site.intake.storage.audit.list({ limit: 1 })[0]!.seq;
    const today = dayOf(site.clock.now());
    const before = latest();
    const plain = (await reply('Hello.')).body.seq as number;
    expect(await entriesAfter(before)).toEqual([{ action: 'case.replied', details: { seq: plain } }]);
    const beforeAcknowledgment = latest();
    const first = (await reply('Received.', 'acknowledgment')).body.seq as number;
    expect(await entriesAfter(beforeAcknowledgment)).toEqual([
      { action: 'case.replied', details: { seq: first, purpose: 'acknowledgment', acknowledgedOn: today } },
      { action: 'case.status-changed', details: { from: 'received', to: 'acknowledged', outcome: null } },
    ]);
    const middle = latest();
    const second = (await reply('Assessed.', 'feedback')).body.seq as number;
    expect(site.intake.storage.cases.find(caseId)!.feedbackOn).toBe(today);
    expect(await entriesAfter(middle)).toEqual([{ action: 'case.replied', details: { seq: second, purpose: 'feedback', feedbackOn: today } }]);
    const third = (await reply('More.', 'feedback')).body.seq as number;
    expect((await entriesAfter(middle)).at(-1)).toEqual({ action: 'case.replied', details: { seq: third, purpose: 'feedback' } });
  });

  it('when a note is added, then it is stored for investigators and never shown to the reporter', async () => {
    const caseId = reporter.keys.caseId as CaseId;
    const note = await encryptReport('internal note', await reporter.recipients(), { caseId, kind: 'note' });
    await aliceSession.send('post', `/api/v1/cases/${caseId}/notes`, { message: toBase64Url(note) }).expect(201);
    const status = expectStatus(await reporter.send('GET', '/api/v1/case'), 200);
    expect(JSON.stringify(status.body)).not.toContain(toBase64Url(note).slice(0, 40));
    const bad = await aliceSession.send('post', `/api/v1/cases/${caseId}/notes`, { message: 'not base64!' }).expect(400);
    expect(bad.body.error.details[0]).toMatch(/^message:/);
  });

  it('when a case is exported, then the answer is a tar named after the case, and the export is in the case’s audit log', async () => {
    const { caseId } = reporter.keys;
    const root = `candor-case-${caseId.slice(0, 12)}`;
    const answer = await aliceSession.get(`/api/v1/cases/${caseId}/export`).buffer(true).parse(rawBody).expect(200);
    expect(answer.headers['content-type']).toBe('application/x-tar');
    expect(answer.headers['content-disposition']).toBe(`attachment; filename="${root}.tar"`);
    const archive = answer.body as Buffer;
    expect(archive.length % 512).toBe(0);
    expect(archive.subarray(0, root.length + 1).toString('latin1')).toBe(`${root}/`);
    const [latest] = (await aliceSession.get(`/api/v1/cases/${caseId}/audit`).expect(200)).body.entries;
    expect(latest).toMatchObject({ actor: 'alice', action: 'case.exported', caseId });
  });

  it('when an attachment is downloaded, then its stored bytes stream out and decrypt to the file', async () => {
    const file = randomBytes(150_000);
    const { attachmentId } = await reporter.upload(file);
    const view = (await aliceSession.get(`/api/v1/cases/${reporter.keys.caseId}`).expect(200)).body;
    expect(view.attachments).toEqual([{ id: attachmentId, size: expect.any(Number), createdOn: expect.any(String) }]);
    const download = await aliceSession.get(`/api/v1/cases/${reporter.keys.caseId}/attachments/${attachmentId}`).buffer(true).parse(rawBody).expect(200);
    const plain = await readAll(decryptAttachment(streamOf(new Uint8Array(download.body as Buffer)), site.intake.investigator.key, { caseId: reporter.keys.caseId as CaseId, attachmentId: attachmentId as never }));
    expect(Buffer.from(plain).equals(Buffer.from(file))).toBe(true);
    await aliceSession.get(`/api/v1/cases/${reporter.keys.caseId}/attachments/${'A'.repeat(22)}`).expect(404);
    // A file gone from the disk is a clean JSON error, not a broken download.
    rmSync(site.intake.storage.blobs.blobPath(attachmentId));
    const missing = await aliceSession.get(`/api/v1/cases/${reporter.keys.caseId}/attachments/${attachmentId}`).expect(500);
    expect(missing.headers['content-type']).toMatch(/^application\/json/);
  });

  it('when the workflow changes, then statuses only move forward, closing needs an outcome, a closed case can be reopened, and each change is audited', async () => {
    const caseId = insertCase(TEST_BODY_ID, '2026-11-01' as Day);
    const patch = (body: object) => aliceSession.send('patch', `/api/v1/cases/${caseId}`, body);
    expect((await patch({ status: 'in-assessment', priority: 'urgent', assigneeId: alice.id, labels: ['procurement', 'ministry b', 'procurement'] }).expect(200)).body).toMatchObject({
      status: 'in-assessment',
      // A status change tells the reporter nothing: only a reply declared the acknowledgment records one.
      acknowledgedOn: null,
      priority: 'urgent',
      assignee: { id: alice.id, username: 'alice' },
      labels: ['ministry b', 'procurement'],
    });
    expect((await patch({ status: 'received' }).expect(409)).body.error.code).toBe('conflict');
    expect((await patch({ status: 'closed' }).expect(400)).body.error.details).toEqual(['outcome: required to close']);
    await patch({ outcome: 'referred' }).expect(400);
    await patch({ status: 'closed', outcome: 'substantiated' }).expect(200);
    expect(site.intake.storage.cases.find(caseId)).toMatchObject({ status: 'closed', outcome: 'substantiated', closedOn: '2026-11-23' });
    expect((await patch({ status: 'in-assessment' }).expect(200)).body).toMatchObject({ status: 'in-assessment', outcome: null, closedOn: null });
    await patch({ assigneeId: 'A'.repeat(22) }).expect(400);
    await patch({ labels: ['<script>'] }).expect(400);
    await patch({ labels: ['   '] }).expect(400);
    await patch({}).expect(400);
    await patch({ status: 'done' }).expect(400);
    const entries: { action: string; details: Record<string, unknown> }[] = (await aliceSession.get(`/api/v1/cases/${caseId}/audit`).expect(200)).body.entries;
    expect(entries.map((entry) => entry.action)).toEqual(expect.arrayContaining(['case.status-changed', 'case.priority-changed', 'case.assigned', 'case.labels-changed']));
    // The audit log says that labels changed, never what they say.
    expect(entries.find((entry) => entry.action === 'case.labels-changed')?.details).toEqual({ added: 2, removed: 0, labels: 2 });
    expect(JSON.stringify(site.intake.storage.audit.list({ limit: 500 }))).not.toContain('procurement');
  });

  it('when cases are listed with filters, then only matching cases of the investigator’s bodies come, newest first, page by page', async () => {
    const today = dayOf(site.clock.now());
    const ids = Array.from({ length: 25 }, (_, i) => insertCase(TEST_BODY_ID, addDays(today, -i - 40)));
    site.intake.storage.cases.updateWorkflow(ids[3]!, { priority: 'high' }, ['bribery']);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 20; page += 1) {
      const answer: { cases: { id: string; receivedOn: string }[]; nextCursor: string | null } = (
        await aliceSession.get(`/api/v1/cases?limit=7${cursor === null ? '' : `&cursor=${cursor}`}`).expect(200)
      ).body;
      seen.push(...answer.cases.map((c) => c.id));
      cursor = answer.nextCursor;
      if (cursor === null) break;
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen).toContain(id);
    const byLabel = (await aliceSession.get('/api/v1/cases?label=bribery').expect(200)).body.cases;
    expect(byLabel.map((c: { id: string }) => c.id)).toEqual([ids[3]]);
    const high = (await aliceSession.get('/api/v1/cases?priority=high').expect(200)).body.cases;
    expect(high.map((c: { id: string }) => c.id)).toEqual([ids[3]]);
    const overdue = (await aliceSession.get('/api/v1/cases?due=overdue&status=received&limit=200').expect(200)).body.cases as { id: string; due: string }[];
    expect(overdue.length).toBeGreaterThanOrEqual(25);
    for (const c of overdue) expect(c.due).toBe('overdue');
    const mine = (await aliceSession.get('/api/v1/cases?assignee=me').expect(200)).body.cases;
    for (const c of mine) expect(c.assignee.id).toBe(alice.id);
    await aliceSession.get('/api/v1/cases?status=bogus').expect(400);
    await aliceSession.get('/api/v1/cases?cursor=zzz').expect(400);
    await aliceSession.get('/api/v1/cases?limit=1000').expect(400);
  });
});

describe('case objects, one request each', () => {
  /** A case holding every kind of object, one of them large; ciphertexts are random, as the server never reads them. */
  function caseWithEveryKind(bodyId = TEST_BODY_ID): { caseId: string; seqs: Record<string, number> } {
    const { cases } = site.intake.storage;
    const day = dayOf(site.clock.now());
    const caseId = Buffer.from(randomBytes(32)).toString('hex');
    cases.create({
      id: caseId,
      bodyId,
      authPublicKey: randomBytes(32),
      replyPublicKey: randomBytes(32),
      receivedOn: day,
      objects: [
        { kind: 'report', ciphertext: randomBytes(300_000) },
        { kind: 'reporter-copy', ciphertext: randomBytes(500) },
      ],
    });
    const seqs: Record<string, number> = { report: 1, 'reporter-copy': 2 };
    const sizes = { followup: 70_000, reply: 900, 'reply-copy': 1_100, note: 1_300 } as const;
    for (const [kind, size] of Object.entries(sizes) as [keyof typeof sizes, number][]) seqs[kind] = cases.addObject(caseId, kind, randomBytes(size), day);
    return { caseId, seqs };
  }

  it('when a case is opened, then its objects are an index without ciphertext, and each size is what the object’s route answers byte for byte', async () => {
    const { caseId, seqs } = caseWithEveryKind();
    const answer = await aliceSession.get(`/api/v1/cases/${caseId}`).expect(200);
    const index = answer.body.objects as IndexEntry[];
    expect(index.map((entry) => Object.keys(entry).sort())).toEqual(index.map(() => ['createdOn', 'kind', 'seq', 'size']));
    expect(index.map((entry) => [entry.seq, entry.kind])).toEqual([
      [seqs.report, 'report'],
      [seqs.followup, 'followup'],
      [seqs['reply-copy'], 'reply-copy'],
      [seqs.note, 'note'],
    ]);
    // The answer stays small whatever the objects weigh.
    expect(answer.text.length).toBeLessThan(10_000);

    const before = site.intake.storage.audit.list({ limit: 1 })[0]!.seq;
    const stored = site.intake.storage.cases.objects(caseId, ['report', 'followup', 'reply-copy', 'note']);
    for (const entry of index) {
      const served = await aliceSession.get(objectPath(caseId, entry.seq)).buffer(true).parse(rawBody).expect(200);
      expect(served.headers['content-type']).toBe('application/octet-stream');
      expect(served.headers['content-length']).toBe(String(entry.size));
      const expected = stored.find((object) => object.seq === entry.seq)!.ciphertext;
      expect(entry.size).toBe(expected.length);
      expect(Buffer.from(served.body as Buffer).equals(Buffer.from(expected))).toBe(true);
    }
    // Opening the case wrote `case.viewed`; reading its objects adds nothing.
    expect(site.intake.storage.audit.list({ limit: 1 })[0]!.seq).toBe(before);
  });

  it('when the reporter’s own objects, a missing number or another body’s case are asked for, then each answers as not found', async () => {
    const { caseId, seqs } = caseWithEveryKind();
    const foreign = caseWithEveryKind(OTHER_BODY);
    const missing = (await aliceSession.get(objectPath(caseId, 999)).expect(404)).body;
    expect(missing.error.code).toBe('not-found');
    for (const kind of ['reply', 'reporter-copy']) expect((await aliceSession.get(objectPath(caseId, seqs[kind]!)).expect(404)).body).toEqual(missing);
    const notOurs = (await aliceSession.get(objectPath(foreign.caseId, foreign.seqs.report!)).expect(404)).body;
    expect(notOurs.error.code).toBe('not-found');
    await aliceSession.get(objectPath('f'.repeat(64), 1)).expect(404);
  });

  it('when the object number is not a positive whole number in plain digits, then the answer is 400 naming the object number', async () => {
    const caseId = reporter.keys.caseId;
    for (const seq of ['0', '-1', '1.5', 'abc', '01', '1e3', '+1', '1234567890', '%20']) {
      const refused = (await aliceSession.get(objectPath(caseId, seq)).expect(400)).body;
      expect(refused.error.code).toBe('bad-request');
      expect(refused.error.details[0]).toMatch(/^object number: an object number is a whole number from 1 to 999999999$/);
    }
  });
});
