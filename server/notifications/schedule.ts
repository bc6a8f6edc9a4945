/**
 * When alerts go out: digests are built at each multiple of the interval (so a mail's time tells the
 * mail provider only which interval its events fell in, never when a reporter acted), and a digest
 * that could not be sent is tried again after a growing pause, a bounded number of times.
 */

/** The interval `now` falls in, numbered since 1970-01-01 00:00 UTC. */
export function slotOf(now: Date, intervalMinutes: number): number {
  return Math.floor(now.getTime() / (intervalMinutes * 60_000));
}

/** Attempts per digest; after the last one fails the digest is dropped (logged), and the next interval's starts afresh. */
export const MAX_SEND_ATTEMPTS = 8;
const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 4 * 3_600_000;

/** The pause after failed attempt `attempt` (1, 2, …): one minute, doubling, at most four hours; some 4¼ hours in all. */
export function retryDelayMs(attempt: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** (Math.max(attempt, 1) - 1), LONGEST_RETRY_MS);
}
