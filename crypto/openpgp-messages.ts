/** One OpenPGP message per object: encrypted to checked recipients with its binding inside, decrypted only whole and intact. */
import { CryptoError } from './errors';
import { assertStrictFraming } from './message-framing';
import { encryptSessionKey, LiteralDataPacket, readMessage, type LiteralPacket } from './openpgp';
import { privateKeyOf, publicKeyOf, type DecryptionKey, type RecipientKey } from './openpgp-keys';
import { literalPacketLength, MIN_PADDING_BYTES, writePlaintextPackets } from './openpgp-packets';
import { randomBytes } from './random';
import { seipdPacketLength, seipdPlaintext, writeSeipdV1 } from './seipd-v1';

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
  const innerLength = padTo(literalPacketLength(data.length, binding) + MIN_PADDING_BYTES);
  // The packets are written once, where the encryption reads them (crypto/seipd-v1.ts).
  const plaintext = seipdPlaintext(innerLength);
  writePlaintextPackets(plaintext.inner, data, binding);
  // Our own session key, without an AEAD algorithm: SEIPD v1 and AES-256 whatever the keys advertise.
  const sessionKey = randomBytes(SESSION_KEY.bytes);
  try {
    const sessionKeyPackets = await encryptSessionKey({ data: sessionKey, algorithm: SESSION_KEY.algorithm, encryptionKeys: keys, format: 'binary' });
    const message = new Uint8Array(sessionKeyPackets.length + seipdPacketLength(innerLength));
    message.set(sessionKeyPackets);
    await writeSeipdV1(plaintext, sessionKey, message, sessionKeyPackets.length);
    return message;
  } catch (cause) {
    throw new CryptoError('encryption-failed', 'OpenPGP encryption failed.', { cause });
  } finally {
    sessionKey.fill(0);
  }
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
