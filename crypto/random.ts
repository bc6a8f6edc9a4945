/** The only source of randomness in the project: the platform CSPRNG. */
import { CryptoError } from './errors';

// getRandomValues fills at most 65 536 bytes per call.
const MAX_REQUEST = 65_536;

export function randomBytes(length: number): Uint8Array {
  const webCrypto = globalThis.crypto;
  if (typeof webCrypto?.getRandomValues !== 'function') {
    throw new CryptoError('unsupported-platform', 'This platform has no crypto.getRandomValues.');
  }
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += MAX_REQUEST) {
    webCrypto.getRandomValues(out.subarray(offset, Math.min(length, offset + MAX_REQUEST)));
  }
  return out;
}
