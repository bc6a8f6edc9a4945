/**
 * The stamp a client build leaves beside its files: the pinned keys it was built for. Reading it
 * needs no build tools, so the serving process can tell whether a build is due without loading Vite.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP_FILE = 'candor-build.json';

/** True if `clientDir` holds a complete build for exactly `keys`. */
export function isClientBuiltFor(clientDir: string, keys: readonly string[]): boolean {
  const stampPath = join(clientDir, STAMP_FILE);
  if (!existsSync(join(clientDir, 'index.html')) || !existsSync(stampPath)) return false;
  const stamp = JSON.parse(readFileSync(stampPath, 'utf8')) as { keys?: unknown };
  return JSON.stringify(stamp.keys) === JSON.stringify(keys);
}

export function writeClientBuildStamp(clientDir: string, keys: readonly string[]): void {
  writeFileSync(join(clientDir, STAMP_FILE), `${JSON.stringify({ keys }, null, 2)}\n`);
}
