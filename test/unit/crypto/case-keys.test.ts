import { createHash, createPrivateKey, createPublicKey, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { caseIdOfKeys, deriveCaseKeys, fromBase64Url, generateCaseToken, parseCaseToken, toBase64Url, wipeCaseKeys } from '../../../crypto/index';
import vectors from '../../vectors/case-keys.json';

// DER prefixes of PKCS#8 private keys whose last 32 bytes are the raw seed (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** The derivation redone with Node's own HKDF and curve code: an independent implementation. */
function referenceDerivation(token: string) {
  const ikm = Buffer.from(token.replaceAll('-', ''), 'ascii');
  const derive = (label: string) => Buffer.from(hkdfSync('sha256', ikm, 'candor/v1/case-token', label, 32));
  const rawPublic = (prefix: Buffer, secret: Buffer) => {
    const key = createPublicKey(createPrivateKey({ key: Buffer.concat([prefix, secret]), format: 'der', type: 'pkcs8' }));
    return Buffer.from(key.export({ format: 'jwk' }).x as string, 'base64url');
  };
  const authPublicKey = rawPublic(ED25519_PKCS8_PREFIX, derive('candor/v1/auth-ed25519-seed'));
  const replyPublicKey = rawPublic(X25519_PKCS8_PREFIX, derive('candor/v1/reply-x25519-secret'));
  const field = (bytes: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, bytes.length]), bytes]);
  return {
    caseIdV1: derive('candor/v1/case-id').toString('hex'),
    // Version 2: SHA-256 over the length-prefixed label and both public keys.
    caseId: createHash('sha256').update(Buffer.concat([field(Buffer.from('candor/v2/case-id')), field(authPublicKey), field(replyPublicKey)])).digest('hex'),
    authPublicKey: authPublicKey.toString('base64url'),
    replyPublicKey: replyPublicKey.toString('base64url'),
  };
}

describe('case key derivation', () => {
  it.each(vectors)('when derived from the vector token $token, then every key matches the stored vector', async (vector) => {
    const keys = await deriveCaseKeys(parseCaseToken(vector.token), 1);
    expect(keys.caseId).toBe(vector.caseId);
    expect(toBase64Url(keys.authPublicKey)).toBe(vector.authPublicKey);
    expect(toBase64Url(keys.authSecretKey)).toBe(vector.authSecretKey);
    expect(toBase64Url(keys.replyPublicKey)).toBe(vector.replyPublicKey);
    expect(toBase64Url(keys.replySecretKey)).toBe(vector.replySecretKey);
  });

  it('when redone with Node’s HKDF, Ed25519 and X25519, then the results are the same', async () => {
    for (const token of [...vectors.map((vector) => vector.token), generateCaseToken(), generateCaseToken()]) {
      const keys = await deriveCaseKeys(parseCaseToken(token));
      const v1 = await deriveCaseKeys(parseCaseToken(token), 1);
      expect({
        caseIdV1: v1.caseId,
        caseId: keys.caseId,
        authPublicKey: toBase64Url(keys.authPublicKey),
        replyPublicKey: toBase64Url(keys.replyPublicKey),
      }).toEqual(referenceDerivation(token));
    }
  });

  it('when the case id is version 2, then it is the digest of the public keys, which anyone can check', async () => {
    const keys = await deriveCaseKeys(generateCaseToken());
    expect(await caseIdOfKeys(keys.authPublicKey, keys.replyPublicKey)).toBe(keys.caseId);
    const other = await deriveCaseKeys(generateCaseToken());
    expect(await caseIdOfKeys(keys.authPublicKey, other.replyPublicKey)).not.toBe(keys.caseId);
  });

  it('when two tokens differ, then every derived value differs, and the case id reveals neither key', async () => {
    const [a, b] = await Promise.all([deriveCaseKeys(generateCaseToken()), deriveCaseKeys(generateCaseToken())]);
    expect(a.caseId).not.toBe(b.caseId);
    expect(a.authPublicKey).not.toEqual(b.authPublicKey);
    expect(a.replyPublicKey).not.toEqual(b.replyPublicKey);
    expect(a.caseId).not.toContain(Buffer.from(a.authPublicKey).toString('hex'));
    expect(a.caseId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when wiped, then the secret keys are zero and the public parts remain', async () => {
    const vector = vectors[0]!;
    const keys = await deriveCaseKeys(parseCaseToken(vector.token));
    wipeCaseKeys(keys);
    expect(keys.authSecretKey.every((byte) => byte === 0)).toBe(true);
    expect(keys.replySecretKey.every((byte) => byte === 0)).toBe(true);
    expect(keys.authPublicKey).toEqual(fromBase64Url(vector.authPublicKey));
  });
});
