/**
 * Strict framing of a stored OpenPGP message. Only the encrypted data packet is integrity-protected;
 * everything around it could be changed without decryption noticing: packets that readers must
 * ignore (marker, padding) added in front or behind, or the two bits of a session key packet that do
 * not change its meaning (an MPI's declared bit count, the high bit of an X25519 point, which
 * RFC 7748 ignores). So a message is accepted only in the one canonical form GnuPG and openpgp.js
 * write: one or more v3 public-key session key packets, then one SEIPD packet that ends the message.
 */
import { CryptoError } from './errors';

const PKESK_TAG = 1;
const SEIPD_TAG = 18;
const ECDH_ALGORITHM = 18;
const NATIVE_POINT_PREFIX = 0x40;

interface PacketSpan {
  readonly tag: number;
  /** Offset and length of the body; only meaningful for packets with one definite length. */
  readonly body: Uint8Array;
  readonly end: number;
}

function malformed(reason: string): CryptoError {
  return new CryptoError('decryption-failed', `The message is not canonical OpenPGP: ${reason}.`);
}

function byteAt(bytes: Uint8Array, offset: number): number {
  const value = bytes[offset];
  if (value === undefined) throw malformed('it ends inside a packet header');
  return value;
}

/** New-format length (RFC 9580 §4.2.1.1); `partial` when the body continues in further parts. */
function newFormatLength(bytes: Uint8Array, offset: number): { length: number; start: number; partial: boolean } {
  const first = byteAt(bytes, offset);
  if (first < 192) return { length: first, start: offset + 1, partial: false };
  if (first < 224) return { length: ((first - 192) << 8) + byteAt(bytes, offset + 1) + 192, start: offset + 2, partial: false };
  if (first === 255) {
    const length = (byteAt(bytes, offset + 1) * 2 ** 24) + (byteAt(bytes, offset + 2) << 16) + (byteAt(bytes, offset + 3) << 8) + byteAt(bytes, offset + 4);
    return { length, start: offset + 5, partial: false };
  }
  return { length: 1 << (first & 0x1f), start: offset + 1, partial: true };
}

/** Reads one packet, following partial body lengths (which GnuPG uses for encrypted data) to its end. */
function readPacket(bytes: Uint8Array, offset: number): PacketSpan {
  const ctb = byteAt(bytes, offset);
  if ((ctb & 0x80) === 0) throw malformed('bad packet tag');
  if ((ctb & 0x40) !== 0) {
    let { length, start, partial } = newFormatLength(bytes, offset + 1);
    const bodyStart = start;
    while (partial) {
      ({ length, start, partial } = newFormatLength(bytes, start + length));
    }
    const end = start + length;
    if (end > bytes.length) throw malformed('a packet is longer than the message');
    return { tag: ctb & 0x3f, body: bytes.subarray(bodyStart, end), end };
  }
  const lengthType = ctb & 0x03;
  const tag = (ctb >> 2) & 0x0f;
  // Old format, indeterminate length: the packet runs to the end of the message.
  if (lengthType === 3) return { tag, body: bytes.subarray(offset + 1), end: bytes.length };
  const size = 1 << lengthType;
  let length = 0;
  for (let i = 0; i < size; i++) length = length * 256 + byteAt(bytes, offset + 1 + i);
  const start = offset + 1 + size;
  if (start + length > bytes.length) throw malformed('a packet is longer than the message');
  return { tag, body: bytes.subarray(start, start + length), end: start + length };
}

function bitLength(mpi: Uint8Array): number {
  const first = mpi[0] ?? 0;
  return first === 0 ? 0 : (mpi.length - 1) * 8 + (32 - Math.clz32(first));
}

function checkSessionKeyPacket(body: Uint8Array): void {
  // v3 PKESK: version, 8-byte key id, algorithm, then the algorithm's fields, the first an MPI.
  if (body[0] !== 3 || body.length < 12) throw malformed('unsupported session key packet');
  const bits = ((body[10] ?? 0) << 8) | (body[11] ?? 0);
  const mpi = body.subarray(12, 12 + Math.ceil(bits / 8));
  if (bitLength(mpi) !== bits) throw malformed('non-minimal MPI bit count');
  if (body[9] === ECDH_ALGORITHM && mpi[0] === NATIVE_POINT_PREFIX && mpi.length === 33 && ((mpi[32] ?? 0) & 0x80) !== 0) {
    throw malformed('non-canonical X25519 point');
  }
}

export function assertStrictFraming(message: Uint8Array): void {
  let offset = 0;
  let sessionKeys = 0;
  for (;;) {
    const packet = readPacket(message, offset);
    if (packet.tag === PKESK_TAG) {
      checkSessionKeyPacket(packet.body);
      sessionKeys++;
      offset = packet.end;
      continue;
    }
    if (packet.tag !== SEIPD_TAG || sessionKeys === 0) throw malformed('only session keys, then encrypted data, are allowed');
    if (packet.end !== message.length) throw malformed('there are bytes after the encrypted data');
    return;
  }
}
