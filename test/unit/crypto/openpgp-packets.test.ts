import { describe, expect, it } from 'vitest';
import { enums, PacketList, packetClasses, type AnyPacket } from '../../../crypto/openpgp';
import { literalPacketLength, MIN_PADDING_BYTES, paddingBodyLengths, writePlaintextPackets } from '../../../crypto/openpgp-packets';
import { patternBytes } from '../../helpers/crypto';

/** The same packets as openpgp.js writes them, the reference for the hand-written bytes. */
function libraryPackets(data: Uint8Array, binding: string, paddingTotal: number): Uint8Array {
  const literal = new packetClasses.LiteralDataPacket(new Date(0));
  literal.setBytes(data, enums.literal.binary);
  literal.setFilename(binding);
  const padding = paddingBodyLengths(paddingTotal).map((length) => Object.assign(new packetClasses.PaddingPacket(), { padding: new Uint8Array(length) }));
  const list = new PacketList<AnyPacket>();
  list.push(...([literal, ...padding] as unknown as AnyPacket[]));
  return list.write() as Uint8Array;
}

describe('the plaintext packets of a message', () => {
  // Each header size of a new-format length (2, 3 and 6 bytes), and the edges between them.
  const dataLengths = [0, 1, 100, 185, 186, 187, 1000, 8376, 8377, 8378, 65_536, 1024 * 1024];
  const bindings = ['', 'candor1.attachment.0123.abc.0.more', 'ünïcödé'];

  it.each(dataLengths)('when the data has %i bytes, then the literal packet and its padding are the bytes openpgp.js writes', (dataLength) => {
    const data = patternBytes(dataLength);
    for (const binding of bindings) {
      for (const paddingTotal of [MIN_PADDING_BYTES, 193, 194, 195, 196, 8386, 8387, 8388, 8389, 8390, 100_000]) {
        const length = literalPacketLength(dataLength, binding) + paddingTotal;
        const written = new Uint8Array(length);
        writePlaintextPackets(written, data, binding);
        expect(Buffer.from(written).equals(libraryPackets(data, binding, paddingTotal)), `binding "${binding}", padding ${paddingTotal}`).toBe(true);
      }
    }
  });

  it('when padding of any size from the least to a few header sizes is asked for, then the packets take exactly that many bytes', () => {
    for (let total = MIN_PADDING_BYTES; total < 9000; total++) {
      const lengths = paddingBodyLengths(total);
      const written = lengths.reduce((sum, body) => sum + body + (body < 192 ? 2 : body < 8384 ? 3 : 6), 0);
      expect(written, `total ${total}`).toBe(total);
    }
  });

  it('when the binding is longer than a file name can be, then it is refused', () => {
    expect(() => writePlaintextPackets(new Uint8Array(1000), new Uint8Array(1), 'x'.repeat(256))).toThrow();
  });
});
