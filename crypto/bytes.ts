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

const BASE64URL_PATTERN = /^[A-Za-z0-9_-]*$/;
const BASE64URL_VALUES = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The platform's base64url codec: Uint8Array.toBase64 (current browsers), Buffer (Node), else btoa/atob. */
export interface Base64UrlCodec {
  encode(bytes: Uint8Array): string;
  /** Decodes text already checked to be canonical unpadded base64url. */
  decode(text: string): Uint8Array;
}

interface NativeBase64 {
  toBase64?: (this: Uint8Array, options: { alphabet: 'base64url'; omitPadding: boolean }) => string;
}
interface NativeBase64Constructor {
  fromBase64?: (text: string, options: { alphabet: 'base64url'; lastChunkHandling: 'loose' }) => Uint8Array;
}
interface BufferLike {
  from(bytes: ArrayBuffer | string, offsetOrEncoding?: number | 'base64url', length?: number): Uint8Array & { toString(encoding: 'base64url'): string };
}

export const uint8ArrayBase64Codec: Base64UrlCodec | undefined = (() => {
  const { toBase64 } = Uint8Array.prototype as NativeBase64;
  const { fromBase64 } = Uint8Array as NativeBase64Constructor;
  if (typeof toBase64 !== 'function' || typeof fromBase64 !== 'function') return undefined;
  return {
    encode: (bytes) => toBase64.call(bytes, { alphabet: 'base64url', omitPadding: true }),
    decode: (text) => fromBase64(text, { alphabet: 'base64url', lastChunkHandling: 'loose' }),
  };
})();

export const bufferBase64Codec: Base64UrlCodec | undefined = (() => {
  const buffer = (globalThis as { Buffer?: BufferLike }).Buffer;
  if (buffer === undefined) return undefined;
  return {
    encode: (bytes) => buffer.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength).toString('base64url'),
    decode: (text) => new Uint8Array(buffer.from(text, 'base64url')),
  };
})();

/** btoa and atob take "binary strings"; built in slices so no argument list or string grows too long. */
export const binaryStringBase64Codec: Base64UrlCodec = {
  encode(bytes) {
    const slices: string[] = [];
    for (let i = 0; i < bytes.length; i += 0x8000) slices.push(String.fromCharCode(...bytes.subarray(i, i + 0x8000)));
    return btoa(slices.join('')).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
  },
  decode(text) {
    const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  },
};

const base64Codec: Base64UrlCodec = uint8ArrayBase64Codec ?? bufferBase64Codec ?? binaryStringBase64Codec;

/**
 * Unpadded base64url (RFC 4648 §5), with the platform's native codec: objects are megabytes, and a
 * converter written in JavaScript builds them a character at a time (issue 13: one case's status
 * took seconds and hundreds of MiB).
 */
export function toBase64Url(bytes: Uint8Array): Base64Url {
  return base64Codec.encode(bytes) as Base64Url;
}

/** The value of the last character's bits that fall beyond the last whole byte: zero in canonical form. */
function leftoverBits(text: string): number {
  const last = BASE64URL_VALUES.indexOf(text.at(-1) ?? 'A');
  if (text.length % 4 === 2) return last & 0b1111;
  if (text.length % 4 === 3) return last & 0b11;
  return 0;
}

export function fromBase64Url(text: string, codec: Base64UrlCodec = base64Codec): Uint8Array {
  if (text.length % 4 === 1) throw new CryptoError('encoding-invalid', 'Not base64url: impossible length.');
  if (!BASE64URL_PATTERN.test(text)) throw new CryptoError('encoding-invalid', 'Not base64url: unexpected character.');
  // Canonical form only: leftover bits must be zero, so each byte string has exactly one encoding.
  if (leftoverBits(text) !== 0) throw new CryptoError('encoding-invalid', 'Not canonical base64url.');
  return codec.decode(text);
}
