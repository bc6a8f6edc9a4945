/** Byte and text encodings used by every format of the protocol, strict on input. */
import { CryptoError } from './errors';
import type { Base64Url, Hex } from './types';

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true });

export function utf8Encode(text: string): Uint8Array<ArrayBuffer> {
  return textEncoder.encode(text);
}

export function utf8Decode(bytes: Uint8Array): string {
  try {
    return textDecoder.decode(bytes);
  } catch (cause) {
    throw new CryptoError('encoding-invalid', 'Bytes are not valid UTF-8.', { cause });
  }
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Compares two byte strings in time that depends only on their lengths. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export function uint32BE(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw new RangeError(`Not a 32-bit unsigned integer: ${value}`);
  }
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

export function readUint32BE(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset);
}

/** Length-prefixed concatenation, so that no two different field lists encode to the same bytes. */
export function encodeFields(fields: readonly Uint8Array[]): Uint8Array {
  return concatBytes(...fields.flatMap((field) => [uint32BE(field.length), field]));
}

const HEX_PATTERN = /^(?:[0-9a-f]{2})*$/;

export function toHex(bytes: Uint8Array): Hex {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out as Hex;
}

export function fromHex(hex: string): Uint8Array {
  if (!HEX_PATTERN.test(hex)) throw new CryptoError('encoding-invalid', 'Not lower-case hexadecimal.');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL_VALUES = new Map([...BASE64URL_ALPHABET].map((char, value) => [char, value]));

/** Unpadded base64url (RFC 4648 §5). Written by hand because Node 20 lacks Uint8Array.toBase64. */
export function toBase64Url(bytes: Uint8Array): Base64Url {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = ((bytes[i] as number) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out += BASE64URL_ALPHABET[(chunk >> (18 - 6 * c)) & 63];
  }
  return out as Base64Url;
}

export function fromBase64Url(text: string): Uint8Array {
  if (text.length % 4 === 1) throw new CryptoError('encoding-invalid', 'Not base64url: impossible length.');
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const char of text) {
    const value = BASE64URL_VALUES.get(char);
    if (value === undefined) throw new CryptoError('encoding-invalid', 'Not base64url: unexpected character.');
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (buffer >> bits) & 0xff;
    }
  }
  // Canonical form only: leftover bits must be zero, so each byte string has exactly one encoding.
  if ((buffer & ((1 << bits) - 1)) !== 0) throw new CryptoError('encoding-invalid', 'Not canonical base64url.');
  return out;
}
