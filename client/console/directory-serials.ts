/**
 * The highest directory serial this browser has verified for each body, kept in the investigator's
 * own browser: a server that later serves an older directory (a replay, from before a key was
 * removed) is refused with `directory-outdated`, even though the older one is validly signed.
 */

/** What of the Web Storage API this needs: `localStorage` in the console, a map in tests. */
export type SerialStorage = Pick<Storage, 'getItem' | 'setItem'>;

const KEY_PREFIX = 'candor.directory-serial.';

export class DirectorySerials {
  constructor(private readonly storage: SerialStorage | null) {}

  /** The highest serial verified here for `bodyId`, or 0 if none (a version 1 directory counts as 0). */
  highest(bodyId: string): number {
    const stored = this.read(bodyId);
    return stored ?? 0;
  }

  /** Remembers `serial` for `bodyId` if it is higher than any seen before; a serial never goes down. */
  remember(bodyId: string, serial: number): void {
    if (this.storage === null || serial <= this.highest(bodyId)) return;
    try {
      this.storage.setItem(KEY_PREFIX + bodyId, String(serial));
    } catch {
      // Storage full or refused (private window): the pins' minimum serial still holds.
    }
  }

  private read(bodyId: string): number | null {
    if (this.storage === null) return null;
    let text: string | null;
    try {
      text = this.storage.getItem(KEY_PREFIX + bodyId);
    } catch {
      return null;
    }
    // Only a serial this code wrote counts; anything else is as if nothing were stored.
    if (text === null || !/^[1-9]\d{0,14}$/.test(text)) return null;
    return Number(text);
  }
}

/** The browser's localStorage, or null where the browser refuses it (some private modes throw on access). */
export function browserSerialStorage(): SerialStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
