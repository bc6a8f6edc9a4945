/**
 * Single-use challenges held in memory: for reporter authentication (scoped to a case id) and for
 * the proof of work on case creation. A restart forgets them, which only costs a client a retry.
 */
import { randomBytes, toBase64Url } from '../../crypto/index';
import type { Clock } from '../clock';
import { AppError } from '../errors';

interface Entry {
  readonly scope: string;
  readonly expiresAt: number;
}

export class ChallengeStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly capacity: number,
    private readonly clock: Clock,
  ) {}

  issue(scope: string): string {
    this.dropExpired();
    // A full store is a flood; refusing new challenges bounds memory and old ones still work.
    if (this.entries.size >= this.capacity) throw new AppError('rate-limited', 'The server is busy. Try again in a minute.');
    const challenge = toBase64Url(randomBytes(24));
    this.entries.set(challenge, { scope, expiresAt: this.clock.now().getTime() + this.ttlMs });
    return challenge;
  }

  /** True once for a live challenge issued for `scope`; the challenge is gone afterwards either way. */
  consume(challenge: string, scope: string): boolean {
    const entry = this.entries.get(challenge);
    if (entry === undefined) return false;
    this.entries.delete(challenge);
    return entry.scope === scope && entry.expiresAt > this.clock.now().getTime();
  }

  private dropExpired(): void {
    const now = this.clock.now().getTime();
    // Entries are in issue order and share one lifetime, so the expired ones are all at the front.
    for (const [challenge, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.entries.delete(challenge);
    }
  }
}
