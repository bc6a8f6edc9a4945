/**
 * The compiled server (dist/server/) that `npm start` runs, for the tests that start it as an
 * operator does. Vitest's global setup builds it once per run when its sources changed (as `npm start`
 * would); a failed build does not stop the run, only the tests that need it, which say why.
 */
import { join } from 'node:path';
import { REPO_ROOT, SERVER_DIST, ensureServerBuilt } from '../../tools/runtime/server-build.ts';
import { serverBuildState } from '../../tools/server-build/build-stamp.ts';

/** Vitest's globalSetup: runs in the main process before any test file. */
export default function buildServerOnce(): void {
  try {
    ensureServerBuilt();
  } catch (error) {
    console.warn(`The compiled server is not available to the tests that start it: ${(error as Error).message}`);
  }
}

/** The path of dist/server/<entry>.js; throws unless it was built from the sources now in the tree. */
export function compiledEntry(entry: 'start' | 'cli'): string {
  const build = serverBuildState(REPO_ROOT, SERVER_DIST);
  if (build.state !== 'fresh') throw new Error(`dist/server/ is not built from the sources here (${build.state === 'stale' ? build.reason : 'no sources'}): see the build error above.`);
  return join(SERVER_DIST, `${entry}.js`);
}
