/**
 * Every check of an investigator's secret (password, TOTP or recovery code, security key, current
 * password) goes through here, so that guessing is slow and nobody can lock an investigator out for
 * good. Behind Tor there is no address to tell an attacker from the owner; what tells them apart is
 * a device cookie (OWASP's "device cookies"): a browser that completed a sign-in of the account gets
 * one, and the account's lock does not apply to it; it has a failure count of its own instead.
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

/** How an attempt is counted: against the browser's own trust, or against the account (counted in advance). */
export type Attempt = { readonly by: 'device'; readonly tokenHash: string } | { readonly by: 'account'; readonly reservation?: AttemptReservation };

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export class SignInGuard {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly secureCookies: boolean,
  ) {}

  /** Starts an attempt at one of the account's secrets; refused while the account is locked, except for a device it trusts. */
  begin(req: Request, account: AccountRecord): Attempt {
    const token = cookieValue(req, DEVICE_COOKIE);
    const now = this.clock.now().getTime();
    if (token !== undefined && /^[\w-]{43}$/.test(token)) {
      const tokenHash = hashToken(token);
      if (this.storage.accounts.trustedDevice(tokenHash, account.id, now - DEVICE_TRUST_DAYS * 86_400_000) !== undefined) return { by: 'device', tokenHash };
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
    if (attempt.by === 'account' && attempt.reservation !== undefined) this.storage.accounts.refundAttempt(account.id, attempt.reservation);
  }

  /** The secret was wrong: recorded in the audit log (the account's count already holds it). */
  failed(account: AccountRecord, attempt: Attempt, step: string): void {
    const now = this.clock.now();
    this.storage.db.transaction(() => {
      if (attempt.by === 'device') this.storage.accounts.recordDeviceFailure(attempt.tokenHash, FREE_ATTEMPTS);
      this.storage.audit.append({ actor: account.username, action: 'session.sign-in-failed', details: { step } }, now);
    })();
  }

  /** A complete sign-in: the counts start again, and this browser is trusted from now on. */
  completed(res: Response, account: AccountRecord, attempt: Attempt): void {
    this.storage.accounts.recordSuccess(account.id);
    if (attempt.by === 'device') {
      this.storage.accounts.resetDevice(attempt.tokenHash);
      return;
    }
    const token = randomBytes(32).toString('base64url');
    this.storage.accounts.trustDevice(hashToken(token), account.id, this.clock.now().getTime());
    res.cookie(DEVICE_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: this.secureCookies, path: '/', maxAge: DEVICE_TRUST_DAYS * 86_400_000 });
  }
}
