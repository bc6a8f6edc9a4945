/** Admin routes and the directory workflow: accounts, second-factor reset, bodies, audit; WebAuthn options. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInvestigatorKey, signDirectory, type Base64Url } from '../../../crypto/index';
import { BodyService } from '../../../server/console/services/body-service';
import { TEST_PASSPHRASE } from '../../helpers/crypto';
import { signedIn, startTestConsole, type SignedIn, type TestConsole } from '../../helpers/console';
import { TEST_BODY_ID } from '../../helpers/intake';

let site: TestConsole;
let admin: SignedIn;
beforeAll(async () => {
  // Today's clock: keys made now must not look as if from the future.
  site = await startTestConsole();
  admin = await site.signIn(await site.account('root', 'admin'));
});
afterAll(() => site.close());

describe('console administration', () => {
  it('when an admin creates an investigator, then the one-time password signs in once and leads to enrollment; bad input is refused clearly', async () => {
    const created = await admin.send('post', '/api/v1/admin/accounts', { username: 'erin', role: 'investigator', bodies: [TEST_BODY_ID] }).expect(201);
    expect(created.body.oneTimePassword).toMatch(/^[a-z2-9]{20}$/);
    await admin.send('post', '/api/v1/admin/accounts', { username: 'erin', role: 'investigator', bodies: [TEST_BODY_ID] }).expect(409);
    expect((await admin.send('post', '/api/v1/admin/accounts', { username: 'Erin!', role: 'investigator' }).expect(400)).body.error.details[0]).toMatch(/^username:/);
    await admin.send('post', '/api/v1/admin/accounts', { username: 'frank', role: 'investigator', bodies: [] }).expect(400);
    await admin.send('post', '/api/v1/admin/accounts', { username: 'frank', role: 'investigator', bodies: ['no-such-body'] }).expect(400);
    await admin.send('post', '/api/v1/admin/accounts', { username: 'frank', role: 'superuser', bodies: [TEST_BODY_ID] }).expect(400);
    const signIn = await request(site.app).post('/api/v1/session').send({ username: 'erin', password: created.body.oneTimePassword }).expect(200);
    expect(signIn.body.account.mustChangePassword).toBe(true);
    const accounts = (await admin.get('/api/v1/admin/accounts').expect(200)).body.accounts as { username: string; bodies: string[] }[];
    expect(accounts.find((a) => a.username === 'erin')).toMatchObject({ bodies: [TEST_BODY_ID], disabledOn: null, secondFactors: { totp: false, webauthn: 0 } });
  });

  it('when the same body is listed twice or two admins create the same name at once, then the answer is a clear 400 or 409, never a 500', async () => {
    const twice = await admin.send('post', '/api/v1/admin/accounts', { username: 'jules', role: 'investigator', bodies: [TEST_BODY_ID, TEST_BODY_ID] }).expect(400);
    expect(twice.body.error.details).toEqual(['bodies: each body is listed once']);
    const create = () => admin.send('post', '/api/v1/admin/accounts', { username: 'kim', role: 'investigator', bodies: [TEST_BODY_ID] });
    const answers = await Promise.all([create(), create()]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    expect(answers.find((answer) => answer.status === 409)!.body.error.code).toBe('conflict');
  });

  it('when an account is disabled a second time, then it is refused and the first day and its one audit entry stand', async () => {
    const lou = await site.account('lou', 'investigator');
    await admin.send('post', `/api/v1/admin/accounts/${lou.id}/disable`).expect(204);
    const disabledOn = site.intake.storage.accounts.find(lou.id)!.disabledOn;
    site.clock.advance(86_400_000);
    admin = await site.signIn(await site.account('root-lou', 'admin'));
    const again = await admin.send('post', `/api/v1/admin/accounts/${lou.id}/disable`).expect(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', message: `The account lou is already disabled (since ${disabledOn}).` });
    expect(site.intake.storage.accounts.find(lou.id)!.disabledOn).toBe(disabledOn);
    const entries = site.intake.storage.audit.list({ limit: 500 }).filter((entry) => entry.action === 'account.disabled' && entry.details.username === 'lou');
    expect(entries).toHaveLength(1);
  });

  it('when an admin resets a second factor, then the factors go, the old password stops working and the sessions end', async () => {
    const gina = await site.account('gina', 'investigator', [TEST_BODY_ID], { key: 'none' });
    const ginaSession = await site.signIn(gina);
    const reset = await admin.send('post', `/api/v1/admin/accounts/${gina.id}/reset-second-factor`).expect(200);
    await ginaSession.get('/api/v1/session').expect(401);
    await request(site.app).post('/api/v1/session').send({ username: 'gina', password: gina.password }).expect(401);
    const again = await request(site.app).post('/api/v1/session').send({ username: 'gina', password: reset.body.oneTimePassword }).expect(200);
    expect(again.body.account.secondFactors).toEqual({ totp: false, webauthn: 0, recoveryCodesLeft: 0 });
    await admin.send('post', `/api/v1/admin/accounts/${'A'.repeat(22)}/reset-second-factor`).expect(404);
  });

  it('when an admin acts on their own account, then disabling or resetting it is refused', async () => {
    const me = (await admin.get('/api/v1/session').expect(200)).body.account.id as string;
    await admin.send('post', `/api/v1/admin/accounts/${me}/disable`).expect(409);
    await admin.send('post', `/api/v1/admin/accounts/${me}/reset-second-factor`).expect(409);
  });

  it('when an investigator gets a key, then the body is out of sync until the directory is re-signed with the listed keys', async () => {
    const hana = await site.account('hana', 'investigator', [TEST_BODY_ID], { key: 'none' });
    const session = await site.signIn(hana);
    const key = await generateInvestigatorKey({ name: 'hana', passphrase: TEST_PASSPHRASE });
    await session.send('post', '/api/v1/account/keys', { publicKey: key.armoredPublicKey, lockedPrivateKey: key.armoredPrivateKey }).expect(201);
    const bodyOf = async () => ((await admin.get('/api/v1/admin/bodies').expect(200)).body.bodies as { id: string; inSync: boolean; signed: { recipients: { fingerprint: string }[] } }[]).find((b) => b.id === TEST_BODY_ID)!;
    expect((await bodyOf()).inSync).toBe(false);
    // As the admin does offline: sign what the server proposes, then hand the signed directory back.
    const bodies = new BodyService(site.intake.storage, site.clock);
    const signed = signDirectory(bodies.directoryRequest(TEST_BODY_ID, 30), site.intake.directoryKey.secretKey as Base64Url);
    await bodies.importSignedDirectory({ bodyId: TEST_BODY_ID, signed, pins: site.intake.pins }, { username: 'test' });
    const body = await bodyOf();
    expect(body.inSync).toBe(true);
    expect(body.signed.recipients.map((r) => r.fingerprint)).toEqual([key.fingerprint]);
    // The intake now serves the new directory, which verifies against the pinned key.
    const served = await request(site.intake.app).get(`/api/v1/bodies/${TEST_BODY_ID}`).expect(200);
    expect(JSON.stringify(served.body.signedDirectory)).toBe(site.intake.storage.bodies.find(TEST_BODY_ID)!.signedDirectory);
    const audit = (await admin.get('/api/v1/admin/audit?limit=3').expect(200)).body.entries as { action: string; seq: number }[];
    expect(audit[0]?.action).toBe('directory.signed');
    const older = (await admin.get(`/api/v1/admin/audit?limit=3&beforeSeq=${audit[2]!.seq}`).expect(200)).body.entries as { seq: number }[];
    expect(older.every((entry) => entry.seq < audit[2]!.seq)).toBe(true);
    await admin.get('/api/v1/admin/audit?limit=0').expect(400);
  });

  it('when security-key options are asked for, then they name the console origin’s host and the account, and a sign-in without a key is refused', async () => {
    const { oneTimePassword } = (await admin.send('post', '/api/v1/admin/accounts', { username: 'ivan', role: 'investigator', bodies: [TEST_BODY_ID] }).expect(201)).body;
    const agent = request.agent(site.app);
    const first = await agent.post('/api/v1/session').send({ username: 'ivan', password: oneTimePassword }).expect(200);
    const ivan = signedIn(site.app, first.body.csrfToken, agent);
    const options = (await ivan.send('post', '/api/v1/account/webauthn/options').expect(200)).body;
    expect(options.rp).toEqual({ name: 'Candor review console', id: 'localhost' });
    expect(options.user.name).toBe('ivan');
    expect(options.challenge).toMatch(/^[\w-]{20,}$/);
    await ivan.send('post', '/api/v1/session/webauthn/options').expect(409);
    // An answer without a matching challenge or credential is refused, never trusted.
    await ivan.send('post', '/api/v1/account/webauthn', { response: { id: 'x', rawId: 'x', type: 'public-key', response: {} } }).expect(401);
    await ivan.send('post', '/api/v1/account/webauthn', { response: { id: 'x' } }).expect(409);
  });
});

describe('investigator keys and the directory', () => {
  it('when an investigator stores a key, then only a passphrase-locked private half is accepted, the old key is retired but kept, and the directory is out of sync until re-signed', async () => {
    const dave = await site.account('dave', 'investigator', [TEST_BODY_ID], { key: 'none' });
    const session = await site.signIn(dave);
    const first = await generateInvestigatorKey({ name: 'dave', passphrase: TEST_PASSPHRASE });
    await session.send('post', '/api/v1/account/keys', { publicKey: first.armoredPublicKey, lockedPrivateKey: first.armoredPublicKey }).expect(400);
    await session.send('post', '/api/v1/account/keys', { publicKey: first.armoredPublicKey, lockedPrivateKey: first.armoredPrivateKey }).expect(201);
    await session.send('post', '/api/v1/account/keys', { publicKey: first.armoredPublicKey, lockedPrivateKey: first.armoredPrivateKey }).expect(409);
    const second = await generateInvestigatorKey({ name: 'dave', passphrase: TEST_PASSPHRASE });
    await session.send('post', '/api/v1/account/keys', { publicKey: second.armoredPublicKey, lockedPrivateKey: second.armoredPrivateKey }).expect(201);
    const keys = (await session.get('/api/v1/account/keys').expect(200)).body.keys;
    expect(keys.map((k: { fingerprint: string; retiredOn: string | null }) => [k.fingerprint, k.retiredOn === null])).toEqual([
      [second.fingerprint, true],
      [first.fingerprint, false],
    ]);
    const directory = (await session.get(`/api/v1/bodies/${TEST_BODY_ID}/directory`).expect(200)).body;
    expect(directory.inSync).toBe(false);
    expect(directory.investigators.map((i: { fingerprint: string }) => i.fingerprint)).toContain(second.fingerprint);
    expect(directory.signed.recipients.map((r: { fingerprint: string }) => r.fingerprint)).not.toContain(second.fingerprint);
  });
});
