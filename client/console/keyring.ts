/**
 * The investigator's unlocked private keys, held in this tab's memory only, for as long as the
 * console is unlocked. The server holds them only passphrase-locked (docs/console-api.md).
 */
import { CryptoError, isCryptoError, unlockPrivateKey, type DecryptionKey } from '../../crypto/index';
import type { AccountKey } from '../../protocol/console-api/index';

export interface UnlockResult {
  /** Fingerprints of the keys that stay locked: older keys protected by another passphrase. */
  readonly stillLocked: readonly string[];
}

export class Keyring {
  private unlocked = new Map<string, DecryptionKey>();
  private readonly listeners = new Set<() => void>();

  /**
   * Unlocks every key of the account that `passphrase` opens, retired ones too so that old cases stay
   * readable; keys unlocked before stay unlocked. A passphrase that opens none of the keys still
   * locked is refused with the CryptoError `key-locked`.
   */
  async unlock(keys: readonly AccountKey[], passphrase: string): Promise<UnlockResult> {
    const locked = keys.filter((key) => !this.unlocked.has(key.fingerprint));
    const opened = new Map<string, DecryptionKey>();
    for (const key of locked) {
      let unlocked: DecryptionKey;
      try {
        unlocked = await unlockPrivateKey(key.lockedPrivateKey, passphrase);
      } catch (error) {
        if (!isCryptoError(error, 'key-locked')) throw error;
        continue;
      }
      // The fingerprints the console shows as checked are the ones computed here, not the server's word.
      if (unlocked.fingerprint !== key.fingerprint) throw new CryptoError('key-invalid', `The server lists the key ${unlocked.fingerprint} as ${key.fingerprint}.`);
      opened.set(key.fingerprint, unlocked);
    }
    if (locked.length > 0 && opened.size === 0) throw new CryptoError('key-locked', 'The passphrase does not unlock any of the keys.');
    for (const [fingerprint, key] of opened) this.unlocked.set(fingerprint, key);
    this.notify();
    return { stillLocked: keys.filter((key) => !this.unlocked.has(key.fingerprint)).map((key) => key.fingerprint) };
  }

  /**
   * Drops every unlocked key and calls the listeners, which drop what was decrypted with them. The
   * key objects themselves are left to the garbage collector: JavaScript cannot wipe them.
   */
  lock(): void {
    this.unlocked = new Map();
    this.notify();
  }

  get isUnlocked(): boolean {
    return this.unlocked.size > 0;
  }

  /** Whether this browser unlocked the key of this fingerprint, and so computed the fingerprint itself. */
  has(fingerprint: string): boolean {
    return this.unlocked.has(fingerprint);
  }

  get keys(): readonly DecryptionKey[] {
    return [...this.unlocked.values()];
  }

  /** Called whenever the keyring is locked or unlocked; returns the function that unsubscribes. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
