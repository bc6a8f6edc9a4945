/**
 * One large attachment through encryptAttachment piped straight into decryptAttachment, with the
 * input generated and the output hashed on the fly: neither the file nor its ciphertext ever exists
 * whole, so the process's memory shows whether the crypto core really streams.
 */
import { createHash } from 'node:crypto';
import { decryptAttachment, encryptAttachment } from '../../crypto/index';
import type { AttachmentBinding, DecryptionKey, RecipientKey } from '../../crypto/index';
import { pseudoRandomStream, tap } from './pseudo-random-stream';
import { startRssMonitor, type RssReport } from './rss-monitor';

const RSS_SAMPLE_INTERVAL_MS = 50;

export interface RoundTripResult {
  readonly plaintextBytes: number;
  readonly ciphertextBytes: number;
  readonly elapsedMs: number;
  readonly hashesMatch: boolean;
  readonly rss: RssReport;
}

export async function runAttachmentRoundTrip(
  plaintextBytes: number,
  recipient: RecipientKey,
  key: DecryptionKey,
  binding: AttachmentBinding,
): Promise<RoundTripResult> {
  const inputHash = createHash('sha256');
  const outputHash = createHash('sha256');
  let ciphertextBytes = 0;
  let decryptedBytes = 0;

  const monitor = await startRssMonitor(RSS_SAMPLE_INTERVAL_MS);
  const start = performance.now();
  let elapsedMs: number;
  let rss: RssReport;
  try {
    const plaintext = tap(pseudoRandomStream(plaintextBytes), (piece) => inputHash.update(piece));
    const ciphertext = tap(encryptAttachment(plaintext, [recipient], binding), (piece) => {
      ciphertextBytes += piece.length;
    });
    const reader = decryptAttachment(ciphertext, key, binding).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      outputHash.update(value);
      decryptedBytes += value.length;
    }
  } finally {
    elapsedMs = performance.now() - start;
    rss = monitor.stop();
  }

  const hashesMatch = decryptedBytes === plaintextBytes && inputHash.digest('hex') === outputHash.digest('hex');
  return { plaintextBytes, ciphertextBytes, elapsedMs, hashesMatch, rss };
}
