/**
 * Challenges the intake checks without having stored them: each carries its expiry and difficulty
 * and an HMAC under a key that lives only in this process. Issuing one costs an HMAC and no memory,
 * so a flood of requests for challenges fills nothing and locks nobody out (issue 13). A challenge
 * is remembered only once it is redeemed, by a request that did the work or holds the case key, so
 * that it works once. A restart forgets the key: outstanding challenges then fail and clients fetch
 * new ones, which costs them one retry.
 */
import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { fromBase64Url, toBase64Url } from '../../crypto/index';
import type { Clock } from '../clock';

const FORMAT_VERSION = 1;
const RANDOM_BYTES = 16;
const MAC_BYTES = 16;
/** version (1) ‖ expiry in seconds (4) ‖ difficulty bits (1) ‖ random (16) */
const BODY_BYTES = 1 + 4 + 1 + RANDOM_BYTES;
export const CHALLENGE_BYTES = BODY_BYTES + MAC_BYTES;
const MAC_CONTEXT = 'candor/v1/intake-challenge';

export interface CheckedChallenge {
  readonly expiresAtMs: number;
  readonly difficultyBits: number;
}

export class ChallengeSigner {
  // A KeyObject, made once: an HMAC keyed with one costs a fifth of one keyed with bytes, which
  // Node wraps anew on every call, and every reporter request checks a challenge and issues one.
  private readonly key: KeyObject;

  constructor(
    private readonly clock: Clock,
    key: Uint8Array = randomBytes(32),
  ) {
    this.key = createSecretKey(key);
  }

  private mac(scope: string, body: Uint8Array): Buffer {
    return createHmac('sha256', this.key).update(MAC_CONTEXT).update('\0').update(scope).update('\0').update(body).digest().subarray(0, MAC_BYTES);
  }

  /** A challenge for `scope` (a case id, or the proof of work), valid for `ttlMs`. */
  issue(scope: string, ttlMs: number, difficultyBits = 0): string {
    const body = Buffer.alloc(BODY_BYTES);
    body.writeUInt8(FORMAT_VERSION, 0);
    body.writeUInt32BE(Math.ceil((this.clock.now().getTime() + ttlMs) / 1000), 1);
    body.writeUInt8(difficultyBits, 5);
    randomBytes(RANDOM_BYTES).copy(body, 6);
    return toBase64Url(Buffer.concat([body, this.mac(scope, body)]));
  }

  /** The challenge's terms if this server issued it for `scope` and it has not expired; else undefined. */
  check(challenge: string, scope: string): CheckedChallenge | undefined {
    let bytes: Uint8Array;
    try {
      bytes = fromBase64Url(challenge);
    } catch {
      return undefined;
    }
    if (bytes.length !== CHALLENGE_BYTES || bytes[0] !== FORMAT_VERSION) return undefined;
    const body = Buffer.from(bytes.subarray(0, BODY_BYTES));
    if (!timingSafeEqual(this.mac(scope, body), bytes.subarray(BODY_BYTES))) return undefined;
    const expiresAtMs = body.readUInt32BE(1) * 1000;
    if (expiresAtMs <= this.clock.now().getTime()) return undefined;
    return { expiresAtMs, difficultyBits: body.readUInt8(5) };
  }
}

/**
 * Challenges already redeemed, until they expire, each with what the redeemer needs to remember of
 * it (`T`). Entries are added only after the work or the signature that redeems them was checked, so
 * filling this costs the filler that work; the cap is a last bound on memory, not a limit anyone
 * reaches by asking.
 */
export class SpentChallenges<T extends object = object> {
  private readonly entries = new Map<string, { readonly expiresAtMs: number; readonly record: T }>();

  constructor(
    private readonly clock: Clock,
    private readonly capacity: number,
  ) {}

  /** True the first time; false when the challenge was spent before, or when there is no room left. */
  spend(challenge: string, expiresAtMs: number, record: T): boolean {
    if (this.isSpent(challenge) || this.isFull()) return false;
    this.entries.set(challenge, { expiresAtMs, record });
    return true;
  }

  isFull(): boolean {
    this.dropExpired();
    return this.entries.size >= this.capacity;
  }

  /** What was remembered of a spent challenge that is still live. */
  find(challenge: string): T | undefined {
    const entry = this.entries.get(challenge);
    return entry !== undefined && entry.expiresAtMs > this.clock.now().getTime() ? entry.record : undefined;
  }

  isSpent(challenge: string): boolean {
    return this.find(challenge) !== undefined;
  }

  get size(): number {
    return this.entries.size;
  }

  private dropExpired(): void {
    const now = this.clock.now().getTime();
    // Challenges of one kind share one lifetime, so an entry expires at most that long after it was
    // added: stopping at the first live one keeps expired ones for one lifetime more at the most.
    for (const [challenge, { expiresAtMs }] of this.entries) {
      if (expiresAtMs > now) break;
      this.entries.delete(challenge);
    }
  }
}
