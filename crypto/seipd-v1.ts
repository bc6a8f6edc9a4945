/**
 * The encrypted data packet of every message (SEIPD v1: OpenPGP CFB with a modification detection
 * code, RFC 9580 §5.13.1), written with WebCrypto alone. openpgp.js writes the same packet but copies
 * the plaintext some nine times on the way and XORs it byte by byte in JavaScript; without a JIT
 * (Tor Browser's "Safer" level) those copies are garbage the collector falls behind on, hundreds of
 * MiB in a large upload (issue 16). Here the plaintext is laid out once, in the buffer WebCrypto
 * reads, and the packet is the only other buffer kept. GnuPG and openpgp.js read it as any other.
 */
import { CryptoError } from './errors';
import { randomBytes } from './random';

const BLOCK_BYTES = 16;
/** The random prefix (one block) and its last two bytes repeated (RFC 9580 §5.13.1). */
const PREFIX_BYTES = BLOCK_BYTES + 2;
/** The MDC packet: its header (tag 19, length 20) and the SHA-1. */
const MDC_HEADER = [0xd3, 0x14] as const;
const MDC_BYTES = 2 + 20;
const SEIPD_TAG = 18;
const SEIPD_VERSION = 1;

/** Header size of an OpenPGP packet with a new-format length (RFC 9580 §4.2.1). */
export function packetHeaderBytes(bodyLength: number): number {
  if (bodyLength < 192) return 2;
  if (bodyLength < 8384) return 3;
  return 6;
}

/** Writes a new-format packet header at `at`; returns where the body starts. */
export function writePacketHeader(target: Uint8Array, at: number, tag: number, bodyLength: number): number {
  target[at++] = 0xc0 | tag;
  if (bodyLength < 192) {
    target[at++] = bodyLength;
  } else if (bodyLength < 8384) {
    target[at++] = ((bodyLength - 192) >> 8) + 192;
    target[at++] = (bodyLength - 192) & 0xff;
  } else {
    target[at++] = 0xff;
    new DataView(target.buffer, target.byteOffset).setUint32(at, bodyLength);
    at += 4;
  }
  return at;
}

/**
 * Room for the packets a message encrypts, laid out where the encryption reads them: `inner` is
 * where the caller writes them (`innerLength` bytes, zero to begin with).
 */
export interface SeipdPlaintext {
  readonly inner: Uint8Array<ArrayBuffer>;
  /** Everything: a zero block for the CBC trick, the prefix, the packets, the MDC. */
  readonly buffer: Uint8Array<ArrayBuffer>;
}

export function seipdPlaintext(innerLength: number): SeipdPlaintext {
  const buffer = new Uint8Array(BLOCK_BYTES + PREFIX_BYTES + innerLength + MDC_BYTES);
  const start = BLOCK_BYTES + PREFIX_BYTES;
  return { buffer, inner: buffer.subarray(start, start + innerLength) };
}

/** Bytes of the SEIPD v1 packet (header included) that encrypts `innerLength` bytes of packets. */
export function seipdPacketLength(innerLength: number): number {
  const body = 1 + PREFIX_BYTES + innerLength + MDC_BYTES;
  return packetHeaderBytes(body) + body;
}

/**
 * Encrypts the packets written into `plaintext.inner` with AES-256 under `sessionKey`, writing the
 * SEIPD v1 packet into `target` at `at` (seipdPacketLength bytes). `plaintext` is spent.
 */
export async function writeSeipdV1(plaintext: SeipdPlaintext, sessionKey: Uint8Array, target: Uint8Array, at: number): Promise<void> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) throw new CryptoError('unsupported-platform', 'WebCrypto is unavailable.');
  if (sessionKey.length !== 32) throw new CryptoError('encryption-failed', 'The session key is not an AES-256 key.');
  const { buffer } = plaintext;
  // What is encrypted: prefix, packets, MDC, from here on; the block before it stays zero.
  const body = buffer.subarray(BLOCK_BYTES);
  body.set(randomBytes(BLOCK_BYTES), 0);
  body[BLOCK_BYTES] = body[BLOCK_BYTES - 2] as number;
  body[BLOCK_BYTES + 1] = body[BLOCK_BYTES - 1] as number;
  const mdcAt = body.length - MDC_BYTES;
  body[mdcAt] = MDC_HEADER[0];
  body[mdcAt + 1] = MDC_HEADER[1];
  // The MDC is the SHA-1 of everything before it, its own header included.
  body.set(new Uint8Array(await subtle.digest('SHA-1', body.subarray(0, mdcAt + 2))), mdcAt + 2);

  // OpenPGP CFB with a zero IV and no resynchronisation: Cᵢ = Pᵢ ⊕ E(Cᵢ₋₁), C₀ = 0. AES-CBC with a
  // zero IV over (0, P₁, …, Pₙ₋₁) gives Xᵢ = E(Xᵢ₋₁ ⊕ Pᵢ₋₁) = E(Cᵢ₋₁), so Cᵢ = Pᵢ ⊕ Xᵢ: the
  // keystream of the whole packet in one native call (its padding block is ignored).
  const key = await subtle.importKey('raw', sessionKey as Uint8Array<ArrayBuffer>, 'AES-CBC', false, ['encrypt']);
  const blocks = Math.ceil(body.length / BLOCK_BYTES);
  const keystream = new Uint8Array(await subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(BLOCK_BYTES) }, key, buffer.subarray(0, blocks * BLOCK_BYTES)));
  xorInto(keystream, body);

  let bodyAt = writePacketHeader(target, at, SEIPD_TAG, 1 + body.length);
  target[bodyAt++] = SEIPD_VERSION;
  target.set(keystream.subarray(0, body.length), bodyAt);
}

/** `into[i] ^= from[i]` over `from`'s length, four bytes at a time: a quarter of the steps without a JIT. */
function xorInto(into: Uint8Array<ArrayBuffer>, from: Uint8Array<ArrayBuffer>): void {
  const words = Math.floor(from.length / 4);
  // Both start at multiples of four in their buffers (offset 0 and 16), as Int32Array views need.
  const a = new Int32Array(into.buffer, into.byteOffset, words);
  const b = new Int32Array(from.buffer, from.byteOffset, words);
  for (let i = 0; i < words; i++) a[i] = (a[i] as number) ^ (b[i] as number);
  for (let i = words * 4; i < from.length; i++) into[i] = (into[i] as number) ^ (from[i] as number);
}
