/**
 * Investigators' OpenPGP keys: a public key checked before anything is encrypted to it, a private key
 * unlocked in memory, a locked private key checked before a server stores it, a new key pair. The
 * handles given out stand for library key objects that only openpgp-messages.ts gets to use.
 */
import { CryptoError } from './errors';
import { decryptKey, generateKey, readKey, readPrivateKey, type Key, type PrivateKey, type PublicKey, type Subkey } from './openpgp';
import { checkAlgorithm, describeAlgorithm } from './openpgp-key-policy';
import type { ArmoredPrivateKey, ArmoredPublicKey, Fingerprint } from './types';

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

const checkedPublicKeys = new WeakMap<RecipientKey, PublicKey>();
const unlockedPrivateKeys = new WeakMap<DecryptionKey, PrivateKey>();

/** The checked library key behind a recipient; throws unless it came from checkRecipientKey. */
export function publicKeyOf(recipient: RecipientKey): PublicKey {
  const key = checkedPublicKeys.get(recipient);
  if (key === undefined) throw new CryptoError('key-invalid', 'Recipients must come from checkRecipientKey.');
  return key;
}

/** The unlocked library key behind a handle; throws unless it came from unlockPrivateKey. */
export function privateKeyOf(handle: DecryptionKey): PrivateKey {
  const key = unlockedPrivateKeys.get(handle);
  if (key === undefined) throw new CryptoError('key-locked', 'Decryption keys must come from unlockPrivateKey.');
  return key;
}

async function readAnyKey(armoredKey: string): Promise<Key> {
  try {
    return await readKey({ armoredKey });
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
  let encryptionKey: Key | Subkey;
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
    algorithm: describeAlgorithm(encryptionInfo),
    expiresAt: expiry instanceof Date ? expiry : null,
  };
  checkedPublicKeys.set(recipient, key.toPublic());
  return recipient;
}

/** Reads an investigator's private key and unlocks it with the passphrase, in memory only. */
export async function unlockPrivateKey(armoredKey: ArmoredPrivateKey | string, passphrase?: string): Promise<DecryptionKey> {
  let key: PrivateKey;
  try {
    key = await readPrivateKey({ armoredKey });
  } catch (cause) {
    throw new CryptoError('key-invalid', 'This is not a readable OpenPGP private key.', { cause });
  }
  if (!key.isDecrypted()) {
    if (passphrase === undefined) throw new CryptoError('key-locked', 'The private key needs its passphrase.');
    try {
      key = await decryptKey({ privateKey: key, passphrase });
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
  let key: PrivateKey;
  try {
    key = await readPrivateKey({ armoredKey: armoredPrivateKey });
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
  const { privateKey, publicKey } = await generateKey({
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
