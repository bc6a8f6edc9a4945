/**
 * `npm run build`, the server part: bundles the intake server, its preparation step and the operator's
 * command line into dist/server/ as ES modules for Node 24, and records what they were built from
 * (build-stamp.ts). Packages stay in node_modules: better-sqlite3 is a native module, and the
 * production image installs the dependencies with npm, not inside the bundle.
 */
import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { buildStamp, STAMP_FILE } from './build-stamp.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Writes the build stamp once the bundle is on disk, so an interrupted build leaves none. */
function stampBuild(): Plugin {
  let modules: string[] = [];
  return {
    name: 'candor-server-build-stamp',
    apply: 'build',
    generateBundle() {
      modules = [...this.getModuleIds()]
        .filter((id) => id.startsWith(`${ROOT}/`) && !id.includes('/node_modules/'))
        .map((id) => relative(ROOT, id));
    },
    writeBundle(options) {
      if (options.dir === undefined) throw new Error('The server build writes to a folder (build.outDir).');
      writeFileSync(join(options.dir, STAMP_FILE), `${JSON.stringify(buildStamp(ROOT, modules), null, 2)}\n`);
    },
  };
}

export default defineConfig({
  root: ROOT,
  publicDir: false,
  logLevel: 'warn',
  build: {
    ssr: true,
    target: 'node24',
    outDir: 'dist/server',
    emptyOutDir: true,
    // Readable stack traces in the operator's log; the size of server code does not matter.
    minify: false,
    reportCompressedSize: false,
    rollupOptions: {
      input: { start: 'server/start.ts', prepare: 'server/prepare.ts', cli: 'server/cli.ts' },
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        // Every file two folders below the root, as the sources are: the code that finds files
        // beside it (config/torrc.template, the clients' sources) goes up from import.meta.dirname.
        chunkFileNames: '[name]-[hash].js',
      },
    },
  },
  plugins: [stampBuild()],
});
