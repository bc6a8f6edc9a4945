/**
 * Messages for a body's investigators (the report, follow-ups, notes, copies of replies): one
 * OpenPGP message each, padded to a size bucket and bound to its case and kind.
 */
import { concatBytes, utf8Encode } from './bytes';
import { envelopeHeader, openEnvelope, type OpenPgpKind } from './envelope';
import { CryptoError } from './errors';
import type { DecryptionKey, RecipientKey } from './openpgp-keys';
import { decryptBoundMessage, encryptBoundMessage } from './openpgp-messages';
import { paddedLength } from './padding';
import type { CaseId } from './types';

/** Reports shorter than this are all the same size on the wire. */
export const MESSAGE_PADDING_FLOOR = 4096;

export type MessageKind = Exclude<OpenPgpKind, 'attachment'>;

export interface MessageBinding {
  readonly caseId: CaseId;
  /** Defaults to `report`. */
  readonly kind?: MessageKind;
}

export function messageBindingName(caseId: CaseId, kind: MessageKind): string {
  return `candor1.${kind}.${caseId}`;
}

export async function encryptReport(
  plaintext: Uint8Array | string,
  recipients: readonly RecipientKey[],
  binding: MessageBinding,
): Promise<Uint8Array> {
  const kind = binding.kind ?? 'report';
  const data = typeof plaintext === 'string' ? utf8Encode(plaintext) : plaintext;
  const message = await encryptBoundMessage(data, messageBindingName(binding.caseId, kind), recipients, (length) =>
    paddedLength(length, MESSAGE_PADDING_FLOOR),
  );
  return concatBytes(envelopeHeader(kind), message);
}

/** Returns the plaintext bytes, or throws a CryptoError; it never returns anything unauthenticated. */
export async function decryptReport(
  envelope: Uint8Array,
  keys: DecryptionKey | readonly DecryptionKey[],
  expected: MessageBinding,
): Promise<Uint8Array> {
  const kind = expected.kind ?? 'report';
  const { payload } = openEnvelope(envelope, kind);
  const { data, binding } = await decryptBoundMessage(payload, Array.isArray(keys) ? keys : [keys as DecryptionKey]);
  if (binding !== messageBindingName(expected.caseId, kind)) {
    throw new CryptoError('binding-mismatch', 'This message belongs to another case or is of another kind.');
  }
  return data;
}
