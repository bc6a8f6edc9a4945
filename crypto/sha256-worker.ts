/**
 * A dedicated worker that hashes an upload's stored form beside its encryption (crypto/background-sha256.ts):
 * without a JIT, SHA-256 in JavaScript is the slowest step of an upload, and here it costs the page's
 * thread nothing. It imports only crypto/sha256.ts, so its bundle holds no more than that.
 */
import { createSha256 } from './sha256';
import type { Sha256WorkerAnswer, Sha256WorkerRequest } from './sha256-worker-messages';

interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent<Sha256WorkerRequest>) => void): void;
  postMessage(message: Sha256WorkerAnswer): void;
}

const scope = globalThis as unknown as WorkerScope;
let hasher = createSha256();

scope.addEventListener('message', ({ data }) => {
  if (data.kind === 'update') {
    hasher.update(data.bytes);
    scope.postMessage({ kind: 'hashed', bytes: data.bytes.length });
  } else {
    scope.postMessage({ kind: 'digest', hex: hasher.digestHex() });
    hasher = createSha256();
  }
});
