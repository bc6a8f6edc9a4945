/**
 * The plaintext packets of a message, written by hand into the buffer the encryption reads: the
 * binary literal packet with its binding as the file name, and padding packets to an exact size.
 */
import { utf8Encode } from './bytes';
import { CryptoError } from './errors';
import { packetHeaderBytes, writePacketHeader } from './seipd-v1';

/** The smallest number of padding bytes a message carries. */
export const MIN_PADDING_BYTES = 4;

const LITERAL_TAG = 11;
const PADDING_TAG = 21;
/** RFC 9580 §5.9: 'b', binary data. */
const LITERAL_FORMAT_BINARY = 0x62;
/** A file name's length is one octet. */
const MAX_BINDING_BYTES = 255;

/** Bytes of the literal packet of `dataLength` bytes bound to `binding`. */
export function literalPacketLength(dataLength: number, binding: string): number {
  // RFC 9580 §5.9: format octet, file name length octet, file name, four-octet date, data.
  const bodyLength = 1 + 1 + utf8Encode(binding).length + 4 + dataLength;
  return packetHeaderBytes(bodyLength) + bodyLength;
}

/**
 * Writes into `target` (zero-filled, as long as the packets must be) the binary literal packet of
 * `data` with `binding` as its file name and date zero (the date would otherwise carry the sender's
 * clock), then padding packets (RFC 9580 §5.14) of zeros to its end: zeros serve as well as random
 * bytes inside the encryption, and cost nothing. New-format headers, as openpgp.js writes them.
 */
export function writePlaintextPackets(target: Uint8Array, data: Uint8Array, binding: string): void {
  const name = utf8Encode(binding);
  if (name.length > MAX_BINDING_BYTES) throw new CryptoError('encryption-failed', 'The binding is too long for a file name.');
  let at = writePacketHeader(target, 0, LITERAL_TAG, 1 + 1 + name.length + 4 + data.length);
  target[at++] = LITERAL_FORMAT_BINARY;
  target[at++] = name.length;
  target.set(name, at);
  // Then the date, four zero octets, already there.
  at += name.length + 4;
  target.set(data, at);
  at += data.length;
  for (const bodyLength of paddingBodyLengths(target.length - at)) {
    // Its body is zeros, already there.
    at = writePacketHeader(target, at, PADDING_TAG, bodyLength) + bodyLength;
  }
}

/** The header size that makes a packet of `total` bytes, if one does. */
function headerFor(total: number): number | undefined {
  return [2, 3, 6].find((header) => total - header >= 0 && packetHeaderBytes(total - header) === header);
}

/**
 * Body lengths of padding packets that together take exactly `total` bytes (total ≥ MIN_PADDING_BYTES).
 * Some totals fall between two header sizes; a small first packet then moves the rest past the gap.
 */
export function paddingBodyLengths(total: number): number[] {
  const header = headerFor(total);
  if (header !== undefined) return [total - header];
  for (const fillerBody of [0, 1, 2]) {
    const restHeader = headerFor(total - fillerBody - 2);
    if (restHeader !== undefined) return [fillerBody, total - fillerBody - 2 - restHeader];
  }
  throw new CryptoError('encryption-failed', `No padding packets make exactly ${total} bytes.`);
}
