import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLockedPrivateKey, checkRecipientKey, generateInvestigatorKey, unlockPrivateKey } from '../../../crypto/index';
import { TEST_PASSPHRASE, asyncErrorCodeOf } from '../../helpers/crypto';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/keys', name), 'utf8');

describe('investigator keys', async () => {
  const generated = await generateInvestigatorKey({ name: 'Jane Investigator', passphrase: TEST_PASSPHRASE });

  it('when a generated key is checked, then it is accepted as a v4 Curve25519 encryption key with its fingerprint', async () => {
    const recipient = await checkRecipientKey(generated.armoredPublicKey);
    expect(recipient.fingerprint).toBe(generated.fingerprint);
    expect(recipient.fingerprint).toMatch(/^[0-9a-f]{40}$/);
    expect(recipient.algorithm).toBe('ecdh/curve25519Legacy');
    expect(recipient.expiresAt).toBeNull();
  });

  it('when the generated private key is stored, then it is locked and opens only with the passphrase', async () => {
    expect(generated.armoredPrivateKey).toContain('BEGIN PGP PRIVATE KEY BLOCK');
    expect(await asyncErrorCodeOf(unlockPrivateKey(generated.armoredPrivateKey))).toBe('key-locked');
    expect(await asyncErrorCodeOf(unlockPrivateKey(generated.armoredPrivateKey, 'wrong passphrase'))).toBe('key-locked');
    expect((await unlockPrivateKey(generated.armoredPrivateKey, TEST_PASSPHRASE)).fingerprint).toBe(generated.fingerprint);
    expect(await asyncErrorCodeOf(generateInvestigatorKey({ name: 'No Passphrase', passphrase: '' }))).toBe('key-locked');
  });

  it('when a private key is offered for storage on the server, then only the locked half of the given public key is accepted', async () => {
    const recipient = await checkRecipientKey(generated.armoredPublicKey);
    await expect(checkLockedPrivateKey(generated.armoredPrivateKey, recipient)).resolves.toBeUndefined();
    const unprotected = fixture('seipdv2-features.sec.asc');
    const unprotectedPublic = await checkRecipientKey(fixture('seipdv2-features.pub.asc'));
    expect(await asyncErrorCodeOf(checkLockedPrivateKey(unprotected, unprotectedPublic))).toBe('key-not-locked');
    expect(await asyncErrorCodeOf(checkLockedPrivateKey(generated.armoredPrivateKey, unprotectedPublic))).toBe('key-invalid');
    expect(await asyncErrorCodeOf(checkLockedPrivateKey(generated.armoredPublicKey, recipient))).toBe('key-invalid');
  });

  it.each([
    ['a private key', () => generated.armoredPrivateKey, 'key-is-private'],
    ['an RSA 2048 key', () => fixture('rsa-2048.pub.asc'), 'key-weak'],
    ['an expired key', () => fixture('expired.pub.asc'), 'key-expired'],
    ['a revoked key', () => fixture('revoked.pub.asc'), 'key-revoked'],
    ['a v6 key', () => fixture('v6.pub.asc'), 'key-unsupported-version'],
    ['a v4 key with RFC 9580 X25519', () => fixture('v4-x25519.pub.asc'), 'key-unsupported-algorithm'],
    ['a key without an encryption subkey', () => fixture('sign-only.pub.asc'), 'key-no-encryption-subkey'],
    ['text that is no key', () => 'hello', 'key-invalid'],
  ])('when %s is offered as a recipient, then it is refused', async (_what, key, code) => {
    expect(await asyncErrorCodeOf(checkRecipientKey(key()))).toBe(code);
  });

  it('when a key is checked at a date after its expiry, then it is refused, and before it, accepted', async () => {
    expect(await asyncErrorCodeOf(checkRecipientKey(fixture('expired.pub.asc'), new Date('2020-01-01T12:00:00Z')))).toBe('no error');
    expect(await asyncErrorCodeOf(checkRecipientKey(fixture('expired.pub.asc'), new Date('2020-01-03T00:00:00Z')))).toBe('key-expired');
  });
});
