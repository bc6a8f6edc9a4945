/** The intake client's Vite configuration, for the CLI build and for the build `npm start` runs. */
import { resolve } from 'node:path';
import type { UserConfig } from 'vite';
import { subresourceIntegrity } from './subresource-integrity.ts';

export function intakeViteConfig(options: { readonly outDir: string; readonly pinnedKeys: readonly string[] }): UserConfig {
  return {
    root: resolve(import.meta.dirname, '../intake'),
    base: '/',
    publicDir: false,
    logLevel: 'warn',
    // The pinned keys become part of the code, covered by its hash (docs/protocol.md §11.4).
    define: { __CANDOR_PINNED_KEYS__: JSON.stringify(options.pinnedKeys) },
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir: resolve(options.outDir),
      emptyOutDir: true,
      // No inline scripts or styles may be emitted: the CSP forbids them.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      sourcemap: false,
      target: 'es2022',
      reportCompressedSize: false,
      // openpgp.js is most of the bundle (about 180 KiB gzip in all, see README).
      chunkSizeWarningLimit: 700,
    },
    plugins: [subresourceIntegrity()],
  };
}
