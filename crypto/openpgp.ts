/**
 * The only file that imports openpgp. It sets the library's configuration once (each choice explained
 * in docs/protocol.md §OpenPGP profile), before any other file of crypto/ can use the library, and
 * passes on only the parts of it they use: keys in openpgp-keys.ts, messages in openpgp-messages.ts.
 */
import * as openpgp from 'openpgp';

/** The smallest RSA key accepted, here and by the key policy (openpgp-key-policy.ts). */
export const MIN_RSA_BITS = 3072;

// SEIPD v1 with MDC, not RFC 9580 SEIPD v2: GnuPG 2.2 (Debian 12, Tails) cannot read v2. This setting
// alone is not enough (openpgp.js picks v2 when every recipient key advertises it), so
// encryptBoundMessage also supplies its own session key without an AEAD algorithm.
openpgp.config.aeadProtect = false;
// v4 keys for the same reason; v6 keys would force SEIPD v2.
openpgp.config.v6Keys = false;
openpgp.config.preferredSymmetricAlgorithm = openpgp.enums.symmetric.aes256;
openpgp.config.preferredHashAlgorithm = openpgp.enums.hash.sha512;
// Compression leaks plaintext structure through ciphertext size; padding does the size hiding instead.
openpgp.config.preferredCompressionAlgorithm = openpgp.enums.compression.uncompressed;
// We never compress, so a compressed message is hostile: keep what it may inflate to small.
openpgp.config.maxDecompressedMessageSize = 16 * 1024 * 1024;
openpgp.config.allowUnauthenticatedMessages = false;
openpgp.config.allowUnauthenticatedStream = false;
openpgp.config.minRSABits = MIN_RSA_BITS;
openpgp.config.showVersion = false;
openpgp.config.showComment = false;
// Iterated-and-salted S2K at the maximum count: Argon2 would need WebAssembly, which Tor Browser's
// "Safer" level disables, and GnuPG 2.2 cannot unlock Argon2-protected keys.
openpgp.config.s2kType = openpgp.enums.s2k.iterated;
openpgp.config.s2kIterationCountByte = 255;

export { armor, createMessage, decryptKey, encryptSessionKey, enums, generateKey, LiteralDataPacket, Message, PacketList, readKey, readMessage, readPrivateKey, readSignature, sign, verify } from 'openpgp';
export type { AlgorithmInfo, AnyPacket, Key, PrivateKey, PublicKey, SessionKey, Subkey } from 'openpgp';

/**
 * The library's own plaintext packet classes, typed as it ships them at run time (its declarations
 * omit PaddingPacket and mark LiteralDataPacket's setters private): openpgp-packets.ts writes these
 * packets by hand, and its tests compare its bytes with the library's.
 */
export interface WritablePacket {
  write(): Uint8Array;
}
export interface LiteralPacket extends WritablePacket {
  setBytes(bytes: Uint8Array, format: openpgp.enums.literal): void;
  setFilename(filename: string): void;
  getBytes(): Uint8Array | null;
  getFilename(): string;
}
export interface PaddingPacket extends WritablePacket {
  padding: Uint8Array | null;
}
export const packetClasses = openpgp as unknown as {
  LiteralDataPacket: new (date: Date) => LiteralPacket;
  PaddingPacket: new () => PaddingPacket;
};
