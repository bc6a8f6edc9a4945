/** Signing in to the review console: two factors, first sign-in, lockout, timeouts, CSRF, sign-out. */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FREE_ATTEMPTS } from '../../../server/console/auth/lockout';
import { totpCode } from '../../../server/console/auth/totp';
import { AccountService } from '../../../server/console/services/account-service';
import { signedIn, startTestConsole, today, type TestConsole } from '../../helpers/console';
import { TEST_BODY_ID } from '../../helpers/intake';

let site: TestConsole;
beforeEach(async () => {
  site = await startTestConsole({ start: new Date('2026-11-22T09:00:00Z') });
});
afterEach(() => site.close());

const cookieOf = (response: request.Response) => String(response.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
/** How many checks of a secret failed: each one checked writes one entry. */
const failedAttempts = () => site.intake.storage.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'session.sign-in-failed'").pluck().get() as number;

describe('console sign-in', () => {
  it('when the password and a TOTP code are right, then the session is complete, the cookie is replaced and strict', async () => {
    const alice = await site.account('alice', 'investigator');
    const agent = request.agent(site.app);
    const first = await agent.post('/api/v1/session').send({ username: 'alice', password: alice.password }).expect(200);
    expect(first.body.stage).toBe('password');
    expect(first.headers['set-cookie']?.[0]).toMatch(/candor_console=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict/);
    await agent.get('/api/v1/cases').expect(401);
    const second = await agent.post('/api/v1/session/totp').set('X-Candor-CSRF', first.body.csrfToken).send({ code: totpCode(alice.totpSecret, site.clock.now()) }).expect(200);
    expect(second.body.stage).toBe('complete');
    expect(cookieOf(second)).not.toBe(cookieOf(first));
    expect(second.body.csrfToken).not.toBe(first.body.csrfToken);
    expect(second.body.account).toMatchObject({ username: 'alice', role: 'investigator', bodies: [{ id: 'test-anti-corruption-body' }], mustChangePassword: false });
    await agent.get('/api/v1/cases').expect(200);
    // The old pre-factor cookie opens nothing any more.
    await request(site.app).get('/api/v1/session').set('Cookie', cookieOf(first)).expect(401);
    // The database keeps only hashes of session ids.
    const stored = site.intake.storage.db.prepare('SELECT id_hash FROM sessions').pluck().all() as string[];
    expect(stored.some((hash) => cookieOf(second).includes(hash))).toBe(false);
  });

  it('when the user name is unknown or the password wrong, then both answer the same 401', async () => {
    await site.account('alice', 'investigator');
    const unknown = await request(site.app).post('/api/v1/session').send({ username: 'mallory', password: 'whatever password' }).expect(401);
    const wrong = await request(site.app).post('/api/v1/session').send({ username: 'alice', password: 'whatever password' }).expect(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.headers['set-cookie']).toBeUndefined();
  });

  it('when a TOTP code is replayed, wrong, or from two steps ago, then it is refused', async () => {
    const alice = await site.account('alice', 'investigator');
    const session = await site.signIn(alice);
    const usedCode = totpCode(alice.totpSecret, site.clock.now());
    await session.send('delete', '/api/v1/session').expect(204);
    const agent = request.agent(site.app);
    const first = await agent.post('/api/v1/session').send({ username: 'alice', password: alice.password }).expect(200);
    await agent.post('/api/v1/session/totp').set('X-Candor-CSRF', first.body.csrfToken).send({ code: usedCode }).expect(401);
    await agent.post('/api/v1/session/totp').set('X-Candor-CSRF', first.body.csrfToken).send({ code: '000000' === usedCode ? '111111' : '000000' }).expect(401);
    const old = totpCode(alice.totpSecret, new Date(site.clock.now().getTime() - 90_000));
    await agent.post('/api/v1/session/totp').set('X-Candor-CSRF', first.body.csrfToken).send({ code: old }).expect(401);
  });

  it('when failures pile up, then the account locks with a growing delay that always ends, and a success resets it', async () => {
    const alice = await site.account('alice', 'investigator');
    for (let attempt = 0; attempt < FREE_ATTEMPTS; attempt += 1) {
      await request(site.app).post('/api/v1/session').send({ username: 'alice', password: 'not the password' }).expect(401);
    }
    const locked = await request(site.app).post('/api/v1/session').send({ username: 'alice', password: alice.password }).expect(429);
    expect(locked.body.error.details).toEqual(['retry-after: 60']);
    site.clock.advance(61_000);
    await request(site.app).post('/api/v1/session').send({ username: 'alice', password: 'not the password' }).expect(401);
    expect((await request(site.app).post('/api/v1/session').send({ username: 'alice', password: alice.password }).expect(429)).body.error.details).toEqual(['retry-after: 120']);
    site.clock.advance(121_000);
    await site.signIn(alice);
    expect(site.intake.storage.accounts.find(alice.id)?.failedLogins).toBe(0);
  });

  it('when wrong passwords arrive all at once under many spellings of the name, then only the free attempts are checked and the rest are refused', async () => {
    await site.account('alice', 'investigator');
    const spellings = ['alice', 'Alice', ' alice', 'ALICE', 'alice ', 'aLice'];
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => request(site.app).post('/api/v1/session').send({ username: spellings[i % spellings.length], password: `wrong guess ${i}` })),
    );
    expect(answers.filter((answer) => answer.status === 401).length).toBeLessThanOrEqual(FREE_ATTEMPTS);
    expect(answers.filter((answer) => answer.status === 429).length).toBeGreaterThanOrEqual(20 - FREE_ATTEMPTS);
    expect(site.intake.storage.accounts.findByUsername('alice')?.failedLogins).toBe(FREE_ATTEMPTS);
  });

  it('when an attacker keeps an account locked, then the owner’s browser that signed in before still signs in, and only its own failures count against it', async () => {
    const alice = await site.account('alice', 'investigator');
    const owner = await site.signIn(alice);
    await owner.send('delete', '/api/v1/session').expect(204);
    const attack = async () => {
      for (let attempt = 0; attempt < FREE_ATTEMPTS + 1; attempt += 1) await request(site.app).post('/api/v1/session').send({ username: 'alice', password: 'attacker guess' });
    };
    await attack();
    await request(site.app).post('/api/v1/session').send({ username: 'alice', password: alice.password }).expect(429);
    // The owner's browser kept its device cookie: the account lock does not apply to it.
    site.clock.advance(30_000);
    const first = await owner.agent.post('/api/v1/session').send({ username: 'alice', password: alice.password }).expect(200);
    const signedInAgain = await owner.agent.post('/api/v1/session/totp').set('X-Candor-CSRF', first.body.csrfToken).send({ code: totpCode(alice.totpSecret, site.clock.now()) }).expect(200);
    const csrf = signedInAgain.body.csrfToken as string;
    // Its own wrong guesses do count: past the free attempts the device is trusted no more.
    for (let attempt = 0; attempt < FREE_ATTEMPTS; attempt += 1) await owner.agent.post('/api/v1/session').set('X-Candor-CSRF', csrf).send({ username: 'alice', password: 'typo' }).expect(401);
    const { storage } = site.intake;
    expect(storage.db.prepare('SELECT count(*) FROM trusted_devices WHERE account_id = ?').pluck().get(alice.id)).toBe(0);
    // (Locked directly here: the attacker's per-name allowance for this minute is used up.)
    storage.db.prepare('UPDATE accounts SET locked_until = ? WHERE id = ?').run(site.clock.now().getTime() + 60_000, alice.id);
    await owner.agent.post('/api/v1/session').set('X-Candor-CSRF', csrf).send({ username: 'alice', password: alice.password }).expect(429);
  });

  it('when a signed-in session adds a second factor or changes the password, then the current password is needed, and wrong ones count as failed attempts', async () => {
    const alice = await site.account('alice', 'investigator');
    const other = await site.signIn(alice);
    const session = await site.signIn(alice);
    const { secret } = (await session.get('/api/v1/account/totp/secret').expect(200)).body;
    const code = () => totpCode(secret, site.clock.now());
    expect((await session.send('post', '/api/v1/account/totp', { secret, code: code() }).expect(401)).body.error.details).toEqual(['currentPassword: required']);
    await session.send('post', '/api/v1/account/totp', { secret, code: code(), currentPassword: 'not it' }).expect(401);
    const replaced = await session.send('post', '/api/v1/account/totp', { secret, code: code(), currentPassword: alice.password }).expect(200);
    session.csrfToken = replaced.body.session.csrfToken;
    // Changing a factor ends the account's other sessions.
    await other.get('/api/v1/session').expect(401);
    // Two checks of the current password so far this minute; three more are allowed, then none.
    for (let attempt = 0; attempt < FREE_ATTEMPTS - 2; attempt += 1) {
      await session.send('post', '/api/v1/account/password', { currentPassword: 'still not it', newPassword: 'a brand new passphrase' }).expect(401);
    }
    const refused = await session.send('post', '/api/v1/account/password', { currentPassword: alice.password, newPassword: 'a brand new passphrase' }).expect(429);
    expect(refused.body.error.code).toBe('rate-limited');
    expect(failedAttempts()).toBe(1 + FREE_ATTEMPTS - 2);
  });

  it('when wrong current passwords arrive all at once from a signed-in browser, then only the free attempts are checked and the rest are refused unchecked', async () => {
    const alice = await site.account('alice', 'investigator');
    const session = await site.signIn(alice);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => session.send('post', '/api/v1/account/password', { currentPassword: `wrong guess ${i}`, newPassword: 'a brand new passphrase' })),
    );
    expect(answers.filter((answer) => answer.status === 401).length).toBeLessThanOrEqual(FREE_ATTEMPTS);
    expect(answers.filter((answer) => answer.status === 429).length).toBeGreaterThanOrEqual(12 - FREE_ATTEMPTS);
    expect(failedAttempts()).toBeLessThanOrEqual(FREE_ATTEMPTS);
  });

  it('when an attacker keeps the account locked and wrong passwords arrive all at once from its trusted browser, then only the device’s free attempts are checked', async () => {
    const alice = await site.account('alice', 'investigator');
    const owner = await site.signIn(alice);
    await owner.send('delete', '/api/v1/session').expect(204);
    const { storage } = site.intake;
    storage.db.prepare('UPDATE accounts SET locked_until = ? WHERE id = ?').run(site.clock.now().getTime() + 3_600_000, alice.id);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => owner.agent.post('/api/v1/session').send({ username: 'alice', password: `wrong guess ${i}` })));
    expect(answers.filter((answer) => answer.status === 401).length).toBe(FREE_ATTEMPTS);
    expect(answers.filter((answer) => answer.status === 429).length).toBe(12 - FREE_ATTEMPTS);
    expect(failedAttempts()).toBe(FREE_ATTEMPTS);
    // Out of tries, the browser is trusted no more: the account's lock applies to it.
    expect(storage.db.prepare('SELECT count(*) FROM trusted_devices WHERE account_id = ?').pluck().get(alice.id)).toBe(0);
    await owner.agent.post('/api/v1/session').send({ username: 'alice', password: alice.password }).expect(429);
  });

  it('when a hundred malformed sign-ins arrive in a minute, then they are refused as bad requests and a real sign-in still works', async () => {
    const alice = await site.account('alice', 'investigator');
    const answers = await Promise.all(Array.from({ length: 120 }, () => request(site.app).post('/api/v1/session').send({})));
    expect(answers.every((answer) => answer.status === 400)).toBe(true);
    await site.signIn(alice);
  });

  it('when every sign-in under one name carries a made-up device cookie, then the name still gets 10 attempts a minute', async () => {
    const answers: number[] = [];
    for (let attempt = 0; attempt < 11; attempt += 1) {
      const cookie = `candor_console_device=${randomBytes(32).toString('base64url')}`;
      answers.push((await request(site.app).post('/api/v1/session').set('Cookie', cookie).send({ username: 'mallory', password: 'a guess' })).status);
    }
    expect(answers).toEqual([...Array<number>(10).fill(401), 429]);
  });

  it('when sign-ins under many names use up the overall allowance, then other browsers wait but the owner’s trusted browser still signs in', async () => {
    const alice = await site.account('alice', 'investigator');
    const bob = await site.account('bob', 'investigator');
    const owner = await site.signIn(alice);
    await owner.send('delete', '/api/v1/session').expect(204);
    // Ten locked accounts under ten names: each attempt passes the per-name limit, counts towards the
    // overall one, and is refused by the lock without any scrypt work.
    const { storage } = site.intake;
    const names = Array.from({ length: 10 }, (_, i) => `locked${i}`);
    for (const username of names) {
      storage.accounts.create({ id: `id-${username}`, username, role: 'investigator', passwordHash: storage.accounts.find(alice.id)!.passwordHash, mustChangePassword: false, createdOn: today(site.clock), bodyIds: [TEST_BODY_ID] });
      storage.db.prepare('UPDATE accounts SET locked_until = ? WHERE username = ?').run(site.clock.now().getTime() + 3_600_000, username);
    }
    const flood = await Promise.all(names.flatMap((username) => Array.from({ length: 10 }, () => request(site.app).post('/api/v1/session').send({ username, password: 'a guess' }))));
    expect(flood.every((answer) => answer.status === 429)).toBe(true);
    await request(site.app).post('/api/v1/session').send({ username: 'bob', password: bob.password }).expect(429);
    await owner.agent.post('/api/v1/session').send({ username: 'alice', password: alice.password }).expect(200);
  });

  it('when a session is idle too long or too old, then it ends', async () => {
    const alice = await site.account('alice', 'investigator');
    const idle = await site.signIn(alice);
    site.clock.advance(29 * 60_000);
    await idle.get('/api/v1/session').expect(200);
    site.clock.advance(31 * 60_000);
    await idle.get('/api/v1/session').expect(401);
    const busy = await site.signIn(alice);
    for (let quarter = 1; quarter < 12 * 4; quarter += 1) {
      site.clock.advance(15 * 60_000);
      await busy.get('/api/v1/session').expect(200);
    }
    site.clock.advance(16 * 60_000);
    await busy.get('/api/v1/session').expect(401);
  });

  it('when the session ends between the password and the code, then the second step says so rather than "wrong code"', async () => {
    const alice = await site.account('alice', 'investigator');
    const agent = request.agent(site.app);
    const first = await agent.post('/api/v1/session').send({ username: 'alice', password: alice.password }).expect(200);
    site.clock.advance(31 * 60_000);
    const late = await agent.post('/api/v1/session/totp').set('X-Candor-CSRF', first.body.csrfToken).send({ code: totpCode(alice.totpSecret, site.clock.now()) }).expect(401);
    expect(late.body.error.details).toEqual(['no-session']);
    const again = await agent.post('/api/v1/session').send({ username: 'alice', password: alice.password }).expect(200);
    const wrong = await agent.post('/api/v1/session/totp').set('X-Candor-CSRF', again.body.csrfToken).send({ code: '000000' === totpCode(alice.totpSecret, site.clock.now()) ? '111111' : '000000' }).expect(401);
    expect(wrong.body.error.details ?? []).not.toContain('no-session');
  });

  it('when a state-changing request lacks the CSRF token or is not JSON, then it is refused', async () => {
    const alice = await site.account('alice', 'investigator');
    const session = await site.signIn(alice);
    const noToken = await session.agent.delete('/api/v1/session').expect(403);
    expect(noToken.body.error.details).toEqual(['csrf']);
    await session.agent.delete('/api/v1/session').set('X-Candor-CSRF', 'x'.repeat(43)).expect(403);
    const form = await session.agent.post('/api/v1/account/password').set('X-Candor-CSRF', session.csrfToken).type('form').send('currentPassword=a&newPassword=b').expect(403);
    expect(form.body.error.details).toEqual(['csrf']);
    // Outside the case routes, bodies are small and refused before anything else is done.
    await request(site.app).post('/api/v1/session').send({ username: 'alice', password: 'x'.repeat(300 * 1024) }).expect(413);
    await session.send('delete', '/api/v1/session').expect(204);
    await session.get('/api/v1/session').expect(401);
  });

  it('when an account signs in for the first time, then it enrolls TOTP, gets recovery codes, must change its password, and a recovery code works later', async () => {
    const { oneTimePassword } = await new AccountService(site.intake.storage, site.clock).create({ username: 'bob', role: 'investigator', bodyIds: ['test-anti-corruption-body'] }, { username: 'test' });
    const agent = request.agent(site.app);
    const first = await agent.post('/api/v1/session').send({ username: 'bob', password: oneTimePassword }).expect(200);
    expect(first.body.account).toMatchObject({ mustChangePassword: true, secondFactors: { totp: false, webauthn: 0, recoveryCodesLeft: 0 } });
    const bob = signedIn(site.app, first.body.csrfToken, agent);
    const { secret, otpauthUri } = (await bob.get('/api/v1/account/totp/secret').expect(200)).body;
    expect(otpauthUri).toContain(`secret=${secret}`);
    const enrolled = await bob.send('post', '/api/v1/account/totp', { secret, code: totpCode(secret, site.clock.now()) }).expect(200);
    expect(enrolled.body.recoveryCodes).toHaveLength(10);
    expect(enrolled.body.session.stage).toBe('complete');
    bob.csrfToken = enrolled.body.session.csrfToken;
    const blocked = await bob.get('/api/v1/cases').expect(403);
    expect(blocked.body.error.details).toEqual(['password-change-required']);
    await bob.send('post', '/api/v1/account/password', { currentPassword: oneTimePassword, newPassword: 'short' }).expect(400);
    await bob.send('post', '/api/v1/account/password', { currentPassword: oneTimePassword, newPassword: 'bob is my password ok' }).expect(400);
    const changed = await bob.send('post', '/api/v1/account/password', { currentPassword: oneTimePassword, newPassword: 'a brand new passphrase' }).expect(200);
    bob.csrfToken = changed.body.session.csrfToken;
    await bob.get('/api/v1/cases').expect(200);
    // Enrollment at the password stage is only for accounts without a second factor.
    const again = request.agent(site.app);
    const later = await again.post('/api/v1/session').send({ username: 'bob', password: 'a brand new passphrase' }).expect(200);
    await again.get('/api/v1/account/totp/secret').expect(401);
    const recovered = await again.post('/api/v1/session/recovery-code').set('X-Candor-CSRF', later.body.csrfToken).send({ code: enrolled.body.recoveryCodes[0] }).expect(200);
    expect(recovered.body.account.secondFactors.recoveryCodesLeft).toBe(9);
    const reuse = request.agent(site.app);
    const third = await reuse.post('/api/v1/session').send({ username: 'bob', password: 'a brand new passphrase' }).expect(200);
    await reuse.post('/api/v1/session/recovery-code').set('X-Candor-CSRF', third.body.csrfToken).send({ code: enrolled.body.recoveryCodes[0] }).expect(401);
  });

  it('when sign-in events happen, then the audit log records them without passwords or codes, and the chain verifies', async () => {
    const alice = await site.account('alice', 'investigator');
    await request(site.app).post('/api/v1/session').send({ username: 'alice', password: 'not the password' }).expect(401);
    await site.signIn(alice);
    const rows = site.intake.storage.db.prepare('SELECT actor, action, details FROM audit_log ORDER BY seq').all() as { actor: string; action: string; details: string }[];
    expect(rows.map((row) => row.action)).toEqual(['account.created', 'session.sign-in-failed', 'session.signed-in']);
    expect(JSON.stringify(rows)).not.toContain('not the password');
    expect(site.intake.storage.audit.verify().intact).toBe(true);
    expect(site.logLines.join('\n')).not.toMatch(/alice|password/);
  });
});
