/**
 * The investigator key's passphrase rule. The server stores the private key locked with it, so
 * whoever copies the database can guess it offline: a generated key and an imported one alike must
 * be locked with a passphrase at least this long.
 */
import { checkLockedPrivateKey, checkRecipientKey, unlockPrivateKey, type RecipientKey } from '../../crypto/index';

export const PASSPHRASE_MIN = 12;

/** Characters as a person counts them: one for a character outside the BMP too. */
const isLongEnough = (passphrase: string) => [...passphrase].length >= PASSPHRASE_MIN;

export type NewPassphraseProblem = 'too-short' | 'mismatch';

/** For a key made in this browser: the passphrase chosen, typed twice. */
export function newPassphraseProblem(passphrase: string, repeated: string): NewPassphraseProblem | null {
  if (!isLongEnough(passphrase)) return 'too-short';
  if (passphrase !== repeated) return 'mismatch';
  return null;
}

export type ImportedKeyCheck =
  | { readonly result: 'ok'; readonly publicKey: RecipientKey; readonly lockedPrivateKey: string }
  /** The key must be locked again with a longer passphrase (in GnuPG: `gpg --edit-key KEY passwd`) before it is imported. */
  | { readonly result: 'passphrase-too-short' };

/**
 * Checks an imported key before anything is sent: a usable public key, its private half locked, and
 * a passphrase that follows the rule and unlocks it. A wrong key or passphrase throws CryptoError.
 */
export async function checkImportedKey(input: { readonly publicKey: string; readonly privateKey: string; readonly passphrase: string }): Promise<ImportedKeyCheck> {
  const publicKey = await checkRecipientKey(input.publicKey.trim());
  const lockedPrivateKey = input.privateKey.trim();
  await checkLockedPrivateKey(lockedPrivateKey, publicKey);
  // Before the unlock: a short passphrase is refused whether or not it is the key's.
  if (!isLongEnough(input.passphrase)) return { result: 'passphrase-too-short' };
  await unlockPrivateKey(lockedPrivateKey, input.passphrase);
  return { result: 'ok', publicKey, lockedPrivateKey };
}
