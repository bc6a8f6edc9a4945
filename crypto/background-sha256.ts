/**
 * Incremental SHA-256 on a thread of its own where the platform has dedicated workers (browsers),
 * so that an upload's whole-file digest runs beside its encryption instead of after it: at Tor
 * Browser's "Safer" level, with no JIT, it is the slowest step of an upload (issue 16). WebCrypto
 * cannot do this, having no incremental digest. Elsewhere (Node) it hashes in place.
 */
import { CryptoError } from './errors';
import { createSha256 } from './sha256';
import type { Sha256WorkerAnswer, Sha256WorkerRequest } from './sha256-worker-messages';
import type { Hex } from './types';

export interface BackgroundSha256 {
  /** Takes a copy of `bytes`; resolves once no more than MAX_BACKLOG_BYTES wait to be hashed, so memory stays bounded. */
  update(bytes: Uint8Array): Promise<void>;
  digestHex(): Promise<Hex>;
  /** Gives the worker back (after a digest) or ends it; call it whether or not the digest was taken. */
  close(): void;
}

/** A few upload pieces: enough that the worker never waits for the page, little enough to hold. */
const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

function inPlace(): BackgroundSha256 {
  const hasher = createSha256();
  return {
    update: async (bytes) => hasher.update(bytes),
    digestHex: async () => hasher.digestHex(),
    close: () => undefined,
  };
}

/**
 * A worker that finished its last hash, kept for the next upload: a new one would have to warm up
 * again, and with a JIT the first megabytes through the written-out rounds (sha256.ts) take a second.
 */
let idleWorker: Worker | null = null;

function startWorker(): Worker | null {
  if (idleWorker !== null) {
    const worker = idleWorker;
    idleWorker = null;
    return worker;
  }
  if (typeof Worker !== 'function') return null;
  try {
    return new Worker(new URL('./sha256-worker.ts', import.meta.url), { type: 'module', name: 'candor-sha256' });
  } catch {
    // A browser that refuses the worker (a policy, a sandbox) hashes in place.
    return null;
  }
}

export function createBackgroundSha256(): BackgroundSha256 {
  const worker = startWorker();
  if (worker === null) return inPlace();
  let backlog = 0;
  let digested = false;
  let failure: CryptoError | null = null;
  let roomWaiter: (() => void) | null = null;
  let digestWaiter: { resolve(hex: Hex): void; reject(error: unknown): void } | null = null;
  const wake = () => {
    roomWaiter?.();
    roomWaiter = null;
  };
  const onMessage = ({ data }: MessageEvent<Sha256WorkerAnswer>) => {
    if (data.kind === 'hashed') {
      backlog -= data.bytes;
      if (backlog <= MAX_BACKLOG_BYTES) wake();
    } else {
      digested = true;
      digestWaiter?.resolve(data.hex);
      digestWaiter = null;
    }
  };
  const onError = (event: ErrorEvent) => {
    event.preventDefault();
    failure = new CryptoError('unsupported-platform', 'The hashing worker failed.');
    digestWaiter?.reject(failure);
    digestWaiter = null;
    wake();
  };
  worker.addEventListener('message', onMessage);
  worker.addEventListener('error', onError);
  const post = (request: Sha256WorkerRequest) => worker.postMessage(request);
  return {
    async update(bytes) {
      if (failure !== null) throw failure;
      post({ kind: 'update', bytes });
      backlog += bytes.length;
      while (backlog > MAX_BACKLOG_BYTES && failure === null) await new Promise<void>((resolve) => (roomWaiter = resolve));
      if (failure !== null) throw failure;
    },
    digestHex() {
      if (failure !== null) return Promise.reject(failure);
      return new Promise<Hex>((resolve, reject) => {
        digestWaiter = { resolve, reject };
        post({ kind: 'digest' });
      });
    },
    close() {
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
      // Only a worker that answered its digest is between hashes; any other still holds bytes.
      if (digested && failure === null && idleWorker === null) idleWorker = worker;
      else worker.terminate();
    },
  };
}
