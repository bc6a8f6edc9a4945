/**
 * Replies and notes signed by the investigator who wrote them, with their OpenPGP key (protocol
 * version 2, docs/protocol.md §10.1): the reporter's browser and the console verify the signature
 * against the body's signed directory, so that neither the server nor an admin, who can seal a
 * message to any case's public reply key or encrypt one to the body's keys, can write a reply or a
 * note that a page shows as an investigator's.
 */
import { encodeFields, fromBase64Url, toBase64Url, utf8Encode } from './bytes';
import { CryptoError } from './errors';
import { createMessage, readSignature, sign, verify } from './openpgp';
import { privateKeyOf, publicKeyOf, type DecryptionKey, type RecipientKey } from './openpgp-keys';
import type { Base64Url, CaseId } from './types';

export interface InvestigatorBinding {
  readonly caseId: CaseId;
  readonly kind: InvestigatorMessageKind;
  /**
   * What a reply is for the directive's deadlines, as its writer declared it: the acknowledgment of
   * receipt, or the feedback (EU Directive 2019/1937 art. 9(1)(b), (f)). Absent for a plain message.
   */
  readonly purpose?: 'acknowledgment' | 'feedback';
}

export const INVESTIGATOR_MESSAGE_CONTEXT = 'candor/v2/investigator-message';

/** What an investigator signs: a reply to the reporter (and its copy), or a note for colleagues. */
export type InvestigatorMessageKind = 'reply' | 'note';

const PURPOSES: ReadonlySet<string> = new Set(['acknowledgment', 'feedback']);

/**
 * The signed bytes: the text, bound to its case and kind so that it cannot be shown in another or as
 * another, and to its purpose when it has one. Without a purpose the fields are those signed before
 * purposes existed, so older signatures still verify; length-prefixed fields keep the two apart.
 */
function signedBytes({ caseId, kind, purpose }: InvestigatorBinding, text: string): Uint8Array {
  const fields = [utf8Encode(INVESTIGATOR_MESSAGE_CONTEXT), utf8Encode(caseId), utf8Encode(kind), utf8Encode(text)];
  if (purpose === undefined) return encodeFields(fields);
  // Checked here too: the purpose is signed as ASCII, only these words, and only on a reply.
  if (kind !== 'reply' || !PURPOSES.has(purpose)) throw new CryptoError('signed-message-invalid', 'Only a reply has a purpose: the acknowledgment or the feedback.');
  return encodeFields([...fields, utf8Encode(purpose)]);
}

/** A detached OpenPGP signature (binary, base64url) by `key` over a message's text in `caseId`, with its purpose if any. */
export async function signInvestigatorText(key: DecryptionKey, binding: InvestigatorBinding, text: string): Promise<Base64Url> {
  try {
    const message = await createMessage({ binary: signedBytes(binding, text) });
    const signature = await sign({ message, signingKeys: privateKeyOf(key), detached: true, format: 'binary' });
    return toBase64Url(signature as Uint8Array);
  } catch (cause) {
    if (cause instanceof CryptoError) throw cause;
    throw new CryptoError('key-invalid', 'This key cannot sign.', { cause });
  }
}

/**
 * The recipient whose key made `signature` over the message's text, among `recipients` (a verified
 * directory's). Throws `signature-invalid` if none did, or the signature is altered, unreadable, or
 * for another text, case, kind or purpose.
 */
export async function verifyInvestigatorText(signature: string, binding: InvestigatorBinding, text: string, recipients: readonly RecipientKey[]): Promise<RecipientKey> {
  try {
    const parsed = await readSignature({ binarySignature: fromBase64Url(signature) });
    const [packet] = parsed.packets;
    if (parsed.packets.length !== 1 || packet === undefined) throw new Error('One signature packet is expected.');
    const keys = recipients.map(publicKeyOf);
    const message = await createMessage({ binary: signedBytes(binding, text) });
    // Checked at the signature's own time: the directory already checked each key is valid now, and
    // an investigator's clock a little ahead of the reporter's must not hide a genuine reply.
    const created = (packet as { created?: Date | null }).created ?? undefined;
    const result = await verify({ message, signature: parsed, verificationKeys: keys, expectSigned: true, format: 'binary', ...(created ? { date: created } : {}) });
    const [checked] = result.signatures;
    if (result.signatures.length !== 1 || checked === undefined) throw new Error('One signature is expected.');
    await checked.verified;
    const index = keys.findIndex((key) => key.getKeys(checked.keyID).length > 0);
    const signer = recipients[index];
    if (signer === undefined) throw new Error('The signer is not listed.');
    return signer;
  } catch (cause) {
    throw new CryptoError('signature-invalid', 'The message is not signed by an investigator the directory lists.', { cause });
  }
}
