/**
 * Messages for the reporter (investigators' replies, the reporter's own copy of the report), sealed
 * to the case's X25519 key with an ephemeral sender key: the writer needs no key of the reporter's
 * other than the public one the server holds.
 */
import { concatBytes, readUint32BE, uint32BE } from './bytes';
import type { CaseKeys } from './case-keys';
import { envelopeHeader, openEnvelope, type SealedKind } from './envelope';
import { CryptoError } from './errors';
import { BOX_NONCE_BYTES, BOX_OVERHEAD_BYTES, X25519_KEY_BYTES, boxToPublicKey, openBox } from './nacl';
import { paddedLength } from './padding';

export const REPLY_PADDING_FLOOR = 1024;

export function sealReply(replyPublicKey: Uint8Array, plaintext: Uint8Array, kind: SealedKind = 'reply'): Uint8Array {
  if (replyPublicKey.length !== X25519_KEY_BYTES) throw new CryptoError('key-invalid', 'A reply key has 32 bytes.');
  const header = envelopeHeader(kind);
  // The header is repeated inside the box, so that changing the kind outside is detected.
  const framed = concatBytes(header, uint32BE(plaintext.length), plaintext);
  const padded = new Uint8Array(paddedLength(framed.length, REPLY_PADDING_FLOOR));
  padded.set(framed);
  const { ephemeralPublicKey, nonce, ciphertext } = boxToPublicKey(padded, replyPublicKey);
  return concatBytes(header, ephemeralPublicKey, nonce, ciphertext);
}

export function openReply(caseKeys: CaseKeys, sealed: Uint8Array, kind: SealedKind = 'reply'): Uint8Array {
  const { header, payload } = openEnvelope(sealed, kind);
  if (payload.length < X25519_KEY_BYTES + BOX_NONCE_BYTES + BOX_OVERHEAD_BYTES) {
    throw new CryptoError('envelope-invalid', 'The sealed message is too short.');
  }
  const senderKey = payload.subarray(0, X25519_KEY_BYTES);
  const nonce = payload.subarray(X25519_KEY_BYTES, X25519_KEY_BYTES + BOX_NONCE_BYTES);
  const opened = openBox(payload.subarray(X25519_KEY_BYTES + BOX_NONCE_BYTES), nonce, senderKey, caseKeys.replySecretKey);
  if (opened === null) {
    throw new CryptoError('decryption-failed', 'The message is not for this case, or it was altered.');
  }
  const prefix = header.length + 4;
  if (opened.length < prefix || !header.every((byte, i) => opened[i] === byte)) {
    throw new CryptoError('binding-mismatch', 'The sealed message does not match its envelope.');
  }
  const length = readUint32BE(opened, header.length);
  if (length > opened.length - prefix || opened.subarray(prefix + length).some((byte) => byte !== 0)) {
    throw new CryptoError('envelope-invalid', 'The sealed message is framed wrongly.');
  }
  return opened.slice(prefix, prefix + length);
}
