/**
 * Who reaches a body's cases (issue 15): an investigator whose current key the body's offline-signed
 * directory lists, and nobody else: not an admin, not an account an admin made, not a new key before
 * a directory listing it is signed and imported.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptReport, generateInvestigatorKey, randomBytes, sealReply, toBase64Url, utf8Encode, type CaseId } from '../../../crypto/index';
import { totpCode } from '../../../server/console/auth/totp';
import { TEST_PASSPHRASE } from '../../helpers/crypto';
import { signedIn, startTestConsole, type SignedIn, type TestAccount, type TestConsole } from '../../helpers/console';
import { TEST_BODY_ID, TestReporter } from '../../helpers/intake';
import { UNSIGNED_DIRECTORY } from '../../../server/storage/bodies-repository';
import type { Day } from '../../../server/clock';

let site: TestConsole;
let alice: TestAccount;
let reporter: TestReporter;
let caseId: CaseId;
let attachmentId: string;

beforeAll(async () => {
  // Today's clock: keys made now must not look as if from the future, and a new directory is not older than the stored one.
  site = await startTestConsole();
  alice = await site.account('alice', 'investigator');
  reporter = await TestReporter.create(site.intake);
  await reporter.createCase('REACH-TEST report');
  caseId = reporter.keys.caseId;
  ({ attachmentId } = await reporter.upload(randomBytes(1000)));
});
afterAll(() => site.close());

/** Every case route, as a request from `session`, with a valid body where one is needed. */
async function caseRoutes(session: SignedIn, target: CaseId): Promise<[string, request.Test][]> {
  const recipients = await reporter.recipients();
  const reply = {
    sealed: toBase64Url(sealReply(reporter.keys.replyPublicKey, utf8Encode('a reply nobody should send'), 'reply')),
    copy: toBase64Url(await encryptReport('a reply nobody should send', recipients, { caseId: target, kind: 'reply-copy' })),
  };
  const note = { message: toBase64Url(await encryptReport('a note nobody should write', recipients, { caseId: target, kind: 'note' })) };
  return [
    ['open', session.get(`/api/v1/cases/${target}`)],
    ['object', session.get(`/api/v1/cases/${target}/objects/1`)],
    ['attachment', session.get(`/api/v1/cases/${target}/attachments/${attachmentId}`)],
    ['workflow', session.send('patch', `/api/v1/cases/${target}`, { status: 'closed', outcome: 'referred' })],
    ['reply', session.send('post', `/api/v1/cases/${target}/replies`, reply)],
    ['note', session.send('post', `/api/v1/cases/${target}/notes`, note)],
    ['export', session.get(`/api/v1/cases/${target}/export`)],
    ['audit', session.get(`/api/v1/cases/${target}/audit`)],
  ];
}

/** What storage holds of the case: its objects, workflow and audit entries. */
function caseState() {
  const { storage } = site.intake;
  return {
    objects: storage.cases.objects(caseId, ['report', 'followup', 'reply', 'reply-copy', 'note', 'reporter-copy']).map((object) => object.seq),
    record: storage.cases.find(caseId),
    audit: storage.audit.list({ caseId, limit: 500 }),
  };
}

/** Signs in for the first time with a one-time password, enrolls TOTP and replaces the password, as the console requires. */
async function firstSignIn(username: string, oneTimePassword: string): Promise<SignedIn> {
  const agent = request.agent(site.app);
  const first = await agent.post('/api/v1/session').send({ username, password: oneTimePassword }).expect(200);
  const session = signedIn(site.app, first.body.csrfToken, agent);
  const { secret } = (await session.get('/api/v1/account/totp/secret').expect(200)).body;
  const enrolled = await session.send('post', '/api/v1/account/totp', { secret, code: totpCode(secret, site.clock.now()) }).expect(200);
  session.csrfToken = enrolled.body.session.csrfToken;
  const changed = await session.send('post', '/api/v1/account/password', { currentPassword: oneTimePassword, newPassword: 'the admin chose this passphrase' }).expect(200);
  session.csrfToken = changed.body.session.csrfToken;
  return session;
}

describe('admins reach no case', () => {
  it('when an admin uses any case route, then it is refused for the role and nothing is written', async () => {
    const admin = await site.signIn(await site.account('root', 'admin'));
    const before = caseState();
    await admin.get('/api/v1/cases').expect(403);
    for (const [route, pending] of await caseRoutes(admin, caseId)) {
      const refused = await pending;
      expect(refused.status, route).toBe(403);
      expect(refused.body.error.details, route).toEqual(['role']);
    }
    expect(caseState()).toEqual(before);
  });

  it('when an admin creates an investigator for the body and signs in as it, then it lists no case, says why, reaches none and writes nothing', async () => {
    const admin = await site.signIn(await site.account('rogue-admin', 'admin'));
    const { oneTimePassword } = (await admin.send('post', '/api/v1/admin/accounts', { username: 'mallory', role: 'investigator', bodies: [TEST_BODY_ID] }).expect(201)).body;
    const mallory = await firstSignIn('mallory', oneTimePassword);
    const before = caseState();
    const missing = (await mallory.get(`/api/v1/cases/${'0'.repeat(64)}`).expect(404)).body;
    // What an investigator hears when filtering by a body they do not work for.
    const foreignBody = (await (await site.signIn(alice)).get('/api/v1/cases?body=other-body').expect(403)).body;

    // Without a key, and with a key of the admin's own making: the directory lists neither.
    for (const reason of ['no-key', 'key-not-listed'] as const) {
      if (reason === 'key-not-listed') {
        const key = await generateInvestigatorKey({ name: 'mallory', passphrase: TEST_PASSPHRASE });
        await mallory.send('post', '/api/v1/account/keys', { publicKey: key.armoredPublicKey, lockedPrivateKey: key.armoredPrivateKey }).expect(201);
      }
      const listed = (await mallory.get('/api/v1/cases').expect(200)).body;
      expect(listed).toEqual({ cases: [], nextCursor: null, unreachableBodies: [{ bodyId: TEST_BODY_ID, reason }] });
      expect((await mallory.get(`/api/v1/cases?body=${TEST_BODY_ID}`).expect(403)).body).toEqual(foreignBody);
      for (const [route, pending] of await caseRoutes(mallory, caseId)) {
        const refused = await pending;
        expect(refused.status, `${reason}: ${route}`).toBe(404);
        expect(refused.body, `${reason}: ${route}`).toEqual(missing);
      }
    }
    expect(caseState()).toEqual(before);
    expect(site.intake.storage.audit.list({ limit: 500 }).filter((entry) => entry.actor === 'mallory' && entry.action.startsWith('case.'))).toEqual([]);
  });
});

describe('investigators reach cases through the signed directory', () => {
  it('when an investigator’s key is listed, then they reach the body’s cases; after a new key they do not until a directory listing it is imported', async () => {
    const session = await site.signIn(alice);
    const reached = (await session.get('/api/v1/cases').expect(200)).body;
    expect(reached.cases.map((summary: { id: string }) => summary.id)).toEqual([caseId]);
    expect(reached.unreachableBodies).toEqual([]);
    await session.get(`/api/v1/cases/${caseId}`).expect(200);

    const rotated = await generateInvestigatorKey({ name: 'alice', passphrase: TEST_PASSPHRASE });
    await session.send('post', '/api/v1/account/keys', { publicKey: rotated.armoredPublicKey, lockedPrivateKey: rotated.armoredPrivateKey }).expect(201);
    expect((await session.get('/api/v1/cases').expect(200)).body).toEqual({ cases: [], nextCursor: null, unreachableBodies: [{ bodyId: TEST_BODY_ID, reason: 'key-not-listed' }] });
    await session.get(`/api/v1/cases/${caseId}`).expect(404);
    await session.send('patch', `/api/v1/cases/${caseId}`, { priority: 'high' }).expect(404);

    await site.signDirectory();
    expect((await session.get('/api/v1/cases').expect(200)).body.cases.map((summary: { id: string }) => summary.id)).toEqual([caseId]);
    await session.send('patch', `/api/v1/cases/${caseId}`, { priority: 'high' }).expect(200);
  });

  it('when a body’s directory is not signed yet, then its investigators reach none of its cases and are told their key is not listed', async () => {
    const { storage } = site.intake;
    storage.bodies.save({ ...storage.bodies.find(TEST_BODY_ID)!, id: 'new-body', name: 'New Body', signedDirectory: UNSIGNED_DIRECTORY });
    const newCase = 'e'.repeat(64);
    storage.cases.create({ id: newCase, bodyId: 'new-body', authPublicKey: randomBytes(32), replyPublicKey: randomBytes(32), receivedOn: '2026-11-20' as Day, objects: [{ kind: 'report', ciphertext: randomBytes(64) }] });
    const uma = await site.signIn(await site.account('uma', 'investigator', [TEST_BODY_ID, 'new-body']));
    const listed = (await uma.get('/api/v1/cases').expect(200)).body;
    expect(listed.cases.map((summary: { id: string }) => summary.id)).toEqual([caseId]);
    expect(listed.unreachableBodies).toEqual([{ bodyId: 'new-body', reason: 'key-not-listed' }]);
    await uma.get(`/api/v1/cases/${newCase}`).expect(404);
  });

  it('when a case is assigned, then only to an investigator of its body who reaches it', async () => {
    const session = await site.signIn(alice);
    const keyless = await site.account('kim', 'investigator', [TEST_BODY_ID], { key: 'none' });
    const refused = (await session.send('patch', `/api/v1/cases/${caseId}`, { assigneeId: keyless.id }).expect(400)).body;
    expect(refused.error.details).toEqual(['assigneeId: not an investigator of this body who reaches its cases']);
    await session.send('patch', `/api/v1/cases/${caseId}`, { assigneeId: alice.id }).expect(200);
  });
});
