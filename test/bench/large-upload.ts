/**
 * One large attachment uploaded to a spawned intake in signed pieces, while the server's resident
 * memory is watched: a server that streams pieces to disk stays flat however large the file. The
 * bytes are pseudo-random rather than a real encrypted attachment, which the server never decrypts;
 * they are generated and hashed piece by piece, so the client never holds the file either.
 */
import { createHash } from 'node:crypto';
import { newAttachmentId } from '../../crypto/index';
import { createCase, fetchDemoRecipients, prepareCase, ReporterSession } from './intake-client';
import type { ServerProcess } from './node-process';
import { startProcessRssMonitor } from './process-rss';
import { pseudoRandomStream } from './pseudo-random-stream';
import type { RssReport } from './rss-monitor';

const RSS_SAMPLE_INTERVAL_MS = 50;

export interface LargeUploadResult {
  readonly bytes: number;
  readonly pieceBytes: number;
  readonly pieces: number;
  /** From the first piece to the completion's answer. */
  readonly elapsedMs: number;
  /** The completion alone: the server reads the whole file back to check its SHA-256. */
  readonly completionMs: number;
  readonly rss: RssReport;
  /** The server's peak once the first half was uploaded: the second half should add nothing to it. */
  readonly halfwayPeakBytes: number;
}

/** Regroups a stream's pieces into pieces of exactly `pieceBytes` (the last one may be shorter). */
async function* regroup(source: ReadableStream<Uint8Array>, pieceBytes: number): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  const reader = source.getReader();
  let piece = new Uint8Array(pieceBytes);
  let filled = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    let consumed = 0;
    while (consumed < value.length) {
      const taken = Math.min(pieceBytes - filled, value.length - consumed);
      piece.set(value.subarray(consumed, consumed + taken), filled);
      filled += taken;
      consumed += taken;
      if (filled === pieceBytes) {
        yield piece;
        // A fresh buffer each time: fetch may still refer to the one just sent.
        piece = new Uint8Array(pieceBytes);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield piece.subarray(0, filled);
}

export async function runLargeUpload(server: ServerProcess, dataDir: string, bytes: number, pieceBytes: number): Promise<LargeUploadResult> {
  const prepared = await prepareCase(await fetchDemoRecipients(server.url, dataDir), 'Benchmark report with one large attachment.');
  await createCase(server.url, prepared);
  const session = new ReporterSession(server.url, prepared.keys);
  const uploadId = newAttachmentId();
  await session.sendJson('POST', '/api/v1/case/uploads', 201, { uploadId, size: bytes });

  const hash = createHash('sha256');
  let offset = 0;
  let pieces = 0;
  let completionMs: number;
  let completed: unknown;
  let rss: RssReport;
  let halfwayPeakBytes: number | undefined;
  const monitor = startProcessRssMonitor(server.pid, RSS_SAMPLE_INTERVAL_MS);
  const start = performance.now();
  try {
    for await (const piece of regroup(pseudoRandomStream(bytes), pieceBytes)) {
      hash.update(piece);
      await session.send('PUT', `/api/v1/case/uploads/${uploadId}?offset=${offset}`, 200, { bytes: piece, contentType: 'application/octet-stream' });
      offset += piece.length;
      pieces++;
      if (halfwayPeakBytes === undefined && offset >= bytes / 2) halfwayPeakBytes = monitor.peakSoFar();
    }
    const completionStart = performance.now();
    completed = await session.sendJson('POST', `/api/v1/case/uploads/${uploadId}/complete`, 201, { sha256: hash.digest('hex') });
    completionMs = performance.now() - completionStart;
  } finally {
    rss = monitor.stop();
  }
  const elapsedMs = performance.now() - start;

  const answer = completed as { id?: unknown; size?: unknown };
  if (answer.id !== uploadId || answer.size !== bytes) throw new Error(`The completion answered ${JSON.stringify(completed)}, not the upload of ${bytes} bytes.`);
  return { bytes, pieceBytes, pieces, elapsedMs, completionMs, rss, halfwayPeakBytes: halfwayPeakBytes ?? rss.peakBytes };
}
