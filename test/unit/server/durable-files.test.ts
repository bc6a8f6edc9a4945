import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fsyncPath, moveIntoPlaceDurably, pathExists } from '../../../server/storage/durable-files';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'candor-durable-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('durable files', () => {
  it('when a path is missing, then it does not exist; when something is there, then it does', async () => {
    writeFileSync(join(dir, 'file'), 'x');
    expect(await pathExists(join(dir, 'missing'))).toBe(false);
    expect(await pathExists(join(dir, 'file'))).toBe(true);
    expect(await pathExists(dir)).toBe(true);
  });

  it('when a path cannot be looked at for another reason than being missing, then that error is thrown', async () => {
    writeFileSync(join(dir, 'file'), 'x');
    await expect(pathExists(join(dir, 'file', 'below'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('when a written file is moved into place, then the name holds its bytes and the temporary name is gone', async () => {
    writeFileSync(join(dir, 'out.partial'), 'the whole archive');
    await moveIntoPlaceDurably(join(dir, 'out.partial'), join(dir, 'out'));
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('the whole archive');
    expect(existsSync(join(dir, 'out.partial'))).toBe(false);
  });

  it('when the file to move is missing, then nothing is put in place', async () => {
    await expect(moveIntoPlaceDurably(join(dir, 'none.partial'), join(dir, 'out'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('when a file or a directory is synced, then both can be (a directory opens only read-only); a missing path is an error', async () => {
    writeFileSync(join(dir, 'file'), 'x');
    await fsyncPath(join(dir, 'file'));
    await fsyncPath(dir);
    await expect(fsyncPath(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
