/** The ustar writer, checked by the system's GNU tar: listing, extraction byte for byte, and refusals. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tarDirectory, tarEnd, tarFile, type TarEntry } from '../../../server/operations/tar';
import { patternBytes } from '../../helpers/crypto';

const MTIME = new Date('2026-01-31T12:34:56Z');
const LONGEST_NAME = `export/${'n'.repeat(89)}.gpg`;

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'candor-tar-'));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function collect(pieces: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Uint8Array[] = [];
  for await (const piece of pieces) out.push(piece);
  return Buffer.concat(out);
}

/** Hands out `bytes` in uneven pieces, as a file read would. */
async function* piecesOf(bytes: Uint8Array, pieceBytes: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += pieceBytes) yield bytes.subarray(offset, offset + pieceBytes);
}

const file = (name: string): TarEntry => ({ name, mtime: MTIME });

const contents = {
  'export/empty.txt': new Uint8Array(0),
  'export/one-block.bin': patternBytes(512, 1),
  'export/sub/uneven.bin': patternBytes(70_001, 2),
  [LONGEST_NAME]: patternBytes(3, 3),
};

async function* archive(): AsyncGenerator<Uint8Array> {
  yield tarDirectory({ name: 'export/', mtime: MTIME });
  yield tarDirectory({ name: 'export/sub/', mtime: MTIME, mode: 0o750 });
  for (const [name, bytes] of Object.entries(contents)) yield* tarFile(file(name), bytes.length, piecesOf(bytes, 4099));
  yield tarEnd();
}

function tar(args: readonly string[]): string {
  return execFileSync('tar', args, { cwd: dir, env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' } }).toString();
}

describe('ustar writer', () => {
  it('when GNU tar lists the archive, then it sees every entry with its type, mode, size and time', async () => {
    const bytes = await collect(archive());
    expect(bytes.length % 512).toBe(0);
    writeFileSync(join(dir, 'test.tar'), bytes);
    const listing = tar(['--numeric-owner', '-tvf', 'test.tar']).trim().split('\n').map((line) => line.split(/\s+/));
    expect(listing.map(([mode, owner, size, day, time, name]) => [mode, owner, size, day, time, name])).toEqual([
      ['drwx------', '0/0', '0', '2026-01-31', '12:34', 'export/'],
      ['drwxr-x---', '0/0', '0', '2026-01-31', '12:34', 'export/sub/'],
      ['-rw-------', '0/0', '0', '2026-01-31', '12:34', 'export/empty.txt'],
      ['-rw-------', '0/0', '512', '2026-01-31', '12:34', 'export/one-block.bin'],
      ['-rw-------', '0/0', '70001', '2026-01-31', '12:34', 'export/sub/uneven.bin'],
      ['-rw-------', '0/0', '3', '2026-01-31', '12:34', LONGEST_NAME],
    ]);
  });

  it('when GNU tar extracts the archive, then every file comes back byte for byte with its time', async () => {
    writeFileSync(join(dir, 'test.tar'), await collect(archive()));
    tar(['-xf', 'test.tar']);
    for (const [name, bytes] of Object.entries(contents)) {
      expect(readFileSync(join(dir, name)).equals(Buffer.from(bytes)), name).toBe(true);
      expect(statSync(join(dir, name)).mtime).toEqual(MTIME);
    }
  });

  it('when the content is shorter or longer than declared, then the writer fails instead of writing a corrupt archive', async () => {
    await expect(collect(tarFile(file('a.bin'), 10, [new Uint8Array(9)]))).rejects.toThrow(/9 bytes, not the 10 declared/);
    await expect(collect(tarFile(file('a.bin'), 10, [new Uint8Array(6), new Uint8Array(6)]))).rejects.toThrow(/longer than the 10 bytes/);
  });

  it.each([
    ['an absolute path', '/etc/passwd'],
    ['a parent reference', 'export/../../escape'],
    ['an empty part', 'export//file'],
    ['more than 100 bytes', `export/${'n'.repeat(94)}`],
    ['a space', 'export/a file'],
    ['a non-ASCII character', 'export/été'],
  ])('when a name has %s, then it is refused', async (_what, name) => {
    await expect(collect(tarFile(file(name), 0, []))).rejects.toThrow(RangeError);
  });

  it('when a directory name lacks its slash or a file name has one, then it is refused', async () => {
    expect(() => tarDirectory(file('export'))).toThrow(RangeError);
    await expect(collect(tarFile(file('export/'), 0, []))).rejects.toThrow(RangeError);
  });
});
