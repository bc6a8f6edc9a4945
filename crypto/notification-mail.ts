/**
 * The text of an e-mail alert to an investigator as one ASCII-armoured OpenPGP message to their
 * current key, for any mail program to decrypt: bound to its purpose, padded so that its size says
 * little about how much the digest lists.
 */
import { utf8Decode, utf8Encode } from './bytes';
import { CryptoError } from './errors';
import { armor, enums } from './openpgp';
import type { DecryptionKey, RecipientKey } from './openpgp-keys';
import { decryptBoundMessage, encryptBoundMessage } from './openpgp-messages';
import { paddedLength } from './padding';

/** The literal packet's file name: a report or reply can never pass for an alert, nor an alert for them. */
export const NOTIFICATION_BINDING = 'candor1.notification';
/** Alerts shorter than this are all the same size. */
export const NOTIFICATION_PADDING_FLOOR = 2048;

export async function encryptNotificationText(text: string, recipient: RecipientKey): Promise<string> {
  const message = await encryptBoundMessage(utf8Encode(text), NOTIFICATION_BINDING, [recipient], (length) => paddedLength(length, NOTIFICATION_PADDING_FLOOR));
  return armor(enums.armor.message, message);
}

/** The alert's text, or a CryptoError: not armoured, not for these keys, altered, or not an alert. */
export async function decryptNotificationText(armoredMessage: string, keys: DecryptionKey | readonly DecryptionKey[]): Promise<string> {
  const { data, binding } = await decryptBoundMessage(dearmor(armoredMessage), Array.isArray(keys) ? keys : [keys as DecryptionKey]);
  if (binding !== NOTIFICATION_BINDING) throw new CryptoError('binding-mismatch', 'This message is not an alert.');
  return utf8Decode(data);
}

const ARMOR = /^-----BEGIN PGP MESSAGE-----\r?\n(?:[^\r\n]+\r?\n)*?\r?\n([A-Za-z0-9+/=\r\n]+?)(?:\r?\n=[A-Za-z0-9+/]{4})?\r?\n-----END PGP MESSAGE-----\s*$/;

/**
 * The binary message inside an armour (RFC 9580 §6.2), read here rather than by the library, whose
 * reader hands back packets re-framed; the strict framing check wants the bytes as they were sent.
 */
function dearmor(text: string): Uint8Array {
  const body = ARMOR.exec(text.trim() + '\n')?.[1];
  if (body === undefined) throw new CryptoError('encoding-invalid', 'This is not an ASCII-armoured OpenPGP message.');
  try {
    return Uint8Array.from(atob(body.replace(/\s/g, '')), (char) => char.charCodeAt(0));
  } catch (cause) {
    throw new CryptoError('encoding-invalid', 'The armour holds no valid base64.', { cause });
  }
}
