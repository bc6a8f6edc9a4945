/**
 * Every check of an investigator's secret (password, TOTP or recovery code, security key, current
 * password) goes through here, so that guessing is slow and nobody can lock an investigator out for
 * good. Behind Tor there is no address to tell an attacker from the owner; what tells them apart is
 * a device cookie (OWASP's "device cookies"): a browser that completed a sign-in of the account gets
 * one, and the account's lock does not apply to it; it has a failure count of its own instead.
 * Either count is taken before the (slow) check runs, so parallel guesses cannot slip past it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Clock } from '../../clock';
import { AppError } from '../../errors';
import type { AccountRecord, AttemptReservation } from '../../storage/accounts-repository';
import type { Storage } from '../../storage/index';
import { FREE_ATTEMPTS, lockedUntil } from './lockout';
import { cookieValue } from './sessions';

export const DEVICE_COOKIE = 'candor_console_device';
export const DEVICE_TRUST_DAYS = 90;
const DEVICE_TRUST_MS = DEVICE_TRUST_DAYS * 86_400_000;

/** How an attempt is counted (in advance): against the browser's own trust, or against the account. */
export type Attempt =
  | { readonly by: 'device'; readonly token: string; readonly tokenHash: string }
  | { readonly by: 'account'; readonly reservation?: AttemptReservation };

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The browser an attempt came from, when the account trusts it: what a password change leaves trusted. */
export const trustedDeviceOf = (attempt: Attempt): string | undefined => (attempt.by === 'device' ? attempt.tokenHash : undefined);

function deviceToken(req: Request): string | undefined {
  const token = cookieValue(req, DEVICE_COOKIE);
  return token !== undefined && /^[\w-]{43}$/.test(token) ? token : undefined;
}

export class SignInGuard {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly secureCookies: boolean,
  ) {}

  /**
   * The hash of the request's device cookie when the account trusts that device and it has tries
   * left, else undefined. Only a hint (for choosing a rate-limit bucket): `begin` decides.
   */
  trustedDevice(req: Request, account: AccountRecord): string | undefined {
    const token = deviceToken(req);
    if (token === undefined) return undefined;
    const tokenHash = hashToken(token);
    const device = this.storage.trustedDevices.find(tokenHash, account.id, this.clock.now().getTime() - DEVICE_TRUST_MS);
    return device !== undefined && device.failedLogins < FREE_ATTEMPTS ? tokenHash : undefined;
  }

  /**
   * Starts an attempt at one of the account's secrets and counts it as failed until `passed` or
   * `completed` gives it back. Refused while the account is locked, except for a device it trusts
   * that has tries left; a device without any is treated like any other browser.
   */
  begin(req: Request, account: AccountRecord): Attempt {
    const token = deviceToken(req);
    const now = this.clock.now().getTime();
    if (token !== undefined) {
      const tokenHash = hashToken(token);
      if (this.storage.trustedDevices.reserveAttempt(tokenHash, account.id, now - DEVICE_TRUST_MS, FREE_ATTEMPTS)) return { by: 'device', token, tokenHash };
    }
    const reservation = this.storage.accounts.reserveAttempt(account.id, now, (failures) => lockedUntil(failures, now));
    if (reservation === null) {
      const until = this.storage.accounts.find(account.id)?.lockedUntil ?? now;
      const seconds = Math.max(1, Math.ceil((until - now) / 1000));
      throw new AppError('rate-limited', `Too many failed attempts. Try again in ${seconds} seconds.`, { details: [`retry-after: ${seconds}`] });
    }
    return { by: 'account', reservation };
  }

  /** The secret was right: the attempt counted in advance is given back. */
  passed(account: AccountRecord, attempt: Attempt): void {
    if (attempt.by === 'device') this.storage.trustedDevices.refundAttempt(attempt.tokenHash);
    else if (attempt.reservation !== undefined) this.storage.accounts.refundAttempt(account.id, attempt.reservation);
  }

  /** The secret was wrong (already counted): recorded in the audit log; a device out of tries is trusted no more. */
  failed(account: AccountRecord, attempt: Attempt, step: string): void {
    const now = this.clock.now();
    this.storage.transaction(() => {
      if (attempt.by === 'device') this.storage.trustedDevices.settleFailure(attempt.tokenHash, FREE_ATTEMPTS);
      this.storage.audit.append({ actor: account.username, action: 'session.sign-in-failed', details: { step } }, now);
    });
  }

  /**
   * A complete sign-in, with the factor that completed it: the counts start again, the audit log
   * records it, and this browser is trusted for the next 90 days. A trusted browser keeps its token
   * (a fresh one would leave it untrusted if this answer were lost on the way) but its trust runs
   * from now, and the cookie is sent again with a fresh age: daily use never ends it.
   */
  completed(res: Response, account: AccountRecord, attempt: Attempt, factor: string): void {
    const at = this.clock.now();
    const now = at.getTime();
    const token = this.storage.transaction(() => {
      this.storage.accounts.recordSuccess(account.id);
      let trusted: string;
      if (attempt.by === 'device' && this.storage.trustedDevices.renew(attempt.tokenHash, now)) {
        trusted = attempt.token;
      } else {
        trusted = randomBytes(32).toString('base64url');
        this.storage.trustedDevices.trust(hashToken(trusted), account.id, now, now - DEVICE_TRUST_MS);
      }
      this.storage.audit.append({ actor: account.username, action: 'session.signed-in', details: { factor } }, at);
      return trusted;
    });
    res.cookie(DEVICE_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: this.secureCookies, path: '/', maxAge: DEVICE_TRUST_MS });
  }
}
