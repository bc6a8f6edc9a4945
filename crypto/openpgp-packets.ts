/** The plaintext packets of a message, built by hand: the literal packet with its binding, and padding packets to an exact size. */
import { utf8Encode } from './bytes';
import { CryptoError } from './errors';
import { enums, PacketList, packetClasses, type AnyPacket, type LiteralPacket, type PaddingPacket, type WritablePacket } from './openpgp';

/** The smallest number of padding bytes a message carries. */
export const MIN_PADDING_BYTES = 4;

export function packetList(packets: readonly WritablePacket[]): PacketList<AnyPacket> {
  const list = new PacketList<AnyPacket>();
  list.push(...(packets as unknown as AnyPacket[]));
  return list;
}

/** A binary literal packet of `data` with `binding` as its file name. */
export function literalPacket(data: Uint8Array, binding: string): LiteralPacket {
  // Epoch zero: the literal packet's date would otherwise carry the sender's clock.
  const literal = new packetClasses.LiteralDataPacket(new Date(0));
  literal.setBytes(data, enums.literal.binary);
  literal.setFilename(binding);
  return literal;
}

/** Header size of an OpenPGP packet with a new-format length (RFC 9580 §4.2.1). */
function packetHeaderBytes(bodyLength: number): number {
  if (bodyLength < 192) return 2;
  if (bodyLength < 8384) return 3;
  return 6;
}

/** Bytes of the written literal packet of `literalPacket(data, binding)`, known without writing (copying) it. */
export function literalPacketLength(dataLength: number, binding: string): number {
  // RFC 9580 §5.9: format octet, file name length octet, file name, four-octet date, data.
  const bodyLength = 1 + 1 + utf8Encode(binding).length + 4 + dataLength;
  return packetHeaderBytes(bodyLength) + bodyLength;
}

/** The header size that makes a packet of `total` bytes, if one does. */
function headerFor(total: number): number | undefined {
  return [2, 3, 6].find((header) => total - header >= 0 && packetHeaderBytes(total - header) === header);
}

function paddingPacket(bodyLength: number): PaddingPacket {
  // The padding is inside the encryption, so zeros serve as well as random bytes and cost nothing.
  return Object.assign(new packetClasses.PaddingPacket(), { padding: new Uint8Array(bodyLength) });
}

/**
 * Padding packets (RFC 9580 §5.14) that together take exactly `total` bytes (total ≥ MIN_PADDING_BYTES).
 * Some totals fall between two header sizes; a small first packet then moves the rest past the gap.
 */
export function paddingPackets(total: number): PaddingPacket[] {
  const header = headerFor(total);
  if (header !== undefined) return [paddingPacket(total - header)];
  for (const fillerBody of [0, 1, 2]) {
    const restHeader = headerFor(total - fillerBody - 2);
    if (restHeader !== undefined) return [paddingPacket(fillerBody), paddingPacket(total - fillerBody - 2 - restHeader)];
  }
  throw new CryptoError('encryption-failed', `No padding packets make exactly ${total} bytes.`);
}
