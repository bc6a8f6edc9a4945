/**
 * Client authorization for Tor v3 onion services: the review console's onion service answers only
 * Tor clients that hold one of the X25519 private keys whose public halves are in its
 * `authorized_clients/` directory. Formats as tor's manual gives them (CLIENT AUTHORIZATION):
 *
 *   server, `authorized_clients/<name>.auth`:      descriptor:x25519:<base32 public key>
 *   client, `ClientOnionAuthDir/<name>.auth_private`: <onion address>:descriptor:x25519:<base32 private key>
 *
 * Base32 is RFC 4648 §6 without padding, as tor writes and reads it; the onion address is the v3
 * address of rend-spec-v3 §6 (ed25519 key, checksum, version), checked here so a mistyped address is
 * caught when the key is handed out rather than when an investigator's Tor Browser cannot connect.
 */
import { sha3_256 } from '@noble/hashes/sha3.js';
import { base32nopad } from '@scure/base';
import { concatBytes, constantTimeEqual, utf8Encode } from './bytes';
import { CryptoError } from './errors';
import { X25519_KEY_BYTES, x25519KeyPairFromSecret } from './nacl';
import { randomBytes } from './random';
import type { Brand } from './types';

/** Unpadded RFC 4648 base32 in upper case, the form tor's documentation shows keys in. */
export type Base32 = Brand<string, 'Base32'>;
/** A v3 onion address: 56 lower-case base32 characters, without ".onion". */
export type OnionAddress = Brand<string, 'OnionAddress'>;

export interface OnionClientAuthKey {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

export function toBase32(bytes: Uint8Array): Base32 {
  return base32nopad.encode(bytes) as Base32;
}

/** Strict: upper case, no padding, and only the one canonical encoding of each byte string. */
export function fromBase32(text: string): Uint8Array {
  try {
    return base32nopad.decode(text);
  } catch (cause) {
    // Another alphabet or case, padding, an impossible length, or bits left over that are not zero.
    throw new CryptoError('encoding-invalid', 'Not canonical unpadded upper-case base32.', { cause });
  }
}

export function generateOnionClientAuthKey(): OnionClientAuthKey {
  return onionClientAuthKeyFromPrivateKey(randomBytes(X25519_KEY_BYTES));
}

/** The key pair of an X25519 private key (clamped by the scalar multiplication, as tor does too). */
export function onionClientAuthKeyFromPrivateKey(privateKey: Uint8Array): OnionClientAuthKey {
  if (privateKey.length !== X25519_KEY_BYTES) throw new CryptoError('key-invalid', `An X25519 private key is ${X25519_KEY_BYTES} bytes.`);
  const pair = x25519KeyPairFromSecret(privateKey);
  return { publicKey: pair.publicKey, privateKey: pair.secretKey };
}

/** The line of the onion service's `authorized_clients/<name>.auth` file. */
export function authorizedClientLine(key: OnionClientAuthKey): string {
  return `descriptor:x25519:${toBase32(key.publicKey)}`;
}

/** The line of the client's `<name>.auth_private` file; Tor Browser asks for the key part only. */
export function clientAuthPrivateLine(address: OnionAddress, key: OnionClientAuthKey): string {
  return `${address}:descriptor:x25519:${toBase32(key.privateKey)}`;
}

const ONION_ADDRESS_CHARS = 56;
const ONION_VERSION = 3;
const ONION_CHECKSUM_CONTEXT = utf8Encode('.onion checksum');

/** Accepts the address with or without ".onion", in either case; checks its length, version and checksum. */
export function parseOnionAddress(text: string): OnionAddress {
  const address = text.trim().toLowerCase().replace(/\.onion$/, '');
  if (address.length !== ONION_ADDRESS_CHARS) {
    throw new CryptoError('encoding-invalid', `A v3 onion address has ${ONION_ADDRESS_CHARS} characters before ".onion".`);
  }
  const bytes = fromBase32(address.toUpperCase());
  const publicKey = bytes.subarray(0, 32);
  const checksum = bytes.subarray(32, 34);
  const version = bytes[34];
  if (version !== ONION_VERSION) throw new CryptoError('encoding-invalid', 'Not a version 3 onion address.');
  const expected = sha3_256(concatBytes(ONION_CHECKSUM_CONTEXT, publicKey, Uint8Array.of(ONION_VERSION))).subarray(0, 2);
  if (!constantTimeEqual(checksum, expected)) throw new CryptoError('encoding-invalid', 'The onion address checksum does not match: is it mistyped?');
  return address as OnionAddress;
}
