/**
 * `npm start` upgrades a version 1 pinned-keys file (one list trusted for every body) to pins per
 * body: each body is pinned to the key that signed its current directory, if the old file trusted it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDirectoryKeyPair, signDirectory, type DirectoryKeyPair } from '../../../crypto/index';
import type { Day } from '../../../server/clock';
import { upgradePinnedKeysFile } from '../../../server/pinned-keys-upgrade';
import { UNSIGNED_DIRECTORY, type BodyRecord } from '../../../server/storage/bodies-repository';
import { readDirectoryPins, writeDirectoryPins } from '../../../tools/client-build/pinned-keys';

const DAY = '2026-03-01' as Day;

/** A body whose stored directory (version 1, as before the upgrade) is signed by `key`. */
function bodySignedBy(id: string, key: DirectoryKeyPair): BodyRecord {
  const signed = signDirectory(
    {
      format: 'candor-directory',
      version: 1,
      body: { id, name: id },
      issuedOn: DAY,
      expiresOn: '2099-12-31',
      recipients: [{ label: 'Investigator', fingerprint: 'a'.repeat(40), publicKey: 'not read by the upgrade' }],
    },
    key.secretKey,
  );
  return { id, name: id, signedDirectory: JSON.stringify(signed), questionnaire: '{}', updatedOn: DAY, createdOn: DAY };
}

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'candor-pins-upgrade-'));
  path = join(dir, 'pinned-directory-keys.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('upgradePinnedKeysFile', () => {
  it('when the file is version 1, then each body is pinned to the trusted key that signed its directory, and the others are left out', () => {
    const [first, second, untrusted] = [generateDirectoryKeyPair(), generateDirectoryKeyPair(), generateDirectoryKeyPair()];
    writeFileSync(path, JSON.stringify({ format: 'candor-pinned-directory-keys', version: 1, keys: [first.publicKey, second.publicKey] }));
    const bodies = [
      bodySignedBy('city-office', first),
      bodySignedBy('region-office', second),
      bodySignedBy('forged-office', untrusted),
      { ...bodySignedBy('new-office', first), signedDirectory: UNSIGNED_DIRECTORY },
    ];
    expect(upgradePinnedKeysFile(path, bodies)?.sort()).toEqual(['city-office', 'region-office']);
    // Neither key is trusted for the other's body any more; their cases so far were sent unsigned.
    expect(readDirectoryPins(path)).toEqual({
      'city-office': { keys: [first.publicKey], minimumSerial: 0, unsignedCases: true },
      'region-office': { keys: [second.publicKey], minimumSerial: 0, unsignedCases: true },
    });
  });

  it('when the file is version 2 already, then it is left exactly as it is', () => {
    const key = generateDirectoryKeyPair();
    writeDirectoryPins(path, { 'city-office': { keys: [key.publicKey], minimumSerial: 3 } });
    const before = readFileSync(path, 'utf8');
    expect(upgradePinnedKeysFile(path, [bodySignedBy('city-office', key)])).toBeNull();
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('when the file is not a pinned-keys file, then the upgrade refuses it rather than guess', () => {
    writeFileSync(path, JSON.stringify({ format: 'candor-pinned-directory-keys', version: 3, bodies: {} }));
    expect(() => upgradePinnedKeysFile(path, [])).toThrow('is not a pinned-keys file');
  });
});
