/** When `npm start` and `npm run admin` rebuild the server: the build stamp against the sources now here. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildStamp, serverBuildState, STAMP_FILE } from '../../../tools/server-build/build-stamp.ts';

let root: string;
let outDir: string;

function write(path: string, content: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), content);
}

function stampBuildOf(modules: readonly string[]): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, STAMP_FILE), JSON.stringify(buildStamp(root, modules)));
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'candor-build-stamp-'));
  outDir = join(root, 'dist', 'server');
  write('server/start.ts', 'export {};\n');
  write('server/storage/index.ts', 'export const a = 1;\n');
  write('package-lock.json', '{}\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the server build stamp', () => {
  it('when the sources are here and nothing is built, then a build is due', () => {
    expect(serverBuildState(root, outDir)).toEqual({ state: 'stale', reason: `${outDir} holds no build` });
  });

  it('when the build was made from the sources now here, then it is fresh', () => {
    stampBuildOf(['server/start.ts', 'server/storage/index.ts']);
    expect(serverBuildState(root, outDir)).toEqual({ state: 'fresh' });
  });

  it('when a module the bundle read changes, then a build is due and the reason names it', () => {
    stampBuildOf(['server/start.ts', 'server/storage/index.ts']);
    write('server/storage/index.ts', 'export const a = 2;\n');
    expect(serverBuildState(root, outDir)).toEqual({ state: 'stale', reason: 'server/storage/index.ts changed' });
  });

  it('when the dependencies change, then a build is due though no module did', () => {
    stampBuildOf(['server/start.ts']);
    write('package-lock.json', '{"lockfileVersion": 3}\n');
    expect(serverBuildState(root, outDir)).toEqual({ state: 'stale', reason: 'package-lock.json changed' });
  });

  it('when a module the bundle read is gone, then a build is due', () => {
    stampBuildOf(['server/start.ts', 'server/storage/index.ts']);
    rmSync(join(root, 'server/storage/index.ts'));
    expect(serverBuildState(root, outDir)).toEqual({ state: 'stale', reason: 'server/storage/index.ts changed' });
  });

  it('when the build was made for another Node major version, then a build is due', () => {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, STAMP_FILE), JSON.stringify({ ...buildStamp(root, ['server/start.ts']), node: '22' }));
    expect(serverBuildState(root, outDir)).toEqual({ state: 'stale', reason: 'it was built for Node 22' });
  });

  it('when the stamp is of an unknown format, then a build is due rather than a guess', () => {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, STAMP_FILE), JSON.stringify({ format: 'candor-server-build', version: 2, inputs: {} }));
    expect(serverBuildState(root, outDir)).toEqual({ state: 'stale', reason: 'the build stamp is of another format' });
  });

  it('when the sources are not here (a production install of dist/), then dist/ runs as it is', () => {
    stampBuildOf(['server/start.ts']);
    rmSync(join(root, 'server'), { recursive: true });
    expect(serverBuildState(root, outDir)).toEqual({ state: 'no-sources' });
  });
});
