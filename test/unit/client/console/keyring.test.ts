/** The investigator's keys, unlocked in memory and dropped on lock. */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkRecipientKey, decryptReport, encryptReport, generateInvestigatorKey, utf8Decode, type CaseId, type GeneratedKey } from '../../../../crypto/index';
import type { AccountKey } from '../../../../protocol/console-api/index';
import { Keyring } from '../../../../client/console/keyring';
import { asyncErrorCodeOf } from '../../../helpers/crypto';

const CASE_ID = 'a'.repeat(64) as CaseId;

function accountKey(generated: GeneratedKey, retiredOn: string | null = null): AccountKey {
  return { fingerprint: generated.fingerprint, publicKey: generated.armoredPublicKey, lockedPrivateKey: generated.armoredPrivateKey, createdOn: '2026-01-01', retiredOn };
}

let current: GeneratedKey;
let retired: GeneratedKey;
let otherPassphrase: GeneratedKey;

beforeAll(async () => {
  [current, retired, otherPassphrase] = await Promise.all([
    generateInvestigatorKey({ name: 'Current', passphrase: 'the current passphrase' }),
    generateInvestigatorKey({ name: 'Retired', passphrase: 'the current passphrase' }),
    generateInvestigatorKey({ name: 'Old', passphrase: 'an older passphrase' }),
  ]);
});

describe('Keyring', () => {
  it('when unlocked, then a report encrypted to a retired key of the account decrypts', async () => {
    const keyring = new Keyring();
    await keyring.unlock([accountKey(current), accountKey(retired, '2026-06-01')], 'the current passphrase');
    const message = await encryptReport('old case', [await checkRecipientKey(retired.armoredPublicKey)], { caseId: CASE_ID });
    expect(utf8Decode(await decryptReport(message, keyring.keys, { caseId: CASE_ID }))).toBe('old case');
  });

  it('when the server lists a key under another fingerprint, then unlocking refuses it, so the console never shows the server’s word as checked', async () => {
    const keyring = new Keyring();
    const misnamed = { ...accountKey(current), fingerprint: retired.fingerprint };
    expect(await asyncErrorCodeOf(keyring.unlock([misnamed], 'the current passphrase'))).toBe('key-invalid');
    expect(keyring.isUnlocked).toBe(false);
    await keyring.unlock([accountKey(current)], 'the current passphrase');
    expect(keyring.has(current.fingerprint)).toBe(true);
    expect(keyring.has(retired.fingerprint)).toBe(false);
  });

  it('when the passphrase opens no key, then unlocking fails with key-locked and nothing is unlocked', async () => {
    const keyring = new Keyring();
    expect(await asyncErrorCodeOf(keyring.unlock([accountKey(current)], 'wrong passphrase'))).toBe('key-locked');
    expect(keyring.isUnlocked).toBe(false);
  });

  it('when an older key has another passphrase, then it is reported still locked, and a second passphrase opens it', async () => {
    const keyring = new Keyring();
    const keys = [accountKey(current), accountKey(otherPassphrase, '2025-01-01')];
    expect(await keyring.unlock(keys, 'the current passphrase')).toEqual({ stillLocked: [otherPassphrase.fingerprint] });
    expect(await keyring.unlock(keys, 'an older passphrase')).toEqual({ stillLocked: [] });
    expect(keyring.keys.map((key) => key.fingerprint).sort()).toEqual([current.fingerprint, otherPassphrase.fingerprint].sort());
  });

  it('when locked, then no key is held and listeners hear of it', async () => {
    const keyring = new Keyring();
    const heard: boolean[] = [];
    keyring.onChange(() => heard.push(keyring.isUnlocked));
    await keyring.unlock([accountKey(current)], 'the current passphrase');
    keyring.lock();
    expect(keyring.keys).toEqual([]);
    expect(heard).toEqual([true, false]);
  });
});
