/** Trusted browsers (device cookies): their trust lasts while they are used, and ends when an admin or the owner takes the account back. */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Day } from '../../../server/clock';
import { DEVICE_COOKIE, DEVICE_TRUST_DAYS } from '../../../server/console/auth/sign-in-guard';
import { totpCode } from '../../../server/console/auth/totp';
import { startTestConsole, type TestAccount, type TestConsole } from '../../helpers/console';

let site: TestConsole;
beforeEach(async () => {
  site = await startTestConsole({ start: new Date('2026-11-22T09:00:00Z') });
});
afterEach(() => site.close());

const DAY_MS = 86_400_000;
type Agent = ReturnType<typeof request.agent>;

/** Signs in with password and TOTP in this browser; returns the second step's answer (it sets the device cookie). */
async function signInWith(agent: Agent, account: TestAccount, password = account.password): Promise<request.Response> {
  site.clock.advance(30_000);
  const first = await agent.post('/api/v1/session').send({ username: account.username, password }).expect(200);
  return agent.post('/api/v1/session/totp').set('X-Candor-CSRF', first.body.csrfToken).send({ code: totpCode(account.totpSecret, site.clock.now()) }).expect(200);
}

/** The device cookie a response sets, as `{ value, maxAge }`. */
function deviceCookieOf(response: request.Response): { value: string; maxAge: string } | undefined {
  const cookies = (response.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  const cookie = cookies.find((line) => line.startsWith(`${DEVICE_COOKIE}=`));
  if (cookie === undefined) return undefined;
  return { value: cookie.split(';')[0]!.slice(DEVICE_COOKIE.length + 1), maxAge: /Max-Age=(\d+)/.exec(cookie)?.[1] ?? '' };
}

/** An attacker keeps the account locked. */
function lock(account: TestAccount): void {
  site.intake.storage.db.prepare('UPDATE accounts SET locked_until = ? WHERE id = ?').run(site.clock.now().getTime() + 3_600_000, account.id);
}

const trustedDevices = (account: TestAccount) => site.intake.storage.db.prepare('SELECT token_hash FROM trusted_devices WHERE account_id = ?').pluck().all(account.id) as string[];
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('trusted browsers', () => {
  it('when the owner keeps signing in from the same browser, then its trust runs from the latest sign-in and the cookie is sent again with a fresh age', async () => {
    const alice = await site.account('alice', 'investigator');
    const browser = request.agent(site.app);
    const first = deviceCookieOf(await signInWith(browser, alice));
    site.clock.advance(60 * DAY_MS);
    const again = deviceCookieOf(await signInWith(browser, alice));
    expect(again).toEqual({ value: first?.value, maxAge: String(DEVICE_TRUST_DAYS * 86_400) });
    // Day 100: past 90 days from the first sign-in, within 90 of the latest.
    site.clock.advance(40 * DAY_MS);
    lock(alice);
    await request(site.app).post('/api/v1/session').send({ username: 'alice', password: alice.password }).expect(429);
    await signInWith(browser, alice);
  });

  it('when browsers whose trust ran out are left behind (Tor Browser forgets its cookies), then the next new one clears them away', async () => {
    const alice = await site.account('alice', 'investigator');
    await signInWith(request.agent(site.app), alice);
    await signInWith(request.agent(site.app), alice);
    expect(trustedDevices(alice)).toHaveLength(2);
    site.clock.advance(DEVICE_TRUST_DAYS * DAY_MS);
    const latest = deviceCookieOf(await signInWith(request.agent(site.app), alice));
    expect(trustedDevices(alice)).toEqual([sha256(latest!.value)]);
  });

  it('when a browser is not used for 90 days, then it is trusted no more', async () => {
    const alice = await site.account('alice', 'investigator');
    const browser = request.agent(site.app);
    await signInWith(browser, alice);
    site.clock.advance(DEVICE_TRUST_DAYS * DAY_MS);
    lock(alice);
    await browser.post('/api/v1/session').send({ username: 'alice', password: alice.password }).expect(429);
  });

  it('when the owner changes the password, then the other browsers are trusted no more and this one still is', async () => {
    const alice = await site.account('alice', 'investigator');
    const office = request.agent(site.app);
    const home = request.agent(site.app);
    const officeSignIn = await signInWith(office, alice);
    await signInWith(home, alice);
    expect(trustedDevices(alice)).toHaveLength(2);
    const newPassword = { currentPassword: alice.password, newPassword: 'a brand new passphrase' };
    const changed = await office.post('/api/v1/account/password').set('X-Candor-CSRF', officeSignIn.body.csrfToken).send(newPassword).expect(200);
    expect(trustedDevices(alice)).toEqual([sha256(deviceCookieOf(officeSignIn)!.value)]);
    lock(alice);
    await office.post('/api/v1/session').set('X-Candor-CSRF', changed.body.session.csrfToken).send({ username: 'alice', password: 'a brand new passphrase' }).expect(200);
    await home.post('/api/v1/session').send({ username: 'alice', password: 'a brand new passphrase' }).expect(429);
  });

  it('when an admin resets the second factor or disables the account, then its browsers are trusted no more', async () => {
    const admin = await site.signIn(await site.account('root', 'admin'));
    const alice = await site.account('alice', 'investigator');
    const bob = await site.account('bob', 'investigator');
    await signInWith(request.agent(site.app), alice);
    await signInWith(request.agent(site.app), bob);
    await admin.send('post', `/api/v1/admin/accounts/${alice.id}/reset-second-factor`).expect(200);
    await admin.send('post', `/api/v1/admin/accounts/${bob.id}/disable`).expect(204);
    expect(trustedDevices(alice)).toEqual([]);
    expect(trustedDevices(bob)).toEqual([]);
  });

  it('when storage is asked to disable an account twice, then the second time changes nothing and says so', async () => {
    const alice = await site.account('alice', 'investigator');
    const { accounts } = site.intake.storage;
    expect(accounts.disable(alice.id, '2026-11-22' as Day)).toBe(true);
    expect(accounts.disable(alice.id, '2026-11-23' as Day)).toBe(false);
    expect(accounts.find(alice.id)?.disabledOn).toBe('2026-11-22');
  });
});
