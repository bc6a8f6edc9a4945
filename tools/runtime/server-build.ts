/**
 * Builds the server into dist/server/ when it is missing or its sources changed. `npm start` and
 * `npm run admin` run this file before `exec node dist/server/<entry>.js`, so a checkout always runs
 * the code it holds, and a production install (dist/ without the sources) runs dist/ as it is. Node
 * runs this file itself (type stripping), so only erasable TypeScript and Node built-ins here: it
 * must work before anything is built, and without devDependencies. It exits before the server
 * starts, so the server's process holds nothing of it.
 */
import { spawnSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { serverBuildState } from '../server-build/build-stamp.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const SERVER_DIST = join(REPO_ROOT, 'dist', 'server');
const VITE_CONFIG = join(REPO_ROOT, 'tools', 'server-build', 'server.vite.config.ts');

function viteCli(): string | null {
  try {
    return createRequire(import.meta.url).resolve('vite/package.json').replace(/package\.json$/, 'bin/vite.js');
  } catch {
    return null;
  }
}

/**
 * Bundles the server into a fresh folder beside dist/server and moves it into place, so that a
 * process starting meanwhile never reads half a build. Vite's output goes to stderr: an admin
 * command's stdout may be a file the operator keeps.
 */
export function buildServer(): void {
  const vite = viteCli();
  if (vite === null) {
    throw new Error('The server must be built (dist/server/ is missing or older than its sources), and the build tools are not installed: run `npm ci` with the devDependencies.');
  }
  const staging = `${SERVER_DIST}.build-${process.pid}`;
  const built = spawnSync(process.execPath, [vite, 'build', '--config', VITE_CONFIG, '--outDir', staging], { cwd: REPO_ROOT, stdio: ['ignore', 2, 2] });
  if (built.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`Building the server failed (${built.signal ?? `exit code ${built.status}`}).`);
  }
  rmSync(SERVER_DIST, { recursive: true, force: true });
  try {
    renameSync(staging, SERVER_DIST);
  } catch (error) {
    // Another build (a second `npm start`, a test run) moved its own into place first: the same
    // sources give the same bundle, so theirs serves as well as this one.
    rmSync(staging, { recursive: true, force: true });
    if (serverBuildState(REPO_ROOT, SERVER_DIST).state !== 'fresh') throw error;
  }
}

/** Builds the server if dist/server/ is missing or was built from other sources; says why on stderr. */
export function ensureServerBuilt(): void {
  const build = serverBuildState(REPO_ROOT, SERVER_DIST);
  if (build.state !== 'stale') return;
  console.error(`Building the server (${build.reason}) ...`);
  buildServer();
}

if (import.meta.main) {
  try {
    ensureServerBuilt();
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
