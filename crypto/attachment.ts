/**
 * Attachments as a stream of independent OpenPGP messages ("chunks"), so that neither side ever holds
 * a whole file and every chunk still opens with `gpg --decrypt`. Each chunk carries, inside its
 * encryption, the case, the attachment, its index and whether it is the last one: reordering,
 * truncation, extension and moving chunks between files or cases are all detected.
 *
 * Stored form: envelope header, then frames of [uint32 big-endian length][OpenPGP message].
 */
import { concatBytes, readUint32BE, toBase64Url, uint32BE } from './bytes';
import { ENVELOPE_HEADER_BYTES, envelopeHeader, openEnvelope } from './envelope';
import { CryptoError } from './errors';
import type { DecryptionKey, RecipientKey } from './openpgp-keys';
import { decryptBoundMessage, encryptBoundMessage } from './openpgp-messages';
import { paddedLength } from './padding';
import { randomBytes } from './random';
import { streamPieces } from './stream-pieces';
import type { Base64Url, CaseId } from './types';

/** Plaintext per chunk. 1 MiB keeps the transient copies openpgp.js makes per message small. */
export const ATTACHMENT_CHUNK_BYTES = 1024 * 1024;
/** Largest chunk a writer may choose; readers accept any chunk up to this size. */
const MAX_CHUNK_BYTES = 4 * 1024 * 1024;
export const ATTACHMENT_PADDING_FLOOR = 4096;
/** Room in every chunk for the literal packet's header and binding, and the padding packet's header. */
const CHUNK_PACKET_SLACK = 512;
/** Largest frame a reader accepts: the largest chunk plus generous room for many recipients' session keys. */
const MAX_FRAME_BYTES = MAX_CHUNK_BYTES + 1024 * 1024;
const FRAME_LENGTH_BYTES = 4;

export type AttachmentId = Base64Url & { readonly attachmentId: true };

/** Bytes per frame beyond its plaintext capacity: length prefix, SEIPD framing, CFB prefix, MDC, slack. */
const FRAME_OVERHEAD_BYTES = 4 + 6 + 41 + CHUNK_PACKET_SLACK;
/** Generous size of one recipient's session key packet (RSA 4096 needs 526 bytes, Curve25519 96). */
const MAX_SESSION_KEY_PACKET_BYTES = 1100;

/**
 * An upper bound of the stored size of a file of `plaintextBytes`, known before encrypting it, so
 * that an upload can be declared (and checked against limits) while encryption is still running.
 */
export function maxStoredAttachmentSize(plaintextBytes: number, recipientCount: number, chunkBytes = ATTACHMENT_CHUNK_BYTES): number {
  const padded = paddedLength(plaintextBytes, ATTACHMENT_PADDING_FLOOR);
  const chunks = Math.max(1, Math.ceil(padded / chunkBytes));
  return ENVELOPE_HEADER_BYTES + padded + chunks * (FRAME_OVERHEAD_BYTES + recipientCount * MAX_SESSION_KEY_PACKET_BYTES);
}

export interface AttachmentBinding {
  readonly caseId: CaseId;
  readonly attachmentId: AttachmentId;
}

export function newAttachmentId(): AttachmentId {
  return toBase64Url(randomBytes(16)) as AttachmentId;
}

function chunkBindingName(binding: AttachmentBinding, index: number, last: boolean): string {
  return `candor1.attachment.${binding.caseId}.${binding.attachmentId}.${index}.${last ? 'last' : 'more'}`;
}

function streamFrom(generator: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await generator.next();
        if (next.done === true) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await generator.return(undefined);
      },
    },
    // Pull only when the consumer asks: memory stays bounded by one chunk in flight.
    { highWaterMark: 0 },
  );
}

export interface EncryptAttachmentOptions {
  /** Plaintext bytes per chunk; tests use small chunks, everything else the default. */
  readonly chunkBytes?: number;
}

/**
 * Encrypts a file stream. The ciphertext's length depends only on the file size rounded to its
 * Padmé bucket (pure-padding chunks are added at the end when the bucket needs them).
 */
export function encryptAttachment(
  source: ReadableStream<Uint8Array>,
  recipients: readonly RecipientKey[],
  binding: AttachmentBinding,
  options: EncryptAttachmentOptions = {},
): ReadableStream<Uint8Array> {
  const chunkBytes = options.chunkBytes ?? ATTACHMENT_CHUNK_BYTES;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES) {
    throw new RangeError(`Chunk size must be 1 to ${MAX_CHUNK_BYTES} bytes`);
  }
  // A frame is yielded as its length and its message, two pieces: joining them would copy the chunk.
  async function* encryptChunk(data: Uint8Array, index: number, last: boolean, capacity: number): AsyncGenerator<Uint8Array> {
    const message = await encryptBoundMessage(data, chunkBindingName(binding, index, last), recipients, () => capacity + CHUNK_PACKET_SLACK);
    yield uint32BE(message.length);
    yield message;
  }

  async function* frames(): AsyncGenerator<Uint8Array> {
    // Two buffers: the chunk being encrypted, and the one read ahead of it.
    const pieces = streamPieces(source, chunkBytes, 2);
    let finished = false;
    try {
      yield envelopeHeader('attachment');
      let index = 0;
      let total = 0;
      // One piece of look-ahead: a chunk is written only once we know whether another follows.
      let pending = await pieces.next();
      while (pending.done !== true) {
        const following = await pieces.next();
        if (following.done === true) break;
        yield* encryptChunk(pending.value, index, false, chunkBytes);
        total += pending.value.length;
        index++;
        pending = following;
      }
      const lastData = pending.done === true ? new Uint8Array(0) : pending.value;
      const padded = paddedLength(total + lastData.length, ATTACHMENT_PADDING_FLOOR);
      const chunkCount = Math.max(1, Math.ceil(padded / chunkBytes));
      for (; index < chunkCount; index++) {
        const capacity = Math.min(chunkBytes, padded - index * chunkBytes);
        const data = index * chunkBytes === total ? lastData : new Uint8Array(0);
        yield* encryptChunk(data, index, index === chunkCount - 1, capacity);
      }
      finished = true;
    } finally {
      if (!finished) {
        // Stopped early: end the piece reader (which cancels the source), or cancel a source never read.
        await pieces.return(undefined);
        if (!source.locked) await source.cancel().catch(() => undefined);
      }
    }
  }
  return streamFrom(frames());
}

/** Reads exact byte counts from a stream; `null` means the stream ended cleanly before any byte. */
function exactReader(source: ReadableStream<Uint8Array>) {
  const reader = source.getReader();
  // Pieces are queued and joined once per read, so a frame costs one copy however it was split.
  const queue: Uint8Array[] = [];
  let queued = 0;
  return {
    async read(length: number): Promise<Uint8Array | null> {
      while (queued < length) {
        const { done, value } = await reader.read();
        if (done) {
          if (queued === 0) return null;
          throw new CryptoError('attachment-truncated', 'The attachment ends in the middle of a chunk.');
        }
        queue.push(value);
        queued += value.length;
      }
      // Usually the first piece holds the whole request (a length, or a frame as it was written).
      const first = queue[0];
      let joined: Uint8Array;
      if (first !== undefined && first.length >= length) {
        queue.shift();
        joined = first;
      } else {
        joined = concatBytes(...queue.splice(0));
      }
      const rest = joined.subarray(length);
      if (rest.length > 0) queue.unshift(rest);
      queued -= length;
      return joined.subarray(0, length);
    },
    async release(complete: boolean): Promise<void> {
      // When decryption stops early (an error, a cancelled download), the source is cancelled too.
      if (complete) reader.releaseLock();
      else await reader.cancel().catch(() => undefined);
    },
  };
}

/**
 * Decrypts an attachment stream chunk by chunk. Each chunk is authenticated before its bytes are
 * passed on, but a truncated file is only detected at its end: a consumer must discard the output
 * when the stream errors.
 */
export function decryptAttachment(
  source: ReadableStream<Uint8Array>,
  keys: DecryptionKey | readonly DecryptionKey[],
  binding: AttachmentBinding,
): ReadableStream<Uint8Array> {
  const keyList: readonly DecryptionKey[] = Array.isArray(keys) ? keys : [keys as DecryptionKey];

  async function* plaintext(): AsyncGenerator<Uint8Array> {
    const input = exactReader(source);
    let complete = false;
    try {
      const header = await input.read(ENVELOPE_HEADER_BYTES);
      if (header === null) throw new CryptoError('envelope-invalid', 'The attachment is empty.');
      openEnvelope(header, 'attachment');
      for (let index = 0; ; index++) {
        const lengthBytes = await input.read(FRAME_LENGTH_BYTES);
        if (lengthBytes === null) throw new CryptoError('attachment-truncated', 'The attachment ends before its last chunk.');
        const length = readUint32BE(lengthBytes, 0);
        if (length > MAX_FRAME_BYTES) throw new CryptoError('attachment-frame-too-large', 'An attachment chunk is too large.');
        const frame = await input.read(length);
        if (frame === null) throw new CryptoError('attachment-truncated', 'The attachment ends before its last chunk.');
        const { data, binding: found } = await decryptBoundMessage(frame, keyList);
        const last = found === chunkBindingName(binding, index, true);
        if (!last && found !== chunkBindingName(binding, index, false)) {
          const sameFile = found.startsWith(`candor1.attachment.${binding.caseId}.${binding.attachmentId}.`);
          throw sameFile
            ? new CryptoError('attachment-out-of-order', `Chunk ${index} of the attachment is missing or misplaced.`)
            : new CryptoError('binding-mismatch', 'A chunk belongs to another attachment or case.');
        }
        if (data.length > 0) yield data;
        if (last) {
          if ((await input.read(1)) !== null) {
            throw new CryptoError('envelope-invalid', 'There is data after the last chunk of the attachment.');
          }
          complete = true;
          return;
        }
      }
    } finally {
      await input.release(complete);
    }
  }
  return streamFrom(plaintext());
}
