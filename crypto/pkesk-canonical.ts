/**
 * Strict reading of the only part of an OpenPGP message that no integrity check covers: the
 * public-key encrypted session key packets in front of the encrypted data. Two of their bits do not
 * change the result of decryption (an MPI's declared bit count, and the high bit of an X25519 point,
 * which RFC 7748 ignores); accepting them would let anyone change stored bytes unnoticed. This file
 * refuses every encoding but the canonical one, which GnuPG and openpgp.js both write.
 */
import { CryptoError } from './errors';

const PKESK_TAG = 1;
const ECDH_ALGORITHM = 18;
const NATIVE_POINT_PREFIX = 0x40;

interface Packet {
  readonly tag: number;
  readonly body: Uint8Array;
}

function malformed(reason: string): CryptoError {
  return new CryptoError('decryption-failed', `The message is not canonical OpenPGP: ${reason}.`);
}

/** Reads one packet header (RFC 9580 §4.2); returns null for a packet whose length is not definite. */
function readPacket(bytes: Uint8Array, offset: number): { packet: Packet; next: number } | null {
  const ctb = bytes[offset];
  if (ctb === undefined || (ctb & 0x80) === 0) throw malformed('bad packet header');
  let tag: number;
  let length: number;
  let start: number;
  if ((ctb & 0x40) !== 0) {
    tag = ctb & 0x3f;
    const first = bytes[offset + 1] ?? 0;
    if (first < 192) [length, start] = [first, offset + 2];
    else if (first < 224) [length, start] = [((first - 192) << 8) + (bytes[offset + 2] ?? 0) + 192, offset + 3];
    else if (first === 255) [length, start] = [new DataView(bytes.buffer, bytes.byteOffset).getUint32(offset + 2), offset + 6];
    else return null;
  } else {
    tag = (ctb >> 2) & 0x0f;
    const lengthType = ctb & 0x03;
    if (lengthType === 3) return null;
    const size = 1 << lengthType;
    length = 0;
    for (let i = 0; i < size; i++) length = length * 256 + (bytes[offset + 1 + i] ?? 0);
    start = offset + 1 + size;
  }
  if (start + length > bytes.length) throw malformed('packet longer than the message');
  return { packet: { tag, body: bytes.subarray(start, start + length) }, next: start + length };
}

function bitLength(mpi: Uint8Array): number {
  const first = mpi[0] ?? 0;
  return first === 0 ? 0 : (mpi.length - 1) * 8 + (32 - Math.clz32(first));
}

function checkSessionKeyPacket(body: Uint8Array): void {
  // v3 PKESK: version, 8-byte key id, algorithm, then the algorithm's fields; the first is an MPI.
  if (body[0] !== 3 || body.length < 12) return;
  const bits = ((body[10] ?? 0) << 8) | (body[11] ?? 0);
  const mpi = body.subarray(12, 12 + Math.ceil(bits / 8));
  if (bitLength(mpi) !== bits) throw malformed('non-minimal MPI bit count');
  if (body[9] === ECDH_ALGORITHM && mpi[0] === NATIVE_POINT_PREFIX && mpi.length === 33 && ((mpi[32] ?? 0) & 0x80) !== 0) {
    throw malformed('non-canonical X25519 point');
  }
}

export function assertCanonicalSessionKeys(message: Uint8Array): void {
  let offset = 0;
  while (offset < message.length) {
    const read = readPacket(message, offset);
    if (read === null || read.packet.tag !== PKESK_TAG) return;
    checkSessionKeyPacket(read.packet.body);
    offset = read.next;
  }
}
