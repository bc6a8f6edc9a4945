/**
 * A small proof of work on case creation. Behind Tor every request comes from 127.0.0.1, so the
 * intake cannot limit by address; making each new case cost the sender a few seconds of hashing does.
 * The solver is plain JavaScript (Tor Browser's "Safer" level has no WebAssembly and no JIT), made
 * cheap by hashing the fixed prefix once: each attempt then costs one SHA-256 block (crypto/sha256.ts).
 * The check uses @noble/hashes, an implementation independent of the solver's.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, fromBase64Url, utf8Encode } from './bytes';
import { CryptoError } from './errors';
import { SHA256_BLOCK_BYTES, sha256Compress, sha256FinalBlocks, sha256InitialState } from './sha256';

export const PROOF_OF_WORK_CONTEXT = 'candor/v1/proof-of-work';
/** Upper bound on attempts, so a solver with an impossible difficulty stops instead of spinning. */
const MAX_ATTEMPTS = 2 ** 32;

function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

function prefixFor(challenge: string): Uint8Array {
  return concatBytes(utf8Encode(PROOF_OF_WORK_CONTEXT), fromBase64Url(challenge));
}

/** True when SHA-256(context ‖ challenge ‖ nonce) starts with `difficultyBits` zero bits. */
export function checkProofOfWork(challenge: string, nonce: string, difficultyBits: number): boolean {
  if (!/^[0-9a-z]{1,7}$/.test(nonce)) return false;
  let prefix: Uint8Array;
  try {
    prefix = prefixFor(challenge);
  } catch {
    return false;
  }
  return leadingZeroBits(sha256(concatBytes(prefix, utf8Encode(nonce)))) >= difficultyBits;
}

const BASE36_DIGITS = utf8Encode('0123456789abcdefghijklmnopqrstuvwxyz');
/**
 * The solver's nonces are attempt numbers written as 7 base-36 digits, zero-padded. The first 3 stay
 * the same for runs of 36^4 attempts, so the plain-JavaScript solver hashes the fixed part (context,
 * challenge, those digits) once per run and each attempt only what follows: for the intake's 38-byte
 * challenges the fixed part is exactly one 64-byte block, and an attempt one more block.
 */
const NONCE_DIGITS = 7;
const TAIL_DIGITS = 4;
const TAIL_ATTEMPTS = 36 ** TAIL_DIGITS;
/** WebCrypto digests in flight at once: enough to keep the browser's crypto threads busy. */
const DIGESTS_IN_FLIGHT = 256;
/**
 * Batches per way of hashing before the solver settles on the faster. The first of each is not
 * counted: with a JIT, the JavaScript solver's first batch runs before it is compiled.
 */
const RACE_ROUNDS = 3;

function nonceOf(attempt: number): string {
  return attempt.toString(36).padStart(NONCE_DIGITS, '0');
}

/** Leading zero bits of a SHA-256 state read as the digest (big-endian words). */
function stateLeadingZeroBits(state: Int32Array): number {
  let bits = 0;
  for (const word of state) {
    if (word !== 0) return bits + Math.clz32(word);
    bits += 32;
  }
  return bits;
}

/** Tries a range of attempts; the first that meets the difficulty, if any. */
type AttemptRange = (from: number, count: number) => number | undefined | Promise<number | undefined>;

/** Plain JavaScript from a saved state: fastest wherever there is a JIT (Node, browsers' standard settings). */
function javascriptAttempts(prefix: Uint8Array, difficultyBits: number): AttemptRange {
  const state = new Int32Array(8);
  let run: { lead: number; fixedState: Int32Array; last: Uint8Array; tailAt: number } | undefined;
  const runFor = (lead: number) => {
    if (run?.lead === lead) return run;
    const fixed = concatBytes(prefix, utf8Encode(nonceOf(lead * TAIL_ATTEMPTS).slice(0, NONCE_DIGITS - TAIL_DIGITS)));
    const fixedState = sha256InitialState();
    const wholeBlocks = fixed.length - (fixed.length % SHA256_BLOCK_BYTES);
    sha256Compress(fixedState, fixed, 0, wholeBlocks);
    // The last block(s), with room for the varying digits that each attempt writes in place.
    const last = sha256FinalBlocks(concatBytes(fixed.subarray(wholeBlocks), new Uint8Array(TAIL_DIGITS)), fixed.length + TAIL_DIGITS);
    run = { lead, fixedState, last, tailAt: fixed.length - wholeBlocks };
    return run;
  };
  return (from, count) => {
    for (let attempt = from; attempt < from + count; attempt++) {
      const { fixedState, last, tailAt } = runFor(Math.floor(attempt / TAIL_ATTEMPTS));
      let rest = attempt % TAIL_ATTEMPTS;
      for (let i = TAIL_DIGITS - 1; i >= 0; i--) {
        last[tailAt + i] = BASE36_DIGITS[rest % 36] as number;
        rest = Math.floor(rest / 36);
      }
      state.set(fixedState);
      sha256Compress(state, last, 0, last.length);
      if (stateLeadingZeroBits(state) >= difficultyBits) return attempt;
    }
    return undefined;
  };
}

/**
 * WebCrypto, many digests in flight: native hashing on the browser's own threads, over twice as fast
 * as the JavaScript solver where there is no JIT (Tor Browser's "Safer" level), though slower than it
 * where there is, each digest costing a promise.
 */
function webCryptoAttempts(subtle: SubtleCrypto, prefix: Uint8Array, difficultyBits: number): AttemptRange {
  // The digest copies its input when called, so one buffer serves every attempt.
  const message = new Uint8Array(prefix.length + NONCE_DIGITS);
  message.set(prefix);
  return async (from, count) => {
    for (let start = from; start < from + count; start += DIGESTS_IN_FLIGHT) {
      const digests: Promise<ArrayBuffer>[] = [];
      for (let attempt = start; attempt < Math.min(start + DIGESTS_IN_FLIGHT, from + count); attempt++) {
        message.set(utf8Encode(nonceOf(attempt)), prefix.length);
        digests.push(subtle.digest('SHA-256', message));
      }
      const found = (await Promise.all(digests)).findIndex((digest) => leadingZeroBits(new Uint8Array(digest)) >= difficultyBits);
      if (found >= 0) return start + found;
    }
    return undefined;
  };
}

/**
 * Finds a nonce. `onProgress` is called every `yieldEvery` attempts and may be async, so that a
 * browser can update a progress bar and stay responsive. Which way of hashing is fastest depends on
 * whether the platform has a JIT, so the first batches are timed both ways and the faster one goes on.
 */
export async function solveProofOfWork(
  challenge: string,
  difficultyBits: number,
  options: { readonly yieldEvery?: number; readonly onProgress?: (attempts: number) => void | Promise<void> } = {},
): Promise<string> {
  const prefix = prefixFor(challenge);
  const yieldEvery = options.yieldEvery ?? 4096;
  const candidates: AttemptRange[] = [javascriptAttempts(prefix, difficultyBits)];
  const subtle = globalThis.crypto?.subtle;
  if (typeof subtle?.digest === 'function') candidates.push(webCryptoAttempts(subtle, prefix, difficultyBits));
  let solver = candidates.length === 1 ? candidates[0] : undefined;
  // While choosing, the candidates take turns, each timed on RACE_ROUNDS batches (one timing alone
  // is at the mercy of a busy moment); then the fastest goes on alone.
  const timings: number[] = [];
  let attempts = 0;
  while (attempts < MAX_ATTEMPTS) {
    const count = Math.min(yieldEvery, MAX_ATTEMPTS - attempts);
    const current = solver ?? (candidates[timings.length % candidates.length] as AttemptRange);
    const started = performance.now();
    const found = await current(attempts, count);
    if (found !== undefined) return nonceOf(found);
    if (solver === undefined) {
      timings.push(performance.now() - started);
      if (timings.length === RACE_ROUNDS * candidates.length) {
        // Each one's best batch: a busy machine only ever adds time, so the least is the truest.
        const counted = timings.slice(candidates.length);
        const best = candidates.map((_, index) => Math.min(...counted.filter((_, at) => at % candidates.length === index)));
        solver = candidates[best.indexOf(Math.min(...best))];
      }
    }
    attempts += count;
    if (attempts % yieldEvery === 0) await options.onProgress?.(attempts);
  }
  throw new CryptoError('proof-of-work-exhausted', 'No proof of work found within the attempt limit.');
}
