import { createPrivateKey, createPublicKey, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveCaseKeys, fromBase64Url, generateCaseToken, parseCaseToken, toBase64Url, wipeCaseKeys } from '../../../crypto/index';
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
  return {
    caseId: derive('candor/v1/case-id').toString('hex'),
    authPublicKey: rawPublic(ED25519_PKCS8_PREFIX, derive('candor/v1/auth-ed25519-seed')).toString('base64url'),
    replyPublicKey: rawPublic(X25519_PKCS8_PREFIX, derive('candor/v1/reply-x25519-secret')).toString('base64url'),
  };
}

describe('case key derivation', () => {
  it.each(vectors)('when derived from the vector token $token, then every key matches the stored vector', async (vector) => {
    const keys = await deriveCaseKeys(parseCaseToken(vector.token));
    expect(keys.caseId).toBe(vector.caseId);
    expect(toBase64Url(keys.authPublicKey)).toBe(vector.authPublicKey);
    expect(toBase64Url(keys.authSecretKey)).toBe(vector.authSecretKey);
    expect(toBase64Url(keys.replyPublicKey)).toBe(vector.replyPublicKey);
    expect(toBase64Url(keys.replySecretKey)).toBe(vector.replySecretKey);
  });

  it('when redone with Node’s HKDF, Ed25519 and X25519, then the results are the same', async () => {
    for (const token of [...vectors.map((vector) => vector.token), generateCaseToken(), generateCaseToken()]) {
      const keys = await deriveCaseKeys(parseCaseToken(token));
      expect({
        caseId: keys.caseId,
        authPublicKey: toBase64Url(keys.authPublicKey),
        replyPublicKey: toBase64Url(keys.replyPublicKey),
      }).toEqual(referenceDerivation(token));
    }
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
