/**
 * What the serving process knows of the client builds: whether both are built for the directory pins
 * now in force. Building them is the preparation step's (server/prepare.ts, with
 * tools/client-build/build-clients.ts), never this process's: the server does not load Vite.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CandorConfig } from '../config/schema';
import { isClientBuiltFor } from '../tools/client-build/client-build-stamp';
import { PinnedKeysVersion1Error, readDirectoryPins, writeDirectoryPins } from '../tools/client-build/pinned-keys';

/**
 * Pins the demo body's key in a new pinned-keys file, with the demo directory's serial as the minimum;
 * an operator's existing file is left as it is.
 */
export function pinDemoKey(path: string, bodyId: string, key: string, minimumSerial: number): void {
  if (existsSync(path)) return;
  writeDirectoryPins(resolve(path), { [bodyId]: { keys: [key], minimumSerial } });
}

/** True if both clients are built for the pins; false if either must be built (or the pins are not there yet, or must be upgraded). */
export function clientsBuiltForPinnedKeys(config: CandorConfig): boolean {
  const path = resolve(config.intake.pinnedKeysFile);
  if (!existsSync(path)) return false;
  let pins;
  try {
    pins = readDirectoryPins(path);
  } catch (error) {
    if (error instanceof PinnedKeysVersion1Error) return false;
    throw error;
  }
  return isClientBuiltFor(resolve(config.intake.clientDir), pins) && isClientBuiltFor(resolve(config.console.clientDir), pins);
}
