/**
 * Builds the intake and console clients for the directory keys now pinned, with Vite: run by the
 * preparation step of `npm start` (server/prepare.ts), in its own process, and by
 * `npm run admin -- build-clients`, which `npm run build` and the image build run. Never imported by
 * the serving process, which only reads the build stamp (client-build-stamp.ts).
 */
import { resolve } from 'node:path';
import type { UserConfig } from 'vite';
import type { CandorConfig } from '../../config/schema';
import { writeAssetManifest } from './asset-manifest';
import { isClientBuiltFor, writeClientBuildStamp } from './client-build-stamp';
import { consoleViteConfig, intakeViteConfig, type ClientBuildOptions } from './client-vite-config';
import type { DirectoryPins } from '../../protocol/directory-pins';
import { readDirectoryPins } from './pinned-keys';

/** A client must be built, and this installation has no build tools (a production image). */
export class ClientBuildUnavailableError extends Error {
  override readonly name = 'ClientBuildUnavailableError';
}

export interface ClientBuildRequest {
  /** Build even when the stamp says the build is for these keys (after the clients' sources changed). */
  readonly force?: boolean;
}

async function ensureBundleBuilt(
  clientDir: string,
  pins: DirectoryPins,
  viteConfig: (options: ClientBuildOptions) => UserConfig,
  request: ClientBuildRequest,
): Promise<'built' | 'up-to-date'> {
  if (request.force !== true && isClientBuiltFor(clientDir, pins)) return 'up-to-date';
  // Vite is a build tool, present in a development checkout; imported only when a build is needed.
  const { build } = await import('vite').catch((cause: unknown) => {
    throw new ClientBuildUnavailableError(
      `The client in ${clientDir} is missing or built for other pinned keys, and this installation has no build tools: build it where they are installed (npm run admin -- build-clients) or rebuild the image.`,
      { cause },
    );
  });
  await build({ configFile: false, ...viteConfig({ outDir: clientDir, pins }) });
  writeAssetManifest(clientDir, new Date().toISOString().slice(0, 10));
  writeClientBuildStamp(clientDir, pins);
  return 'built';
}

/** Builds whichever of the two clients is missing or built for other keys; 'built' if either was. */
export async function ensureClientBuilt(config: CandorConfig, request: ClientBuildRequest = {}): Promise<'built' | 'up-to-date'> {
  const pins = readDirectoryPins(resolve(config.intake.pinnedKeysFile));
  const intakeBundle = await ensureBundleBuilt(resolve(config.intake.clientDir), pins, intakeViteConfig, request);
  const consoleBundle = await ensureBundleBuilt(resolve(config.console.clientDir), pins, consoleViteConfig, request);
  return intakeBundle === 'built' || consoleBundle === 'built' ? 'built' : 'up-to-date';
}
