/**
 * `npm run build`: bundles the server into dist/server/, then has it build both clients for the
 * pinned keys the configuration names (`npm run admin -- build-clients --force`).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildServer, SERVER_DIST } from './server-build.ts';

buildServer();
const clients = spawnSync(process.execPath, [join(SERVER_DIST, 'cli.js'), 'build-clients', '--force'], { stdio: 'inherit' });
process.exitCode = clients.status ?? 1;
