/**
 * Backoff after failed sign-in attempts: free tries, then a lock that doubles per failure and is
 * capped, so guessing is slow but nobody can lock an investigator out for good by failing on purpose.
 */
export const FREE_ATTEMPTS = 5;
export const FIRST_LOCK_MS = 60_000;
export const LONGEST_LOCK_MS = 60 * 60_000;

/** Until when the account is locked after this many consecutive failures (ms since epoch), or null. */
export function lockedUntil(consecutiveFailures: number, now: number): number | null {
  if (consecutiveFailures < FREE_ATTEMPTS) return null;
  const doublings = Math.min(consecutiveFailures - FREE_ATTEMPTS, 10);
  return now + Math.min(FIRST_LOCK_MS * 2 ** doublings, LONGEST_LOCK_MS);
}
