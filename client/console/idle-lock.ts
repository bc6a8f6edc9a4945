/**
 * Locks the console when it is left alone. The server ends a session after `idleMinutes` without a
 * request, but a tab left open would still show what it decrypted; so the tab forgets its keys and
 * plaintext after as many minutes without a key press or pointer use. While someone is using the page
 * without making requests (reading a long report), it asks the server to keep the session alive.
 */

export type IdleAction = 'end' | 'keep-alive' | 'wait';

export interface IdleState {
  readonly now: number;
  /** Last key press, click, touch or scroll in the page. */
  readonly lastUseAt: number;
  /** Last request to the server, which restarts the server's idle timer. */
  readonly lastRequestAt: number;
  readonly idleMinutes: number;
}

export function idleAction({ now, lastUseAt, lastRequestAt, idleMinutes }: IdleState): IdleAction {
  const idleMs = idleMinutes * 60_000;
  if (now - lastUseAt >= idleMs) return 'end';
  // Half the window: a keep-alive sent now reaches the server well before it gives up on the session.
  if (lastUseAt > lastRequestAt && now - lastRequestAt >= idleMs / 2) return 'keep-alive';
  return 'wait';
}

/** How often the tab checks; an idle session ends at most this much after its time. */
export const IDLE_CHECK_MS = 15_000;

export const PAGE_USE_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;
