/**
 * ExifTool as an investigator would run it on a file: every tag it reads, by group, numbers raw
 * (`exiftool -a -G1 -n -j`). The tests' outside judge of what a cleaned file still says.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type ExifToolTags = Readonly<Record<string, unknown>>;

/** The tags ExifTool reads in `bytes`, keyed "Group:Tag" (for example "GPS:GPSLatitude", "ExifTool:Warning"). */
export function exifToolTags(bytes: Uint8Array, extension: string): ExifToolTags {
  const dir = mkdtempSync(join(tmpdir(), 'candor-exiftool-'));
  try {
    const file = join(dir, `file.${extension}`);
    writeFileSync(file, bytes);
    const output = execFileSync('exiftool', ['-a', '-G1', '-n', '-j', file], { encoding: 'utf8' });
    const [tags] = JSON.parse(output) as ExifToolTags[];
    return tags ?? {};
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The tag names (with their group) among `tags` that match `pattern`. */
export function tagsMatching(tags: ExifToolTags, pattern: RegExp): string[] {
  return Object.keys(tags).filter((name) => pattern.test(name));
}
