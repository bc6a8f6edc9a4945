/**
 * The stamp a client build leaves beside its files: the directory pins it was built for. Reading it
 * needs no build tools, so the serving process can tell whether a build is due without loading Vite.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DirectoryPins } from '../../protocol/directory-pins';

const STAMP_FILE = 'candor-build.json';

/** True if `clientDir` holds a complete build for exactly `pins`. */
export function isClientBuiltFor(clientDir: string, pins: DirectoryPins): boolean {
  const stampPath = join(clientDir, STAMP_FILE);
  if (!existsSync(join(clientDir, 'index.html')) || !existsSync(stampPath)) return false;
  const stamp = JSON.parse(readFileSync(stampPath, 'utf8')) as { pins?: unknown };
  return JSON.stringify(stamp.pins) === JSON.stringify(pins);
}

export function writeClientBuildStamp(clientDir: string, pins: DirectoryPins): void {
  writeFileSync(join(clientDir, STAMP_FILE), `${JSON.stringify({ pins }, null, 2)}\n`);
}
