/**
 * Ed25519 with native WebCrypto where the browser has it, tweetnacl where it does not: case
 * requests (case-auth.ts) and the reporter's signed messages (reporter-signature.ts).
 */
import { CryptoError } from './errors';
import { ED25519_SEED_BYTES, ed25519Sign, ed25519Verify } from './nacl';

/** Whether WebCrypto has Ed25519 here: Node 20, current browsers and Tor Browser 15 do, Tor Browser 14 does not. */
let webCryptoEd25519 = true;

/** PKCS #8 (RFC 8410) of an Ed25519 private key: this fixed prefix, then the 32-byte seed. */
const ED25519_PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);

function isNotSupported(error: unknown): boolean {
  return (error as { name?: unknown }).name === 'NotSupportedError';
}

/**
 * Signs with WebCrypto where it can, with tweetnacl where it cannot. Ed25519 signatures are
 * deterministic (RFC 8032), so both give the same bytes; WebCrypto's are native, which matters in
 * Tor Browser's "Safer" level: tweetnacl there takes some 30 ms a signature, and an upload signs
 * every piece (issue 16).
 */
export async function signEd25519(message: Uint8Array, secretKey: Uint8Array): Promise<Uint8Array> {
  const subtle = globalThis.crypto?.subtle;
  if (webCryptoEd25519 && subtle !== undefined) {
    const pkcs8 = new Uint8Array(ED25519_PKCS8_PREFIX.length + ED25519_SEED_BYTES);
    pkcs8.set(ED25519_PKCS8_PREFIX);
    // tweetnacl's secret key is the seed followed by the public key.
    pkcs8.set(secretKey.subarray(0, ED25519_SEED_BYTES), ED25519_PKCS8_PREFIX.length);
    try {
      // Not extractable, and dropped after this signature: the seed stays where wipeCaseKeys reaches it.
      const key = await subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign']);
      return new Uint8Array(await subtle.sign({ name: 'Ed25519' }, key, Uint8Array.from(message)));
    } catch (error) {
      if (!isNotSupported(error)) throw new CryptoError('key-invalid', 'The case key cannot sign.', { cause: error });
      webCryptoEd25519 = false;
    } finally {
      pkcs8.fill(0);
    }
  }
  return ed25519Sign(message, secretKey);
}

/**
 * Verifies with WebCrypto where it can (over twenty times faster than pure JS on the server, which
 * checks every reporter request), and with tweetnacl where it cannot.
 */
export async function verifyEd25519(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): Promise<boolean> {
  const subtle = globalThis.crypto?.subtle;
  if (webCryptoEd25519 && subtle !== undefined && signature.length === 64) {
    try {
      const key = await subtle.importKey('raw', Uint8Array.from(publicKey), { name: 'Ed25519' }, false, ['verify']);
      return await subtle.verify({ name: 'Ed25519' }, key, Uint8Array.from(signature), Uint8Array.from(message));
    } catch (error) {
      if (isNotSupported(error)) webCryptoEd25519 = false;
      else return false;
    }
  }
  return ed25519Verify(message, signature, publicKey);
}
