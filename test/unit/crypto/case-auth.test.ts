import { describe, expect, it } from 'vitest';
import {
  CryptoError,
  deriveCaseKeys,
  fromBase64Url,
  generateCaseToken,
  parseCaseToken,
  signCaseRequest,
  toBase64Url,
  utf8Encode,
  verifyCaseRequest,
  type CaseRequest,
} from '../../../crypto/index';
import { caseAuthMessage } from '../../../crypto/case-auth';
import { ed25519Sign } from '../../../crypto/nacl';
import vector from '../../vectors/case-auth.json';

async function expectRefused(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toSatisfy((error) => error instanceof CryptoError && error.code === 'signature-invalid');
}

describe('reporter challenge–response', () => {
  it('when WebCrypto signs, then the signature is byte for byte the one tweetnacl makes (Ed25519 is deterministic)', async () => {
    for (let i = 0; i < 8; i++) {
      const keys = await deriveCaseKeys(generateCaseToken());
      const request = { challenge: `challenge-${i}`, method: 'PUT', path: `/api/v1/case/uploads/x?offset=${i}`, body: utf8Encode('x'.repeat(i * 100)) };
      const message = await caseAuthMessage({ ...request, caseId: keys.caseId });
      expect(await signCaseRequest(keys, request)).toBe(toBase64Url(ed25519Sign(message, keys.authSecretKey)));
    }
  });

  it('when the vector request is signed again, then the signature is the known answer, and it verifies', async () => {
    const keys = await deriveCaseKeys(parseCaseToken(vector.token), 1);
    const request = { ...vector.request, body: fromBase64Url(vector.request.body) };
    expect(await signCaseRequest(keys, request)).toBe(vector.signature);
    await verifyCaseRequest(keys.authPublicKey, { ...request, caseId: keys.caseId }, vector.signature);
  });

  describe('when any bound field differs from what was signed', async () => {
    const keys = await deriveCaseKeys(generateCaseToken());
    const other = await deriveCaseKeys(generateCaseToken());
    const signed = { challenge: 'c2FtcGxlLWNoYWxsZW5nZQ', method: 'POST', path: '/api/v1/case/followups', body: utf8Encode('{"a":1}') };
    const signature = await signCaseRequest(keys, signed);
    const genuine: CaseRequest = { ...signed, caseId: keys.caseId };

    it('then the genuine request verifies, with any case of the method', async () => {
      await verifyCaseRequest(keys.authPublicKey, genuine, signature);
      await verifyCaseRequest(keys.authPublicKey, { ...genuine, method: 'post' }, signature);
    });

    it.each([
      ['case id', { caseId: other.caseId }],
      ['challenge', { challenge: 'b3RoZXItY2hhbGxlbmdl' }],
      ['method', { method: 'PUT' }],
      ['path', { path: '/api/v1/case/status' }],
      ['body', { body: utf8Encode('{"a":2}') }],
    ])('then a different %s is refused', async (_field, change) => {
      await expectRefused(verifyCaseRequest(keys.authPublicKey, { ...genuine, ...change }, signature));
    });

    it('then another case’s key, a flipped signature bit and garbage are refused', async () => {
      await expectRefused(verifyCaseRequest(other.authPublicKey, genuine, signature));
      const bytes = fromBase64Url(signature);
      for (let i = 0; i < bytes.length; i += 7) {
        const flipped = bytes.slice();
        flipped[i] = (flipped[i] as number) ^ 0x80;
        await expectRefused(verifyCaseRequest(keys.authPublicKey, genuine, toBase64Url(flipped)));
      }
      await expectRefused(verifyCaseRequest(keys.authPublicKey, genuine, 'not base64url!'));
      await expectRefused(verifyCaseRequest(keys.authPublicKey, genuine, ''));
    });
  });
});
