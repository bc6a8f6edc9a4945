/** What the page and the hashing worker (sha256-worker.ts) say to each other. */
import type { Hex } from './types';

/** `digest` also starts the next hash, so that one worker serves one upload after another. */
export type Sha256WorkerRequest = { readonly kind: 'update'; readonly bytes: Uint8Array } | { readonly kind: 'digest' };
export type Sha256WorkerAnswer = { readonly kind: 'hashed'; readonly bytes: number } | { readonly kind: 'digest'; readonly hex: Hex };
