/**
 * SHA-256 (FIPS 180-4) in plain JavaScript, written for an interpreter: Tor Browser's "Safer" level
 * turns off the JIT, and there every function call and typed-array accessor costs its own dispatch.
 * The compression function is one flat loop with its rotations written out, about twice as fast there
 * as @noble/hashes (issue 16). It serves what WebCrypto cannot: hashing a stream piece by piece (the
 * upload's whole-file digest) and continuing from a saved state (the proof of work's fixed prefix).
 */
import { toHex } from './bytes';
import type { Hex } from './types';

const ROUND_CONSTANTS = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const INITIAL_STATE = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
export const SHA256_BLOCK_BYTES = 64;
const SCHEDULE = new Int32Array(64);

/** A fresh SHA-256 chaining state: eight 32-bit words. */
export function sha256InitialState(): Int32Array {
  return Int32Array.from(INITIAL_STATE);
}

/** Runs the compression function over the whole 64-byte blocks of `bytes[start, end)`, updating `state`. */
export function sha256Compress(state: Int32Array, bytes: Uint8Array, start: number, end: number): void {
  const w = SCHEDULE;
  const k = ROUND_CONSTANTS;
  let h0 = state[0] as number;
  let h1 = state[1] as number;
  let h2 = state[2] as number;
  let h3 = state[3] as number;
  let h4 = state[4] as number;
  let h5 = state[5] as number;
  let h6 = state[6] as number;
  let h7 = state[7] as number;
  for (let offset = start; offset + SHA256_BLOCK_BYTES <= end; offset += SHA256_BLOCK_BYTES) {
    for (let i = 0, p = offset; i < 16; i++, p += 4) {
      w[i] = ((bytes[p] as number) << 24) | ((bytes[p + 1] as number) << 16) | ((bytes[p + 2] as number) << 8) | (bytes[p + 3] as number);
    }
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15] as number;
      const y = w[i - 2] as number;
      const sigma0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const sigma1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (sigma1 + (w[i - 7] as number) + sigma0 + (w[i - 16] as number)) | 0;
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    let f = h5;
    let g = h6;
    let h = h7;
    for (let i = 0; i < 64; i++) {
      const t1 =
        (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + (k[i] as number) + (w[i] as number)) | 0;
      const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
    h5 = (h5 + f) | 0;
    h6 = (h6 + g) | 0;
    h7 = (h7 + h) | 0;
  }
  state[0] = h0;
  state[1] = h1;
  state[2] = h2;
  state[3] = h3;
  state[4] = h4;
  state[5] = h5;
  state[6] = h6;
  state[7] = h7;
}

/**
 * The final block(s) of a message whose last `tail.length` bytes (fewer than 64) follow
 * `totalBytes - tail.length` bytes already compressed: the tail, 0x80, zeros and the bit length.
 */
export function sha256FinalBlocks(tail: Uint8Array, totalBytes: number): Uint8Array {
  const blocks = tail.length + 9 <= SHA256_BLOCK_BYTES ? 1 : 2;
  const out = new Uint8Array(blocks * SHA256_BLOCK_BYTES);
  out.set(tail);
  out[tail.length] = 0x80;
  const view = new DataView(out.buffer);
  const bits = totalBytes * 8;
  view.setUint32(out.length - 8, Math.floor(bits / 2 ** 32));
  view.setUint32(out.length - 4, bits >>> 0);
  return out;
}

export function sha256StateBytes(state: Int32Array): Uint8Array {
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) view.setInt32(i * 4, state[i] as number);
  return out;
}

export interface Sha256Hasher {
  update(bytes: Uint8Array): void;
  digestHex(): Hex;
}

/** Incremental SHA-256 for hashing a stream piece by piece, e.g. an upload's whole stored form. */
export function createSha256(): Sha256Hasher {
  const state = sha256InitialState();
  const pending = new Uint8Array(SHA256_BLOCK_BYTES);
  let pendingBytes = 0;
  let totalBytes = 0;
  let finished = false;
  return {
    update(bytes) {
      if (finished) throw new Error('This SHA-256 has been finished.');
      totalBytes += bytes.length;
      let offset = 0;
      if (pendingBytes > 0) {
        const take = Math.min(SHA256_BLOCK_BYTES - pendingBytes, bytes.length);
        pending.set(bytes.subarray(0, take), pendingBytes);
        pendingBytes += take;
        offset = take;
        if (pendingBytes < SHA256_BLOCK_BYTES) return;
        sha256Compress(state, pending, 0, SHA256_BLOCK_BYTES);
        pendingBytes = 0;
      }
      // Whole blocks straight from the caller's bytes, without copying them.
      const wholeEnd = offset + Math.floor((bytes.length - offset) / SHA256_BLOCK_BYTES) * SHA256_BLOCK_BYTES;
      sha256Compress(state, bytes, offset, wholeEnd);
      pending.set(bytes.subarray(wholeEnd));
      pendingBytes = bytes.length - wholeEnd;
    },
    digestHex() {
      if (finished) throw new Error('This SHA-256 has been finished.');
      finished = true;
      const last = sha256FinalBlocks(pending.subarray(0, pendingBytes), totalBytes);
      sha256Compress(state, last, 0, last.length);
      return toHex(sha256StateBytes(state));
    },
  };
}
