/**
 * One attachment of generated data through encryptAttachment, its ciphertext counted and dropped:
 * the measurement the browser suite makes in Chromium and in Node alike; and the generation alone,
 * to show how much of that time is the input's. It imports nothing from Node, so that the page runs
 * this very code.
 */
import { encryptAttachment, type AttachmentBinding, type RecipientKey } from '../../crypto/index';
import { webPseudoRandomStream } from './web-pseudo-random-stream';

export interface GenerationMeasurement {
  readonly plaintextBytes: number;
  readonly elapsedMs: number;
}

export interface EncryptionMeasurement {
  readonly plaintextBytes: number;
  readonly ciphertextBytes: number;
  readonly elapsedMs: number;
}

/** Times generating `plaintextBytes`, encrypting them to `recipient` and reading the whole ciphertext. */
export async function measureAttachmentEncryption(
  plaintextBytes: number,
  recipient: RecipientKey,
  binding: AttachmentBinding,
): Promise<EncryptionMeasurement> {
  const start = performance.now();
  const ciphertextBytes = await countBytes(encryptAttachment(webPseudoRandomStream(plaintextBytes), [recipient], binding));
  return { plaintextBytes, ciphertextBytes, elapsedMs: performance.now() - start };
}

/** Times generating and reading `plaintextBytes` with nothing in between. */
export async function measureGeneration(plaintextBytes: number): Promise<GenerationMeasurement> {
  const start = performance.now();
  const generatedBytes = await countBytes(webPseudoRandomStream(plaintextBytes));
  return { plaintextBytes: generatedBytes, elapsedMs: performance.now() - start };
}

async function countBytes(stream: ReadableStream<Uint8Array>): Promise<number> {
  const reader = stream.getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    bytes += value.length;
  }
}
