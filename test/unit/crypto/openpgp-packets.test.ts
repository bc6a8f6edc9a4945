import { describe, expect, it } from 'vitest';
import { literalPacket, literalPacketLength, packetList } from '../../../crypto/openpgp-packets';

describe('literal packet length', () => {
  // Each header size of a new-format length (2, 3 and 6 bytes), and the edges between them.
  const dataLengths = [0, 1, 100, 185, 186, 187, 1000, 8376, 8377, 8378, 65_536, 1024 * 1024];

  it.each(dataLengths)('when the data has %i bytes, then the computed length is that of the written packet', (dataLength) => {
    for (const binding of ['', 'candor1.attachment.0123.abc.0.more', 'ünïcödé']) {
      const written = packetList([literalPacket(new Uint8Array(dataLength), binding)]).write() as Uint8Array;
      expect(literalPacketLength(dataLength, binding), `binding "${binding}"`).toBe(written.length);
    }
  });
});
