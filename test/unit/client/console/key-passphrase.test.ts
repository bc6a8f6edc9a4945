/** The key passphrase rule, for a key made in the browser and for an imported one alike. */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateInvestigatorKey, type GeneratedKey } from '../../../../crypto/index';
import { checkImportedKey, newPassphraseProblem, PASSPHRASE_MIN } from '../../../../client/console/key-passphrase';
import { asyncErrorCodeOf } from '../../../helpers/crypto';

const LONG = 'a long enough passphrase';
const SHORT = 'x';

let longLocked: GeneratedKey;
let shortLocked: GeneratedKey;

beforeAll(async () => {
  [longLocked, shortLocked] = await Promise.all([
    generateInvestigatorKey({ name: 'Long', passphrase: LONG }),
    generateInvestigatorKey({ name: 'Short', passphrase: SHORT }),
  ]);
});

const importOf = (key: GeneratedKey, passphrase: string) => ({ publicKey: key.armoredPublicKey, privateKey: `\n${key.armoredPrivateKey}\n`, passphrase });

describe('newPassphraseProblem', () => {
  it('when the passphrase has one character fewer than the minimum, then it is too short; the minimum is enough', () => {
    const short = 'x'.repeat(PASSPHRASE_MIN - 1);
    const enough = 'x'.repeat(PASSPHRASE_MIN);
    expect(newPassphraseProblem(short, short)).toBe('too-short');
    expect(newPassphraseProblem(enough, enough)).toBeNull();
  });

  it('when characters outside the BMP are used, then they count as one each', () => {
    const emoji = '🔑'.repeat(PASSPHRASE_MIN - 1);
    expect(newPassphraseProblem(emoji, emoji)).toBe('too-short');
  });

  it('when the repetition differs, then it is a mismatch', () => {
    expect(newPassphraseProblem(LONG, `${LONG}!`)).toBe('mismatch');
  });
});

describe('checkImportedKey', () => {
  it('when the key is locked with a long passphrase that unlocks it, then it is accepted as given, trimmed', async () => {
    const checked = await checkImportedKey(importOf(longLocked, LONG));
    expect(checked).toMatchObject({ result: 'ok', publicKey: { fingerprint: longLocked.fingerprint }, lockedPrivateKey: longLocked.armoredPrivateKey.trim() });
  });

  it('when the key is locked with a one-character passphrase, then it is refused although the passphrase unlocks it', async () => {
    expect(await checkImportedKey(importOf(shortLocked, SHORT))).toEqual({ result: 'passphrase-too-short' });
  });

  it('when a long passphrase does not unlock the key, then the key is refused as locked', async () => {
    expect(await asyncErrorCodeOf(checkImportedKey(importOf(longLocked, `${LONG}?`)))).toBe('key-locked');
  });

  it('when the private key belongs to another public key, then it is refused before any passphrase is tried', async () => {
    const mixed = { publicKey: longLocked.armoredPublicKey, privateKey: shortLocked.armoredPrivateKey, passphrase: SHORT };
    expect(await asyncErrorCodeOf(checkImportedKey(mixed))).toBe('key-invalid');
  });
});
