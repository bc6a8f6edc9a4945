/**
 * The benchmark's reporter signer: the signature crypto/ makes (docs/protocol.md §4.1), with
 * Node's native Ed25519 instead of tweetnacl, so that a load generator spends its CPU on requests
 * rather than on pure-JS curve arithmetic, and the server is what gets measured (issue 16).
 * Ed25519 is deterministic, so the signatures are crypto/'s byte for byte
 * (test/unit/bench/native-case-signer.test.ts). Node only: products sign through crypto/index.ts.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { caseAuthMessage, toBase64Url, type Base64Url, type CaseKeys, type CaseRequestDigest } from '../../crypto/index';

/** PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410): this prefix, then the seed. */
const PKCS8_ED25519_SEED_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SEED_BYTES = 32;

export class NativeCaseSigner {
  private readonly privateKey: KeyObject;

  /** `keys.authSecretKey` is tweetnacl's 64-byte form, the seed first. */
  constructor(private readonly keys: CaseKeys) {
    const seed = keys.authSecretKey.subarray(0, ED25519_SEED_BYTES);
    this.privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_SEED_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  }

  /** What signCaseRequest(keys, request) returns, for a request whose body was hashed already. */
  async sign(request: Omit<CaseRequestDigest, 'caseId'>): Promise<Base64Url> {
    const message = await caseAuthMessage({ ...request, caseId: this.keys.caseId });
    return toBase64Url(sign(null, message, this.privateKey));
  }
}
