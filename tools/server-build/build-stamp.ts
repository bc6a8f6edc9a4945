/**
 * Which sources a server build was made from: the bundler records every module it read with its
 * SHA-256, and `npm start` and `npm run admin` rebuild when any of them changed. Run by Node itself
 * (tools/runtime/), so only erasable TypeScript and Node built-ins here.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const STAMP_FILE = 'build-stamp.json';
const STAMP_FORMAT = 'candor-server-build';
const STAMP_VERSION = 1;
/** Not modules, but a change in them changes the build: the dependencies and how they are bundled. */
export const BUILD_INPUTS = ['package-lock.json', 'tools/server-build/server.vite.config.ts', 'tools/server-build/build-stamp.ts'] as const;

export interface BuildStamp {
  readonly format: typeof STAMP_FORMAT;
  readonly version: typeof STAMP_VERSION;
  /** Node's major version the bundle targets. */
  readonly node: string;
  /** Repository-relative path to the SHA-256 (hex) of its contents. */
  readonly inputs: Readonly<Record<string, string>>;
}

/** The major version of the Node running this, which the bundle targets. */
const nodeMajor = (): string => process.versions.node.replace(/\..*$/, '');

function fileHash(path: string): string | null {
  return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : null;
}

/** The stamp of a build that read `modules` (repository-relative paths), with the build inputs. */
export function buildStamp(root: string, modules: readonly string[]): BuildStamp {
  const inputs: Record<string, string> = {};
  for (const path of [...new Set([...modules, ...BUILD_INPUTS])].sort()) {
    const hash = fileHash(join(root, path));
    if (hash !== null) inputs[path] = hash;
  }
  return { format: STAMP_FORMAT, version: STAMP_VERSION, node: nodeMajor(), inputs };
}

export type BuildState =
  | { readonly state: 'fresh' }
  | { readonly state: 'stale'; readonly reason: string }
  /** A compiled installation (the production image): the sources are not there to compare with. */
  | { readonly state: 'no-sources' };

/** Whether the build in `outDir` was made from the sources now under `root`. */
export function serverBuildState(root: string, outDir: string): BuildState {
  const stampPath = join(outDir, STAMP_FILE);
  const hasSources = existsSync(join(root, 'server', 'start.ts'));
  if (!existsSync(stampPath)) return hasSources ? { state: 'stale', reason: `${outDir} holds no build` } : { state: 'no-sources' };
  if (!hasSources) return { state: 'no-sources' };
  const stamp = JSON.parse(readFileSync(stampPath, 'utf8')) as Partial<BuildStamp>;
  if (stamp.format !== STAMP_FORMAT || stamp.version !== STAMP_VERSION || stamp.inputs === undefined) return { state: 'stale', reason: 'the build stamp is of another format' };
  if (stamp.node !== nodeMajor()) return { state: 'stale', reason: `it was built for Node ${stamp.node}` };
  for (const [path, hash] of Object.entries(stamp.inputs)) {
    if (fileHash(join(root, path)) !== hash) return { state: 'stale', reason: `${path} changed` };
  }
  return { state: 'fresh' };
}
