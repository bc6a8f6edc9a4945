/**
 * The only file that imports openpgp. It sets the library's configuration once (each choice explained
 * in docs/protocol.md §OpenPGP profile) and offers the few operations the protocol needs.
 */
import * as openpgp from 'openpgp';
import { CryptoError } from './errors';
import { assertStrictFraming } from './message-framing';
import { randomBytes } from './random';
import type { ArmoredPrivateKey, ArmoredPublicKey, Fingerprint } from './types';

// SEIPD v1 with MDC, not RFC 9580 SEIPD v2: GnuPG 2.2 (Debian 12, Tails) cannot read v2. This setting
// alone is not enough (openpgp.js picks v2 when every recipient key advertises it), so
// encryptBoundMessage also supplies its own session key without an AEAD algorithm.
openpgp.config.aeadProtect = false;
// v4 keys for the same reason; v6 keys would force SEIPD v2.
openpgp.config.v6Keys = false;
openpgp.config.preferredSymmetricAlgorithm = openpgp.enums.symmetric.aes256;
/** Every message is encrypted with AES-256, whatever the recipients' keys prefer; all OpenPGP tools read it. */
const SESSION_KEY = { algorithm: 'aes256', bytes: 32 } as const;
openpgp.config.preferredHashAlgorithm = openpgp.enums.hash.sha512;
// Compression leaks plaintext structure through ciphertext size; padding does the size hiding instead.
openpgp.config.preferredCompressionAlgorithm = openpgp.enums.compression.uncompressed;
// We never compress, so a compressed message is hostile: keep what it may inflate to small.
openpgp.config.maxDecompressedMessageSize = 16 * 1024 * 1024;
openpgp.config.allowUnauthenticatedMessages = false;
openpgp.config.allowUnauthenticatedStream = false;
openpgp.config.minRSABits = 3072;
openpgp.config.showVersion = false;
openpgp.config.showComment = false;
// Iterated-and-salted S2K at the maximum count: Argon2 would need WebAssembly, which Tor Browser's
// "Safer" level disables, and GnuPG 2.2 cannot unlock Argon2-protected keys.
openpgp.config.s2kType = openpgp.enums.s2k.iterated;
openpgp.config.s2kIterationCountByte = 255;

/** A public key that passed checkRecipientKey; only such keys can be encrypted to. */
export interface RecipientKey {
  readonly fingerprint: Fingerprint;
  readonly armoredKey: ArmoredPublicKey;
  readonly algorithm: string;
  readonly expiresAt: Date | null;
}

/** An unlocked private key, held only in the memory of the investigator's browser. */
export interface DecryptionKey {
  readonly fingerprint: Fingerprint;
}

/**
 * The packet classes this file builds by hand, typed as the library ships them at run time: its
 * declarations omit PaddingPacket and mark LiteralDataPacket's setters private.
 */
interface WritablePacket {
  write(): Uint8Array;
}
interface LiteralPacket extends WritablePacket {
  setBytes(bytes: Uint8Array, format: openpgp.enums.literal): void;
  setFilename(filename: string): void;
  getBytes(): Uint8Array | null;
  getFilename(): string;
}
interface PaddingPacket extends WritablePacket {
  padding: Uint8Array | null;
}
const packetClasses = openpgp as unknown as {
  LiteralDataPacket: new (date: Date) => LiteralPacket;
  PaddingPacket: new () => PaddingPacket;
};

const checkedPublicKeys = new WeakMap<RecipientKey, openpgp.PublicKey>();
const unlockedPrivateKeys = new WeakMap<DecryptionKey, openpgp.PrivateKey>();

const ACCEPTED_CURVES = new Set(['curve25519Legacy', 'ed25519Legacy', 'nistP256', 'nistP384', 'nistP521']);
// RFC 9580's own X25519/Ed25519 algorithm ids on v4 keys: GnuPG 2.2 cannot use them.
const UNSUPPORTED_ALGORITHMS = new Set(['ed25519', 'x25519', 'ed448', 'x448']);
const RSA_ALGORITHMS = new Set(['rsaEncryptSign', 'rsaEncrypt', 'rsaSign']);
const MIN_RSA_BITS = 3072;

function checkAlgorithm(info: openpgp.AlgorithmInfo, role: string): void {
  if (UNSUPPORTED_ALGORITHMS.has(info.algorithm)) {
    throw new CryptoError('key-unsupported-algorithm', `The ${role} algorithm ${describe(info)} cannot be read by GnuPG 2.2; use Curve25519 (legacy) or RSA.`);
  }
  const strong = RSA_ALGORITHMS.has(info.algorithm)
    ? (info.bits ?? 0) >= MIN_RSA_BITS
    : ['ecdh', 'ecdsa', 'eddsaLegacy'].includes(info.algorithm) && ACCEPTED_CURVES.has(info.curve ?? '');
  if (!strong) throw new CryptoError('key-weak', `The ${role} algorithm ${describe(info)} is too weak.`);
}

function describe(info: openpgp.AlgorithmInfo): string {
  return [info.algorithm, info.curve, info.bits].filter((part) => part !== undefined).join('/');
}

async function readAnyKey(armoredKey: string): Promise<openpgp.Key> {
  try {
    return await openpgp.readKey({ armoredKey });
  } catch (cause) {
    throw new CryptoError('key-invalid', 'This is not a readable OpenPGP key.', { cause });
  }
}

/**
 * Accepts an investigator's public key only if it is public, v4, strong, valid at `now`, and can
 * encrypt; throws a CryptoError naming the first problem otherwise.
 */
export async function checkRecipientKey(armoredKey: string, now: Date = new Date()): Promise<RecipientKey> {
  const key = await readAnyKey(armoredKey);
  if (key.isPrivate()) {
    throw new CryptoError('key-is-private', 'This is a private key. Share only the public key.');
  }
  if (key.keyPacket.version !== 4) {
    throw new CryptoError('key-unsupported-version', `Only v4 keys are accepted (this one is v${key.keyPacket.version}).`);
  }
  checkAlgorithm(key.getAlgorithmInfo(), 'key');
  try {
    await key.verifyPrimaryKey(now);
  } catch (cause) {
    const expiry = await key.getExpirationTime().catch(() => null);
    if (expiry instanceof Date && expiry <= now) {
      throw new CryptoError('key-expired', `The key expired on ${expiry.toISOString().slice(0, 10)}.`, { cause });
    }
    const revoked = await key.isRevoked(undefined, undefined, now).catch(() => false);
    if (revoked) throw new CryptoError('key-revoked', 'The key has been revoked.', { cause });
    throw new CryptoError('key-invalid', 'The key has no valid self-signature.', { cause });
  }
  let encryptionKey: openpgp.Key | openpgp.Subkey;
  try {
    encryptionKey = await key.getEncryptionKey(undefined, now);
  } catch (cause) {
    throw new CryptoError('key-no-encryption-subkey', 'The key has no valid encryption subkey.', { cause });
  }
  const encryptionInfo = encryptionKey.getAlgorithmInfo();
  checkAlgorithm(encryptionInfo, 'encryption key');
  const expiry = await key.getExpirationTime();
  const recipient: RecipientKey = {
    fingerprint: key.getFingerprint() as Fingerprint,
    armoredKey: key.toPublic().armor() as ArmoredPublicKey,
    algorithm: describe(encryptionInfo),
    expiresAt: expiry instanceof Date ? expiry : null,
  };
  checkedPublicKeys.set(recipient, key.toPublic());
  return recipient;
}

/** Reads an investigator's private key and unlocks it with the passphrase, in memory only. */
export async function unlockPrivateKey(armoredKey: ArmoredPrivateKey | string, passphrase?: string): Promise<DecryptionKey> {
  let key: openpgp.PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey });
  } catch (cause) {
    throw new CryptoError('key-invalid', 'This is not a readable OpenPGP private key.', { cause });
  }
  if (!key.isDecrypted()) {
    if (passphrase === undefined) throw new CryptoError('key-locked', 'The private key needs its passphrase.');
    try {
      key = await openpgp.decryptKey({ privateKey: key, passphrase });
    } catch (cause) {
      throw new CryptoError('key-locked', 'The passphrase does not unlock this private key.', { cause });
    }
  }
  const handle: DecryptionKey = { fingerprint: key.getFingerprint() as Fingerprint };
  unlockedPrivateKeys.set(handle, key);
  return handle;
}

/**
 * Accepts a private key for storage on a server only if it is the private half of `publicKey` and
 * every secret key material in it is passphrase-protected: the server must never hold an unlocked key.
 */
export async function checkLockedPrivateKey(armoredPrivateKey: string, publicKey: RecipientKey): Promise<void> {
  let key: openpgp.PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armoredPrivateKey });
  } catch (cause) {
    throw new CryptoError('key-invalid', 'This is not a readable OpenPGP private key.', { cause });
  }
  if (key.getFingerprint() !== publicKey.fingerprint) {
    throw new CryptoError('key-invalid', 'This private key does not belong to the public key given with it.');
  }
  // True if the primary key or any subkey is unencrypted (a gnu-dummy stub counts as encrypted).
  if (key.isDecrypted()) {
    throw new CryptoError('key-not-locked', 'The private key must be protected by a passphrase before it is stored.');
  }
}

export interface GeneratedKey {
  readonly armoredPrivateKey: ArmoredPrivateKey;
  readonly armoredPublicKey: ArmoredPublicKey;
  readonly fingerprint: Fingerprint;
}

/** A new v4 Ed25519/Curve25519 key pair, its private half locked with the passphrase. */
export async function generateInvestigatorKey(options: { name: string; passphrase: string }): Promise<GeneratedKey> {
  if (options.passphrase.length === 0) {
    throw new CryptoError('key-locked', 'An investigator key is never stored without a passphrase.');
  }
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'ed25519Legacy',
    userIDs: [{ name: options.name }],
    passphrase: options.passphrase,
    format: 'object',
  });
  return {
    armoredPrivateKey: privateKey.armor() as ArmoredPrivateKey,
    armoredPublicKey: publicKey.armor() as ArmoredPublicKey,
    fingerprint: privateKey.getFingerprint() as Fingerprint,
  };
}

function packetList(packets: readonly WritablePacket[]): openpgp.PacketList<openpgp.AnyPacket> {
  const list = new openpgp.PacketList<openpgp.AnyPacket>();
  list.push(...(packets as unknown as openpgp.AnyPacket[]));
  return list;
}

/** Header size of an OpenPGP packet with a new-format length (RFC 9580 §4.2.1). */
function packetHeaderBytes(bodyLength: number): number {
  if (bodyLength < 192) return 2;
  if (bodyLength < 8384) return 3;
  return 6;
}

/** The smallest number of padding bytes a message carries. */
export const MIN_PADDING_BYTES = 4;

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
function paddingPackets(total: number): PaddingPacket[] {
  const header = headerFor(total);
  if (header !== undefined) return [paddingPacket(total - header)];
  for (const fillerBody of [0, 1, 2]) {
    const restHeader = headerFor(total - fillerBody - 2);
    if (restHeader !== undefined) return [paddingPacket(fillerBody), paddingPacket(total - fillerBody - 2 - restHeader)];
  }
  throw new CryptoError('encryption-failed', `No padding packets make exactly ${total} bytes.`);
}

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
  const keys = recipients.map((recipient) => {
    const key = checkedPublicKeys.get(recipient);
    if (key === undefined) throw new CryptoError('key-invalid', 'Recipients must come from checkRecipientKey.');
    return key;
  });
  if (keys.length === 0) throw new CryptoError('encryption-failed', 'There is no recipient to encrypt to.');
  // Epoch zero: the literal packet's date would otherwise carry the sender's clock.
  const literal = new packetClasses.LiteralDataPacket(new Date(0));
  literal.setBytes(data, openpgp.enums.literal.binary);
  literal.setFilename(binding);
  const literalLength = packetList([literal]).write().length;
  const target = padTo(literalLength + MIN_PADDING_BYTES);
  const packets = [literal, ...paddingPackets(target - literalLength)];
  let written: unknown;
  try {
    const message = new openpgp.Message(packetList(packets));
    // Our own session key, without an AEAD algorithm: SEIPD v1 and AES-256 whatever the keys advertise.
    // (The library's declarations say an array; at run time it takes the one key object.)
    const sessionKey = { data: randomBytes(SESSION_KEY.bytes), algorithm: SESSION_KEY.algorithm } as unknown as openpgp.SessionKey[];
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
  const privateKeys = keys.map((handle) => {
    const key = unlockedPrivateKeys.get(handle);
    if (key === undefined) throw new CryptoError('key-locked', 'Decryption keys must come from unlockPrivateKey.');
    return key;
  });
  let literal: LiteralPacket;
  assertStrictFraming(bytes);
  try {
    const message = await openpgp.readMessage({ binaryMessage: bytes });
    const decrypted = await message.decrypt(privateKeys);
    const packets = [...decrypted.packets];
    const [first] = packets;
    if (packets.length !== 1 || !(first instanceof openpgp.LiteralDataPacket)) {
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
