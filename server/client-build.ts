/**
 * What the serving process knows of the client builds: whether both are built for the directory keys
 * now pinned. Building them is the preparation step's (server/prepare.ts, with
 * tools/client-build/build-clients.ts), never this process's: the server does not load Vite.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CandorConfig } from '../config/schema';
import { isClientBuiltFor } from '../tools/client-build/client-build-stamp';
import { pinnedKeysDocument, readPinnedKeys } from '../tools/client-build/pinned-keys';

/** Writes a pinned-keys file (for a fresh demo: unless the operator already has one). */
export function writePinnedKeys(path: string, keys: readonly string[], options: { readonly overwrite: boolean }): void {
  if (!options.overwrite && existsSync(path)) return;
  writeFileSync(resolve(path), `${JSON.stringify(pinnedKeysDocument(keys), null, 2)}\n`, { mode: 0o644 });
}

/** True if both clients are built for the pinned keys; false if either must be built (or the keys are not there yet). */
export function clientsBuiltForPinnedKeys(config: CandorConfig): boolean {
  const path = resolve(config.intake.pinnedKeysFile);
  if (!existsSync(path)) return false;
  const keys = readPinnedKeys(path);
  return isClientBuiltFor(resolve(config.intake.clientDir), keys) && isClientBuiltFor(resolve(config.console.clientDir), keys);
}
