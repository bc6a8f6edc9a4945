/**
 * Makes sure the intake and console clients are built for the directory keys now pinned: `npm start`
 * builds them on first run (after the demo setup made its key) and again whenever the pinned keys
 * change. A production image builds them once, with the body's real keys, before it starts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { UserConfig } from 'vite';
import type { CandorConfig } from '../config/schema';
import { writeAssetManifest } from '../tools/client-build/asset-manifest';
import { consoleViteConfig, intakeViteConfig, type ClientBuildOptions } from '../tools/client-build/client-vite-config';
import { pinnedKeysDocument, readPinnedKeys } from '../tools/client-build/pinned-keys';

const STAMP_FILE = 'candor-build.json';

/** Writes a pinned-keys file (for a fresh demo: unless the operator already has one). */
export function writePinnedKeys(path: string, keys: readonly string[], options: { readonly overwrite: boolean }): void {
  if (!options.overwrite && existsSync(path)) return;
  writeFileSync(resolve(path), `${JSON.stringify(pinnedKeysDocument(keys), null, 2)}\n`, { mode: 0o644 });
}

/** A client must be built, and this installation has no build tools (a production image). */
export class ClientBuildUnavailableError extends Error {
  override readonly name = 'ClientBuildUnavailableError';
}

async function ensureBundleBuilt(clientDir: string, keys: readonly string[], viteConfig: (options: ClientBuildOptions) => UserConfig): Promise<'built' | 'up-to-date'> {
  const stampPath = join(clientDir, STAMP_FILE);
  const stamp = existsSync(stampPath) ? (JSON.parse(readFileSync(stampPath, 'utf8')) as { keys?: unknown }) : null;
  if (existsSync(join(clientDir, 'index.html')) && JSON.stringify(stamp?.keys) === JSON.stringify(keys)) return 'up-to-date';
  // Vite is a build tool, present in a development checkout; imported only when a build is needed.
  const { build } = await import('vite').catch((cause: unknown) => {
    throw new ClientBuildUnavailableError(
      `The client in ${clientDir} is missing or built for other pinned keys, and this installation has no build tools: build it where they are installed (npm run admin -- build-clients) or rebuild the image.`,
      { cause },
    );
  });
  await build({ configFile: false, ...viteConfig({ outDir: clientDir, pinnedKeys: keys }) });
  writeAssetManifest(clientDir, new Date().toISOString().slice(0, 10));
  writeFileSync(stampPath, `${JSON.stringify({ keys }, null, 2)}\n`);
  return 'built';
}

/** Builds whichever of the two clients is missing or built for other keys; 'built' if either was. */
export async function ensureClientBuilt(config: CandorConfig): Promise<'built' | 'up-to-date'> {
  const keys = readPinnedKeys(resolve(config.intake.pinnedKeysFile));
  const intakeBundle = await ensureBundleBuilt(resolve(config.intake.clientDir), keys, intakeViteConfig);
  const consoleBundle = await ensureBundleBuilt(resolve(config.console.clientDir), keys, consoleViteConfig);
  return intakeBundle === 'built' || consoleBundle === 'built' ? 'built' : 'up-to-date';
}
