import { describe, expect, it } from 'vitest';
import { readMessage, type LiteralPacket, type SessionKey } from '../../../crypto/openpgp';
import { literalPacketLength, MIN_PADDING_BYTES, writePlaintextPackets } from '../../../crypto/openpgp-packets';
import { randomBytes } from '../../../crypto/random';
import { seipdPacketLength, seipdPlaintext, writeSeipdV1 } from '../../../crypto/seipd-v1';
import { patternBytes } from '../../helpers/crypto';

async function seipdOf(data: Uint8Array, sessionKey: Uint8Array): Promise<Uint8Array> {
  const innerLength = literalPacketLength(data.length, 'binding') + MIN_PADDING_BYTES;
  const plaintext = seipdPlaintext(innerLength);
  writePlaintextPackets(plaintext.inner, data, 'binding');
  const packet = new Uint8Array(seipdPacketLength(innerLength));
  await writeSeipdV1(plaintext, sessionKey, packet, 0);
  return packet;
}

/** openpgp.js decrypts the packet with the session key, checking its MDC. */
async function libraryDecrypts(packet: Uint8Array, sessionKey: Uint8Array): Promise<Uint8Array> {
  const message = await readMessage({ binaryMessage: packet });
  const decrypted = await message.decrypt(undefined, undefined, [{ data: sessionKey, algorithm: 'aes256' }] as unknown as SessionKey[]);
  const [literal] = [...decrypted.packets] as unknown as LiteralPacket[];
  return literal!.getBytes() ?? new Uint8Array(0);
}

describe('SEIPD v1 written with WebCrypto', () => {
  // Around the block size, the CBC trick's edges, and the header sizes of the packet's length.
  it.each([0, 1, 2, 13, 14, 15, 16, 17, 31, 32, 33, 150, 8300, 100_000, 1024 * 1024 + 3])('when %i bytes are encrypted, then openpgp.js decrypts exactly them', async (length) => {
    const sessionKey = randomBytes(32);
    const data = patternBytes(length);
    expect(Buffer.from(await libraryDecrypts(await seipdOf(data, sessionKey), sessionKey)).equals(Buffer.from(data))).toBe(true);
  });

  it('when one bit of the ciphertext is flipped, then decryption fails', async () => {
    const sessionKey = randomBytes(32);
    const packet = await seipdOf(patternBytes(5000), sessionKey);
    for (const at of [10, 2500, packet.length - 1]) {
      const altered = packet.slice();
      altered[at]! ^= 1;
      await expect(libraryDecrypts(altered, sessionKey)).rejects.toThrow();
    }
  });

  it('when the same data is encrypted twice under one key, then the ciphertexts differ (the random prefix)', async () => {
    const sessionKey = randomBytes(32);
    const data = patternBytes(1000);
    expect(Buffer.from(await seipdOf(data, sessionKey)).equals(Buffer.from(await seipdOf(data, sessionKey)))).toBe(false);
  });
});
