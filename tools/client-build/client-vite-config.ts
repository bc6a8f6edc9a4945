/**
 * The Vite configuration of the intake and console bundles: both follow the same rules for what a
 * built page may contain (no inline code, SRI on every asset, pinned keys compiled in).
 */
import type { DirectoryPins } from '../../protocol/directory-pins';
import { resolve } from 'node:path';
import type { UserConfig } from 'vite';
import { subresourceIntegrity } from './subresource-integrity.ts';

export interface ClientBuildOptions {
  readonly outDir: string;
  /** The directory keys trusted per body, compiled in as `__CANDOR_DIRECTORY_PINS__`. */
  readonly pins: DirectoryPins;
}

/** How a bundle is built; the browser benchmark builds its pages the same way, to measure the same code. */
export const BUNDLE_BUILD_SETTINGS = {
  emptyOutDir: true,
  // No inline scripts or styles may be emitted: the CSP forbids them.
  assetsInlineLimit: 0,
  modulePreload: { polyfill: false },
  sourcemap: false,
  target: 'es2022',
  reportCompressedSize: false,
  // openpgp.js is most of each bundle (about 180 KiB gzip in all, see README).
  chunkSizeWarningLimit: 700,
} as const satisfies UserConfig['build'];

/** The configuration of the bundle whose sources are in client/<name>/. */
function clientViteConfig(name: 'intake' | 'console', options: ClientBuildOptions): UserConfig {
  return {
    root: resolve(import.meta.dirname, '..', '..', 'client', name),
    base: '/',
    publicDir: false,
    logLevel: 'warn',
    // The pinned keys become part of the code, covered by its hash (docs/protocol.md §11.4).
    define: { __CANDOR_DIRECTORY_PINS__: JSON.stringify(options.pins) },
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: { outDir: resolve(options.outDir), ...BUNDLE_BUILD_SETTINGS },
    plugins: [subresourceIntegrity()],
  };
}

/** The intake client's configuration, for `npm run build`, the CLI build and the build `npm start` runs. */
export const intakeViteConfig = (options: ClientBuildOptions): UserConfig => clientViteConfig('intake', options);

/** The review console client's configuration, for the same three builds. */
export const consoleViteConfig = (options: ClientBuildOptions): UserConfig => clientViteConfig('console', options);
