/**
 * The console API against its contract (protocol/console-api/): every route driven through the real
 * app, every JSON answer parsed with its schema, as the console does (answers are strict, so a field
 * the contract does not name fails too), and refusals parsed with the error schema. The security-key
 * answers that need a real authenticator are parsed by the console itself in test/e2e/console-webauthn.test.ts.
 */
import { Buffer } from 'node:buffer';
import type { Stream } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { encryptReport, generateInvestigatorKey, randomBytes, sealReply, toBase64Url, utf8Encode, type CaseId } from '../../../crypto/index';
import { dayOf } from '../../../server/clock';
import { totpCode } from '../../../server/console/auth/totp';
import * as contract from '../../../protocol/console-api/index';
import { API_ERROR_STATUSES, errorAnswerSchema, type ApiErrorCode } from '../../../protocol/wire';
import { TEST_PASSPHRASE } from '../../helpers/crypto';
import { signedIn, startTestConsole, type SignedIn, type TestAccount, type TestConsole } from '../../helpers/console';
import { apiRoutes } from '../../helpers/express-routes';
import { TEST_BODY_ID, TestReporter } from '../../helpers/intake';

let site: TestConsole;
let alice: TestAccount;
let aliceSession: SignedIn;
let rootSession: SignedIn;
let reporter: TestReporter;
let caseId: CaseId;

/** The routes whose answers were checked here, as `METHOD /api/v1/pattern`. */
const driven = new Set<string>();

beforeAll(async () => {
  site = await startTestConsole();
  alice = await site.account('alice', 'investigator');
  aliceSession = await site.signIn(alice);
  rootSession = await site.signIn(await site.account('root', 'admin'));
  reporter = await TestReporter.create(site.intake);
  await reporter.createCase('CONTRACT-TEST report');
  caseId = reporter.keys.caseId;
});
afterAll(() => site.close());

/** The answer's body as the schema reads it; a mismatch fails with zod's account of every issue. */
function parsed<S extends z.ZodType>(route: string, schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) expect.fail(`${route} does not answer its schema:\n${z.prettifyError(result.error)}\n${JSON.stringify(body).slice(0, 500)}`);
  return result.data;
}

/** Drives `route` and parses its answer, which must have `status`. */
async function answer<S extends z.ZodType>(route: string, pending: request.Test, status: number, schema: S): Promise<z.output<S>> {
  driven.add(route);
  const response = await pending;
  expect(response.status, `${route}: ${response.text.slice(0, 300)}`).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  return parsed(route, schema, response.body);
}

/** Drives `route` expecting a refusal in the one error shape, with this code. */
async function refusal(route: string, pending: request.Test, code: ApiErrorCode): Promise<void> {
  driven.add(route);
  const response = await pending;
  const error = parsed(route, errorAnswerSchema, response.body);
  expect(error.error.code, `${route}: ${response.text.slice(0, 300)}`).toBe(code);
  expect(response.status).toBe(API_ERROR_STATUSES[code]);
}

/** Drives `route` expecting `204 No Content`. */
async function noContent(route: string, pending: request.Test): Promise<void> {
  driven.add(route);
  const response = await pending;
  expect(response.status, `${route}: ${response.text.slice(0, 300)}`).toBe(204);
  expect(response.text).toBe('');
}

/** Drives `route` expecting raw bytes of this type (objects, attachments, exports): outside the JSON contract. */
async function rawBytes(route: string, pending: request.Test, type: string): Promise<Buffer> {
  driven.add(route);
  const response = await pending.buffer(true).parse((res: Stream, done: (error: Error | null, body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toBe(type);
  return response.body as Buffer;
}

describe('the console API against protocol/console-api/', () => {
  it('when an account is created, signs in the first time, enrolls, changes its password and signs in again, then every answer is its schema', async () => {
    const created = await answer('POST /api/v1/admin/accounts', rootSession.send('post', '/api/v1/admin/accounts', { username: 'carol', role: 'investigator', bodies: [TEST_BODY_ID] }), 201, contract.accountCreatedAnswerSchema);
    const agent = request.agent(site.app);
    await refusal('GET /api/v1/session', agent.get('/api/v1/session'), 'unauthorized');
    await refusal('POST /api/v1/session', agent.post('/api/v1/session').send({ username: 'carol', password: 'not the password' }), 'unauthorized');
    const first = await answer('POST /api/v1/session', agent.post('/api/v1/session').send({ username: 'carol', password: created.oneTimePassword }), 200, contract.sessionAnswerSchema);
    expect(first.stage).toBe('password');
    const carol = signedIn(site.app, first.csrfToken, agent);
    expect((await answer('GET /api/v1/session', carol.get('/api/v1/session'), 200, contract.sessionAnswerSchema)).account.mustChangePassword).toBe(true);

    const { secret } = await answer('GET /api/v1/account/totp/secret', carol.get('/api/v1/account/totp/secret'), 200, contract.totpSecretAnswerSchema);
    await refusal('POST /api/v1/account/totp', carol.send('post', '/api/v1/account/totp', { secret, code: '12345' }), 'bad-request');
    const enrolled = await answer('POST /api/v1/account/totp', carol.send('post', '/api/v1/account/totp', { secret, code: totpCode(secret, site.clock.now()) }), 200, contract.enrollmentAnswerSchema);
    expect(enrolled.recoveryCodes).toHaveLength(10);
    carol.csrfToken = enrolled.session.csrfToken;
    await refusal('GET /api/v1/account/keys', carol.get('/api/v1/account/keys'), 'forbidden');
    await refusal('POST /api/v1/account/password', carol.send('post', '/api/v1/account/password', { currentPassword: created.oneTimePassword, newPassword: 'short' }), 'bad-request');
    const changed = await answer('POST /api/v1/account/password', carol.send('post', '/api/v1/account/password', { currentPassword: created.oneTimePassword, newPassword: 'a long new passphrase for her' }), 200, contract.passwordChangeAnswerSchema);
    carol.csrfToken = changed.session.csrfToken;
    await noContent('DELETE /api/v1/session', carol.send('delete', '/api/v1/session'));

    const again = request.agent(site.app);
    const step = await answer('POST /api/v1/session', again.post('/api/v1/session').send({ username: 'carol', password: 'a long new passphrase for her' }), 200, contract.sessionAnswerSchema);
    const carolAgain = signedIn(site.app, step.csrfToken, again);
    await refusal('POST /api/v1/session/recovery-code', carolAgain.send('post', '/api/v1/session/recovery-code', { code: 'not-a-recovery-code' }), 'unauthorized');
    const recovered = await answer('POST /api/v1/session/recovery-code', carolAgain.send('post', '/api/v1/session/recovery-code', { code: enrolled.recoveryCodes[0]! }), 200, contract.sessionAnswerSchema);
    expect(recovered).toMatchObject({ stage: 'complete', account: { secondFactors: { totp: true, webauthn: 0, recoveryCodesLeft: 9 } } });

    const third = request.agent(site.app);
    const password = await answer('POST /api/v1/session', third.post('/api/v1/session').send({ username: 'carol', password: 'a long new passphrase for her' }), 200, contract.sessionAnswerSchema);
    const carolThird = signedIn(site.app, password.csrfToken, third);
    await refusal('POST /api/v1/session/totp', carolThird.send('post', '/api/v1/session/totp', { code: 'not-a-code' }), 'unauthorized');
    site.clock.advance(30_000);
    const completed = await answer('POST /api/v1/session/totp', carolThird.send('post', '/api/v1/session/totp', { code: totpCode(secret, site.clock.now()) }), 200, contract.sessionAnswerSchema);
    expect(completed.stage).toBe('complete');
  });

  it('when security keys are asked for, then the options are their schemas, and an answer without a key or challenge is a refusal in the error shape', async () => {
    const options = await answer('POST /api/v1/account/webauthn/options', aliceSession.send('post', '/api/v1/account/webauthn/options'), 200, contract.webAuthnRegistrationOptionsSchema);
    expect(options.rp.id).toBe(new URL(site.intake.config.console.origin).hostname);
    await refusal('POST /api/v1/account/webauthn', aliceSession.send('post', '/api/v1/account/webauthn', { response: { id: 'x' }, currentPassword: alice.password }), 'unauthorized');

    await refusal('POST /api/v1/session/webauthn/options', aliceSession.send('post', '/api/v1/session/webauthn/options'), 'conflict');
    site.intake.storage.secondFactors.addWebAuthnCredential({ id: toBase64Url(randomBytes(16)), accountId: alice.id, publicKey: randomBytes(77), counter: 0, transports: ['usb'] }, dayOf(site.clock.now()));
    const signInOptions = await answer('POST /api/v1/session/webauthn/options', aliceSession.send('post', '/api/v1/session/webauthn/options'), 200, contract.webAuthnSignInOptionsSchema);
    expect(signInOptions.allowCredentials).toHaveLength(1);
    await refusal('POST /api/v1/session/webauthn', aliceSession.send('post', '/api/v1/session/webauthn', { response: { id: 'not one of the keys' } }), 'unauthorized');
    await refusal('POST /api/v1/session/webauthn', aliceSession.send('post', '/api/v1/session/webauthn', { response: {} }), 'conflict');
  });

  it('when an investigator stores a key and works a case, then every answer is its schema', async () => {
    const key = await generateInvestigatorKey({ name: 'alice', passphrase: TEST_PASSPHRASE });
    await refusal('POST /api/v1/account/keys', aliceSession.send('post', '/api/v1/account/keys', { publicKey: key.armoredPublicKey, lockedPrivateKey: key.armoredPublicKey }), 'bad-request');
    const stored = await answer('POST /api/v1/account/keys', aliceSession.send('post', '/api/v1/account/keys', { publicKey: key.armoredPublicKey, lockedPrivateKey: key.armoredPrivateKey }), 201, contract.newKeyAnswerSchema);
    const { keys } = await answer('GET /api/v1/account/keys', aliceSession.get('/api/v1/account/keys'), 200, contract.accountKeysAnswerSchema);
    expect(keys[0]?.fingerprint).toBe(stored.fingerprint);

    const alerts = await answer('GET /api/v1/account/notifications', aliceSession.get('/api/v1/account/notifications'), 200, contract.notificationSettingsAnswerSchema);
    expect(alerts.settings).toBeNull();
    const saved = await answer(
      'POST /api/v1/account/notifications',
      aliceSession.send('post', '/api/v1/account/notifications', { email: 'alice@example.org', enabled: true, encrypt: true, showCaseIds: false }),
      200,
      contract.notificationSettingsAnswerSchema,
    );
    expect(saved.settings?.encrypt).toBe(true);
    await refusal('POST /api/v1/account/notifications', aliceSession.send('post', '/api/v1/account/notifications', { email: 'nowhere', enabled: true, encrypt: false, showCaseIds: false }), 'bad-request');
    await refusal('GET /api/v1/account/notifications', rootSession.get('/api/v1/account/notifications'), 'forbidden');

    const directory = await answer('GET /api/v1/bodies/:bodyId/directory', aliceSession.get(`/api/v1/bodies/${TEST_BODY_ID}/directory`), 200, contract.bodyDirectoryAnswerSchema);
    expect(directory.inSync).toBe(false);
    await refusal('GET /api/v1/bodies/:bodyId/directory', aliceSession.get('/api/v1/bodies/no-such-body/directory'), 'not-found');
    // The new key reaches no case until a directory listing it is signed and imported (issue 15).
    const outOfReach = await answer('GET /api/v1/cases', aliceSession.get('/api/v1/cases'), 200, contract.casePageAnswerSchema);
    expect(outOfReach).toEqual({ cases: [], nextCursor: null, unreachableBodies: [{ bodyId: TEST_BODY_ID, reason: 'key-not-listed' }] });
    await refusal('GET /api/v1/cases/:caseId', aliceSession.get(`/api/v1/cases/${caseId}`), 'not-found');
    await site.signDirectory();

    const { attachmentId } = await reporter.upload(randomBytes(1000));
    await refusal('GET /api/v1/cases', aliceSession.get('/api/v1/cases?limit=0'), 'bad-request');
    const page = await answer('GET /api/v1/cases', aliceSession.get('/api/v1/cases?limit=1'), 200, contract.casePageAnswerSchema);
    expect(page.cases.map((summary) => summary.id)).toEqual([caseId]);
    expect(page.unreachableBodies).toEqual([]);
    await refusal('GET /api/v1/cases/:caseId', aliceSession.get(`/api/v1/cases/${'0'.repeat(64)}`), 'not-found');
    const detail = await answer('GET /api/v1/cases/:caseId', aliceSession.get(`/api/v1/cases/${caseId}`), 200, contract.caseDetailAnswerSchema);
    expect(detail.attachments.map((attachment) => attachment.id)).toEqual([attachmentId]);
    const report = detail.objects.find((object) => object.kind === 'report')!;
    expect((await rawBytes('GET /api/v1/cases/:caseId/objects/:seq', aliceSession.get(`/api/v1/cases/${caseId}/objects/${report.seq}`), 'application/octet-stream')).length).toBe(report.size);
    await refusal('GET /api/v1/cases/:caseId/objects/:seq', aliceSession.get(`/api/v1/cases/${caseId}/objects/01`), 'bad-request');
    await rawBytes('GET /api/v1/cases/:caseId/attachments/:attachmentId', aliceSession.get(`/api/v1/cases/${caseId}/attachments/${attachmentId}`), 'application/octet-stream');
    await refusal('GET /api/v1/cases/:caseId/attachments/:attachmentId', aliceSession.get(`/api/v1/cases/${caseId}/attachments/${'A'.repeat(22)}`), 'not-found');

    await refusal('PATCH /api/v1/cases/:caseId', aliceSession.send('patch', `/api/v1/cases/${caseId}`, { status: 'closed' }), 'bad-request');
    const triaged = await answer('PATCH /api/v1/cases/:caseId', aliceSession.send('patch', `/api/v1/cases/${caseId}`, { priority: 'high', assigneeId: alice.id, labels: ['contract'] }), 200, contract.caseSummarySchema);
    expect(triaged).toMatchObject({ priority: 'high', assignee: { id: alice.id, username: 'alice' }, labels: ['contract'] });

    const recipients = await reporter.recipients();
    const reply = {
      sealed: toBase64Url(sealReply(reporter.keys.replyPublicKey, utf8Encode('a reply'), 'reply')),
      copy: toBase64Url(await encryptReport('a reply', recipients, { caseId, kind: 'reply-copy' })),
    } satisfies contract.ReplyRequest;
    await refusal('POST /api/v1/cases/:caseId/replies', aliceSession.send('post', `/api/v1/cases/${caseId}/replies`, { sealed: reply.copy, copy: reply.copy }), 'bad-request');
    await answer('POST /api/v1/cases/:caseId/replies', aliceSession.send('post', `/api/v1/cases/${caseId}/replies`, reply), 201, contract.objectCreatedAnswerSchema);
    const note = { message: toBase64Url(await encryptReport('a note', recipients, { caseId, kind: 'note' })) } satisfies contract.NoteRequest;
    await refusal('POST /api/v1/cases/:caseId/notes', aliceSession.send('post', `/api/v1/cases/${caseId}/notes`, { message: 'not base64!' }), 'bad-request');
    await answer('POST /api/v1/cases/:caseId/notes', aliceSession.send('post', `/api/v1/cases/${caseId}/notes`, note), 201, contract.objectCreatedAnswerSchema);
    const closed = await answer('PATCH /api/v1/cases/:caseId', aliceSession.send('patch', `/api/v1/cases/${caseId}`, { status: 'closed', outcome: 'referred' }), 200, contract.caseSummarySchema);
    expect(closed).toMatchObject({ status: 'closed', outcome: 'referred', due: null });

    await rawBytes('GET /api/v1/cases/:caseId/export', aliceSession.get(`/api/v1/cases/${caseId}/export`), 'application/x-tar');
    await refusal('GET /api/v1/cases/:caseId/export', rootSession.get(`/api/v1/cases/${caseId}/export`), 'forbidden');
    const trail = await answer('GET /api/v1/cases/:caseId/audit', aliceSession.get(`/api/v1/cases/${caseId}/audit`), 200, contract.auditEntriesAnswerSchema);
    expect(trail.entries.map((entry) => entry.action)).toContain('case.exported');
    await refusal('GET /api/v1/cases/:caseId/audit', aliceSession.get(`/api/v1/cases/${'0'.repeat(64)}/audit`), 'not-found');
  });

  it('when an admin administers accounts, bodies and the audit log, then every answer is its schema', async () => {
    const created = await answer('POST /api/v1/admin/accounts', rootSession.send('post', '/api/v1/admin/accounts', { username: 'dave', role: 'admin' }), 201, contract.accountCreatedAnswerSchema);
    await refusal('POST /api/v1/admin/accounts', rootSession.send('post', '/api/v1/admin/accounts', { username: 'dave', role: 'admin' }), 'conflict');
    await refusal('GET /api/v1/admin/accounts', aliceSession.get('/api/v1/admin/accounts'), 'forbidden');
    const { accounts } = await answer('GET /api/v1/admin/accounts', rootSession.get('/api/v1/admin/accounts'), 200, contract.adminAccountsAnswerSchema);
    expect(accounts.map((account) => account.username)).toEqual(expect.arrayContaining(['alice', 'root', 'dave']));
    await answer('POST /api/v1/admin/accounts/:accountId/reset-second-factor', rootSession.send('post', `/api/v1/admin/accounts/${created.id}/reset-second-factor`), 200, contract.secondFactorResetAnswerSchema);
    await refusal('POST /api/v1/admin/accounts/:accountId/reset-second-factor', rootSession.send('post', `/api/v1/admin/accounts/${'A'.repeat(22)}/reset-second-factor`), 'not-found');
    await noContent('POST /api/v1/admin/accounts/:accountId/disable', rootSession.send('post', `/api/v1/admin/accounts/${created.id}/disable`));
    await refusal('POST /api/v1/admin/accounts/:accountId/disable', rootSession.send('post', `/api/v1/admin/accounts/${created.id}/disable`), 'conflict');

    const { bodies } = await answer('GET /api/v1/admin/bodies', rootSession.get('/api/v1/admin/bodies'), 200, contract.adminBodiesAnswerSchema);
    expect(bodies.find((body) => body.id === TEST_BODY_ID)?.signed?.recipients.length).toBeGreaterThan(0);
    await refusal('GET /api/v1/admin/bodies', aliceSession.get('/api/v1/admin/bodies'), 'forbidden');
    const { entries } = await answer('GET /api/v1/admin/audit', rootSession.get('/api/v1/admin/audit?limit=5'), 200, contract.auditEntriesAnswerSchema);
    expect(entries).toHaveLength(5);
    const older = await answer('GET /api/v1/admin/audit', rootSession.get(`/api/v1/admin/audit?beforeSeq=${entries.at(-1)!.seq}`), 200, contract.auditEntriesAnswerSchema);
    expect(older.entries[0]!.seq).toBe(entries.at(-1)!.seq - 1);
    await refusal('GET /api/v1/admin/audit', rootSession.get('/api/v1/admin/audit?limit=all'), 'bad-request');
  });

  it('when a request lacks its CSRF token or is too large, then the refusal is the error shape too', async () => {
    await refusal('POST /api/v1/cases/:caseId/notes', aliceSession.agent.post(`/api/v1/cases/${caseId}/notes`).send({ message: 'x' }), 'forbidden');
    await refusal('POST /api/v1/session', request(site.app).post('/api/v1/session').send({ username: 'alice', password: 'x'.repeat(300 * 1024) }), 'payload-too-large');
  });

  // Needs the tests above: run the file whole.
  it('when all the above ran, then every route the console serves was driven and its answers parsed', () => {
    expect(new Set(apiRoutes(site.app))).toEqual(driven);
  });
});
