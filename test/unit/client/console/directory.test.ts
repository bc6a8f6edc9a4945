/** A body's directory in the console: verified against the pinned keys, compared with current keys. */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDirectoryKeyPair, signDirectory, type DirectoryKeyPair, type SignedDirectory } from '../../../../crypto/index';
import type { DirectoryInvestigator } from '../../../../protocol/console-api/index';
import { compareDirectory, verifyBodyDirectory } from '../../../../client/console/directory';
import { asyncErrorCodeOf, makeInvestigator, type TestInvestigator } from '../../../helpers/crypto';

let pinned: DirectoryKeyPair;
let alice: TestInvestigator;
let bob: TestInvestigator;

function signed(bodyId: string, people: readonly TestInvestigator[], key = pinned): SignedDirectory {
  return signDirectory(
    {
      format: 'candor-directory',
      version: 1,
      body: { id: bodyId, name: 'A body' },
      issuedOn: new Date().toISOString().slice(0, 10),
      expiresOn: '2099-12-31',
      recipients: people.map((person, i) => ({ label: `investigator ${i}`, fingerprint: person.generated.fingerprint, publicKey: person.generated.armoredPublicKey })),
    },
    key.secretKey,
  );
}

const investigator = (username: string, person: TestInvestigator): DirectoryInvestigator => ({
  accountId: `${username}-id`,
  username,
  fingerprint: person.generated.fingerprint,
  publicKey: person.generated.armoredPublicKey,
});

beforeAll(async () => {
  pinned = generateDirectoryKeyPair();
  [alice, bob] = await Promise.all([makeInvestigator('Alice'), makeInvestigator('Bob')]);
});

describe('verifyBodyDirectory', () => {
  it('when the directory is signed by a pinned key, then its recipients can be encrypted to', async () => {
    const verified = await verifyBodyDirectory('body', { signedDirectory: signed('body', [alice]) }, [pinned.publicKey]);
    expect(verified.recipients.map((r) => r.fingerprint)).toEqual([alice.generated.fingerprint]);
  });

  it('when the server signs a directory with its own key, then it is refused', async () => {
    const forged = signed('body', [alice], generateDirectoryKeyPair());
    expect(await asyncErrorCodeOf(verifyBodyDirectory('body', { signedDirectory: forged }, [pinned.publicKey]))).toBe('directory-not-pinned');
  });

  it('when another body’s directory is served, then it is refused', async () => {
    expect(await asyncErrorCodeOf(verifyBodyDirectory('body', { signedDirectory: signed('other-body', [alice]) }, [pinned.publicKey]))).toBe('directory-invalid');
  });
});

describe('compareDirectory', () => {
  it('when a new key is not signed yet, then it is listed as missing and the signed key is matched to its owner', async () => {
    const verified = await verifyBodyDirectory('body', { signedDirectory: signed('body', [alice]) }, [pinned.publicKey]);
    const comparison = compareDirectory(verified, [investigator('alice', alice), investigator('bob', bob)]);
    expect(comparison.signed).toEqual([{ label: 'investigator 0', fingerprint: alice.generated.fingerprint, username: 'alice' }]);
    expect(comparison.unsigned.map((person) => person.username)).toEqual(['bob']);
  });

  it('when a signed key is nobody’s current key, then it has no owner', async () => {
    const verified = await verifyBodyDirectory('body', { signedDirectory: signed('body', [alice, bob]) }, [pinned.publicKey]);
    expect(compareDirectory(verified, [investigator('alice', alice)]).signed.map((r) => r.username)).toEqual(['alice', null]);
  });
});
