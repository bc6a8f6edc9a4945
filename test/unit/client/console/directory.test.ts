/**
 * A body's directory in the console: verified against the keys pinned for that body, no older than the
 * newest this browser verified (remembered per body), and compared with the investigators' current keys.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDirectoryKeyPair, signDirectory, type DirectoryKeyPair, type SignedDirectory } from '../../../../crypto/index';
import type { DirectoryInvestigator } from '../../../../protocol/console-api/index';
import { DEFAULT_QUESTIONNAIRE } from '../../../../protocol/default-questionnaire';
import { compareDirectory, recipientLabels, verifyServedDirectory, type DirectoryTrust } from '../../../../client/console/directory';
import { DirectorySerials, type SerialStorage } from '../../../../client/console/directory-serials';
import { asyncErrorCodeOf, makeInvestigator, type TestInvestigator } from '../../../helpers/crypto';

let pinned: DirectoryKeyPair;
let otherBodyKey: DirectoryKeyPair;
let alice: TestInvestigator;
let bob: TestInvestigator;

/** localStorage as a map: what the console keeps between visits. */
function memoryStorage(): SerialStorage & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

function signed(bodyId: string, people: readonly TestInvestigator[], options: { key?: DirectoryKeyPair; serial?: number } = {}): SignedDirectory {
  const recipients = people.map((person, i) => ({ label: `investigator ${i}`, fingerprint: person.generated.fingerprint, publicKey: person.generated.armoredPublicKey }));
  const common = { format: 'candor-directory' as const, body: { id: bodyId, name: 'A body' }, issuedOn: new Date().toISOString().slice(0, 10), expiresOn: '2099-12-31' };
  const document =
    options.serial === undefined
      ? { ...common, version: 1 as const, recipients }
      : { ...common, version: 2 as const, serial: options.serial, recipients: recipients.map((recipient) => ({ ...recipient, role: 'Case officer' })), intake: { questionnaire: DEFAULT_QUESTIONNAIRE } };
  return signDirectory(document, (options.key ?? pinned).secretKey);
}

const trustOf = (storage: SerialStorage | null = memoryStorage(), minimumSerial = 0): DirectoryTrust => ({
  pins: { body: { keys: [pinned.publicKey], minimumSerial }, 'other-body': { keys: [otherBodyKey.publicKey], minimumSerial: 0 } },
  serials: new DirectorySerials(storage),
});

const investigator = (username: string, person: TestInvestigator): DirectoryInvestigator => ({
  accountId: `${username}-id`,
  username,
  fingerprint: person.generated.fingerprint,
  publicKey: person.generated.armoredPublicKey,
});

beforeAll(async () => {
  [pinned, otherBodyKey] = [generateDirectoryKeyPair(), generateDirectoryKeyPair()];
  [alice, bob] = await Promise.all([makeInvestigator('Alice'), makeInvestigator('Bob')]);
});

describe('verifyServedDirectory', () => {
  it('when the directory is signed by the key pinned for its body, then its recipients can be encrypted to and its signer is named', async () => {
    const verified = await verifyServedDirectory('body', { signedDirectory: signed('body', [alice], { serial: 3 }) }, trustOf());
    expect(verified.recipients.map((r) => r.fingerprint)).toEqual([alice.generated.fingerprint]);
    expect(verified.serial).toBe(3);
    expect(verified.signerKey).toBe(pinned.publicKey);
    expect(recipientLabels(verified).get(alice.generated.fingerprint)).toBe('investigator 0');
  });

  it('when the server signs a directory with its own key, then it is refused', async () => {
    const forged = signed('body', [alice], { key: generateDirectoryKeyPair() });
    expect(await asyncErrorCodeOf(verifyServedDirectory('body', { signedDirectory: forged }, trustOf()))).toBe('directory-not-pinned');
  });

  it('when another body’s directory is served, even signed by that body’s pinned key, then it is refused', async () => {
    expect(await asyncErrorCodeOf(verifyServedDirectory('body', { signedDirectory: signed('other-body', [alice], { key: otherBodyKey }) }, trustOf()))).toBe('directory-not-pinned');
    expect(await asyncErrorCodeOf(verifyServedDirectory('body', { signedDirectory: signed('other-body', [alice]) }, trustOf()))).toBe('directory-wrong-body');
  });

  it('when the server replays an older directory than one this browser verified, then it is refused as outdated, across visits', async () => {
    const storage = memoryStorage();
    await verifyServedDirectory('body', { signedDirectory: signed('body', [alice, bob], { serial: 4 }) }, trustOf(storage));
    // A later visit: a new page with the same browser storage.
    expect(await asyncErrorCodeOf(verifyServedDirectory('body', { signedDirectory: signed('body', [alice, bob], { serial: 3 }) }, trustOf(storage)))).toBe('directory-outdated');
    expect(await asyncErrorCodeOf(verifyServedDirectory('body', { signedDirectory: signed('body', [alice]) }, trustOf(storage)))).toBe('directory-outdated');
    // The same serial, and a newer one, still verify; the newer one is remembered.
    await verifyServedDirectory('body', { signedDirectory: signed('body', [alice, bob], { serial: 4 }) }, trustOf(storage));
    await verifyServedDirectory('body', { signedDirectory: signed('body', [alice], { serial: 5 }) }, trustOf(storage));
    expect(new DirectorySerials(storage).highest('body')).toBe(5);
  });

  it('when the pin asks for a newer serial than served, then it is refused even in a browser that has seen nothing', async () => {
    expect(await asyncErrorCodeOf(verifyServedDirectory('body', { signedDirectory: signed('body', [alice], { serial: 2 }) }, trustOf(memoryStorage(), 3)))).toBe('directory-outdated');
  });
});

describe('DirectorySerials', () => {
  it('when nothing or something not written by the console is stored, then the highest serial is 0; a serial never goes down', () => {
    const storage = memoryStorage();
    const serials = new DirectorySerials(storage);
    expect(serials.highest('body')).toBe(0);
    storage.items.set('candor.directory-serial.body', 'eleven');
    expect(serials.highest('body')).toBe(0);
    serials.remember('body', 7);
    serials.remember('body', 2);
    expect(serials.highest('body')).toBe(7);
    expect(serials.highest('other-body')).toBe(0);
  });

  it('when the browser refuses storage, then nothing is remembered and nothing fails', () => {
    const refusing: SerialStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const serials = new DirectorySerials(refusing);
    serials.remember('body', 3);
    expect(serials.highest('body')).toBe(0);
    expect(new DirectorySerials(null).highest('body')).toBe(0);
  });
});

describe('compareDirectory', () => {
  it('when a new key is not signed yet, then it is listed as missing and the signed key is matched to its owner, with its role', async () => {
    const verified = await verifyServedDirectory('body', { signedDirectory: signed('body', [alice], { serial: 1 }) }, trustOf());
    const comparison = compareDirectory(verified, [investigator('alice', alice), investigator('bob', bob)]);
    expect(comparison.signed).toEqual([{ label: 'investigator 0', role: 'Case officer', fingerprint: alice.generated.fingerprint, username: 'alice' }]);
    expect(comparison.unsigned.map((person) => person.username)).toEqual(['bob']);
  });

  it('when a signed key is nobody’s current key, then it has no owner; a version 1 directory has no roles', async () => {
    const verified = await verifyServedDirectory('body', { signedDirectory: signed('body', [alice, bob]) }, trustOf());
    expect(compareDirectory(verified, [investigator('alice', alice)]).signed.map((r) => [r.username, r.role])).toEqual([
      ['alice', null],
      [null, null],
    ]);
  });
});
