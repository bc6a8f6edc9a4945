import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveCaseKeys, fromBase64Url, generateCaseToken, parseCaseToken, signCaseRequest, utf8Encode, verifyCaseRequest } from '../../../crypto/index';
import { NativeCaseSigner } from '../../bench/native-case-signer';
import vector from '../../vectors/case-auth.json';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest();

describe("the benchmark's native Ed25519 signer", () => {
  it('when it signs the vector request, then it gives the known answer', async () => {
    // The vector was signed under the case's version 1 id.
    const keys = await deriveCaseKeys(parseCaseToken(vector.token), 1);
    const { challenge, method, path } = vector.request;
    const signature = await new NativeCaseSigner(keys).sign({ challenge, method, path, bodySha256: sha256(fromBase64Url(vector.request.body)) });
    expect(signature).toBe(vector.signature);
  });

  it("when it signs requests of fresh cases, then each signature is crypto/'s byte for byte, and verifies", async () => {
    const bodies = [new Uint8Array(0), utf8Encode('{"message":"a follow-up"}'), new Uint8Array(70_000).fill(7)];
    const requests = [
      { method: 'GET', path: '/api/v1/case' },
      { method: 'GET', path: '/api/v1/case?after=3' },
      { method: 'POST', path: '/api/v1/case/followups' },
      { method: 'PUT', path: '/api/v1/case/uploads/abc?offset=0' },
    ];
    for (let round = 0; round < 8; round++) {
      const keys = await deriveCaseKeys(generateCaseToken());
      const signer = new NativeCaseSigner(keys);
      for (const { method, path } of requests) {
        for (const body of bodies) {
          const challenge = `challenge-${round}-${body.length}`;
          const native = await signer.sign({ challenge, method, path, bodySha256: sha256(body) });
          expect(native).toBe(await signCaseRequest(keys, { challenge, method, path, body }));
          await verifyCaseRequest(keys.authPublicKey, { caseId: keys.caseId, challenge, method, path, body }, native);
        }
      }
    }
  });
});
