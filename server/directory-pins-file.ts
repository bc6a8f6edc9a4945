/**
 * Pins a body's directory key in the pinned-keys file (tools/client-build/pinned-keys.ts), as the
 * admin commands do (create-body --key-out, pin-directory-key). The clients compile the file in, so
 * a change reaches reporters only once they are rebuilt: `npm start` rebuilds them when it changes.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DirectoryPin } from '../protocol/directory-pins';
import { readDirectoryPins, writeDirectoryPins } from '../tools/client-build/pinned-keys';

/** As many keys as the file takes for one body (protocol/directory-pins.ts). */
const MAX_KEYS_PER_BODY = 16;

export interface PinChange {
  /** The lowest serial the clients accept for the body; unchanged (0 for a new pin) when left out. */
  readonly minimumSerial?: number;
  /** The key becomes the body's only one; otherwise it is added to the keys pinned already. */
  readonly replace?: boolean;
  /** Whether the body has cases from before protocol version 2 (unsigned reports); unchanged when left out. */
  readonly unsignedCases?: boolean;
}

/**
 * Adds `key` to the pins of `bodyId` in the file at `path` (created if missing) and returns the
 * body's pin as written. Throws PinnedKeysVersion1Error for a version 1 file, which `npm start` upgrades.
 */
export function pinDirectoryKey(path: string, bodyId: string, key: string, change: PinChange = {}): DirectoryPin {
  const file = resolve(path);
  const pins = existsSync(file) ? readDirectoryPins(file) : {};
  const previous = Object.hasOwn(pins, bodyId) ? pins[bodyId] : undefined;
  const keys = change.replace === true || previous === undefined ? [key] : [...new Set([...previous.keys, key])];
  if (keys.length > MAX_KEYS_PER_BODY) throw new Error(`${bodyId} has ${MAX_KEYS_PER_BODY} pinned keys already; pin the new one with --replace.`);
  const unsignedCases = change.unsignedCases ?? previous?.unsignedCases === true;
  const pin: DirectoryPin = { keys, minimumSerial: change.minimumSerial ?? previous?.minimumSerial ?? 0, ...(unsignedCases ? { unsignedCases: true } : {}) };
  writeDirectoryPins(file, { ...pins, [bodyId]: pin });
  return pin;
}
