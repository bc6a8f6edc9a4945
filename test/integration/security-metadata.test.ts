/**
 * SECURITY.md promises to name every item of metadata the server keeps: each table of the database
 * must appear in its metadata section, so that a new table cannot land without being accounted for.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStorage } from '../../server/storage/index';

function metadataSection(): string {
  const text = readFileSync('SECURITY.md', 'utf8');
  const start = text.indexOf('## Every item of metadata the server sees');
  const end = text.indexOf('\n## ', start + 1);
  if (start < 0 || end < 0) throw new Error('SECURITY.md has no metadata section');
  return text.slice(start, end);
}

describe('SECURITY.md', () => {
  it('when the database is migrated to its newest schema, then every table is named in the metadata section', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'candor-metadata-'));
    try {
      const storage = await openStorage(dataDir);
      const tables = storage.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
      storage.close();
      expect(tables.length).toBeGreaterThan(10);
      const section = metadataSection();
      expect(tables.filter((table) => !new RegExp(`\`${table}(\\.\\w+)?\``).test(section))).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
