/** One OpenPGP message per object: encrypted to checked recipients with its binding inside, decrypted only whole and intact. */
import { CryptoError } from './errors';
import { assertStrictFraming } from './message-framing';
import { LiteralDataPacket, Message, readMessage, type LiteralPacket, type SessionKey } from './openpgp';
import { privateKeyOf, publicKeyOf, type DecryptionKey, type RecipientKey } from './openpgp-keys';
import { literalPacket, literalPacketLength, MIN_PADDING_BYTES, packetList, paddingPackets } from './openpgp-packets';
import { randomBytes } from './random';

/** Every message is encrypted with AES-256, whatever the recipients' keys prefer; all OpenPGP tools read it. */
const SESSION_KEY = { algorithm: 'aes256', bytes: 32 } as const;

/**
 * Encrypts `data` to the recipients as one OpenPGP message. `binding` travels inside the encryption
 * as the literal packet's file name; `padTo(innerLength)` says how many bytes the plaintext packets
 * must fill, so that the ciphertext size depends only on that bucket.
 */
export async function encryptBoundMessage(
  data: Uint8Array,
  binding: string,
  recipients: readonly RecipientKey[],
  padTo: (innerLength: number) => number,
): Promise<Uint8Array> {
  const keys = recipients.map(publicKeyOf);
  if (keys.length === 0) throw new CryptoError('encryption-failed', 'There is no recipient to encrypt to.');
  const literal = literalPacket(data, binding);
  // Computed, not measured by writing the packet: that was a copy of the whole data for its length.
  const literalLength = literalPacketLength(data.length, binding);
  const target = padTo(literalLength + MIN_PADDING_BYTES);
  const packets = [literal, ...paddingPackets(target - literalLength)];
  let written: unknown;
  try {
    const message = new Message(packetList(packets));
    // Our own session key, without an AEAD algorithm: SEIPD v1 and AES-256 whatever the keys advertise.
    // (The library's declarations say an array; at run time it takes the one key object.)
    const sessionKey = { data: randomBytes(SESSION_KEY.bytes), algorithm: SESSION_KEY.algorithm } as unknown as SessionKey[];
    const encrypted = await message.encrypt(keys, undefined, sessionKey);
    written = encrypted.write();
  } catch (cause) {
    throw new CryptoError('encryption-failed', 'OpenPGP encryption failed.', { cause });
  }
  // Anything else (a stream, from an unexpected code path) would be stored as nothing.
  if (!(written instanceof Uint8Array)) throw new CryptoError('encryption-failed', 'OpenPGP produced no ciphertext bytes.');
  return written;
}

export interface DecryptedMessage {
  readonly data: Uint8Array;
  readonly binding: string;
}

/** Decrypts one OpenPGP message; integrity is checked before anything is returned. */
export async function decryptBoundMessage(bytes: Uint8Array, keys: readonly DecryptionKey[]): Promise<DecryptedMessage> {
  const privateKeys = keys.map(privateKeyOf);
  let literal: LiteralPacket;
  assertStrictFraming(bytes);
  try {
    const message = await readMessage({ binaryMessage: bytes });
    const decrypted = await message.decrypt(privateKeys);
    const packets = [...decrypted.packets];
    const [first] = packets;
    if (packets.length !== 1 || !(first instanceof LiteralDataPacket)) {
      throw new Error('Only a single uncompressed literal packet is accepted.');
    }
    literal = first as unknown as LiteralPacket;
  } catch (cause) {
    throw new CryptoError('decryption-failed', 'The message cannot be decrypted with these keys, or it was altered.', {
      cause,
    });
  }
  return { data: literal.getBytes() ?? new Uint8Array(0), binding: literal.getFilename() };
}
