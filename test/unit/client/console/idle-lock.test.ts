/** When the console ends an unused session itself, and when it keeps a used one alive. */
import { describe, expect, it } from 'vitest';
import { idleAction } from '../../../../client/console/idle-lock';

const MINUTE = 60_000;
const at = (minutes: number) => minutes * MINUTE;

describe('idleAction', () => {
  it('when nobody used the page for the idle time, then the session ends, whatever the requests', () => {
    expect(idleAction({ now: at(30), lastUseAt: at(0), lastRequestAt: at(29), idleMinutes: 30 })).toBe('end');
    expect(idleAction({ now: at(29.9), lastUseAt: at(0), lastRequestAt: at(0), idleMinutes: 30 })).toBe('wait');
  });

  it('when someone uses the page without requests for half the idle time, then the session is kept alive', () => {
    expect(idleAction({ now: at(15), lastUseAt: at(14), lastRequestAt: at(0), idleMinutes: 30 })).toBe('keep-alive');
    expect(idleAction({ now: at(14), lastUseAt: at(13), lastRequestAt: at(0), idleMinutes: 30 })).toBe('wait');
  });

  it('when the last request came after the last use, then no keep-alive is sent: the server counts from that request', () => {
    expect(idleAction({ now: at(20), lastUseAt: at(1), lastRequestAt: at(2), idleMinutes: 30 })).toBe('wait');
  });
});
