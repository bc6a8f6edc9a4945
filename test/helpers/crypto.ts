/** Shared fixtures for crypto tests: investigators with real keys, byte streams, tampering. */
import { checkRecipientKey, CryptoError, generateInvestigatorKey, unlockPrivateKey } from '../../crypto/index';
import type { CryptoErrorCode, DecryptionKey, GeneratedKey, RecipientKey } from '../../crypto/index';

export const TEST_PASSPHRASE = 'correct horse battery staple';

export interface TestInvestigator {
  readonly generated: GeneratedKey;
  readonly recipient: RecipientKey;
  readonly key: DecryptionKey;
}

export async function makeInvestigator(name = 'Test Investigator'): Promise<TestInvestigator> {
  const generated = await generateInvestigatorKey({ name, passphrase: TEST_PASSPHRASE });
  return {
    generated,
    recipient: await checkRecipientKey(generated.armoredPublicKey),
    key: await unlockPrivateKey(generated.armoredPrivateKey, TEST_PASSPHRASE),
  };
}

export function flipBit(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index] = (copy[index] as number) ^ 0x01;
  return copy;
}

/** A stream that hands out `bytes` in pieces of `pieceBytes`, as a network or a file reader would. */
export function streamOf(bytes: Uint8Array, pieceBytes = 65_536): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + pieceBytes));
      offset += pieceBytes;
    },
  });
}

export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Deterministic filler so failures are reproducible. */
export function patternBytes(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

/** Splits a stored attachment into its OpenPGP messages (see docs/protocol.md, Attachments). */
export function attachmentFrames(stored: Uint8Array, headerBytes: number): Uint8Array[] {
  const frames: Uint8Array[] = [];
  const view = new DataView(stored.buffer, stored.byteOffset, stored.byteLength);
  for (let offset = headerBytes; offset < stored.length; ) {
    const length = view.getUint32(offset);
    frames.push(stored.slice(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return frames;
}

/** The tags of the top-level OpenPGP packets of a message, and each packet's first body byte. */
export function packetSummary(message: Uint8Array): { tag: number; firstByte: number }[] {
  const packets: { tag: number; firstByte: number }[] = [];
  for (let offset = 0; offset < message.length; ) {
    const ctb = message[offset]!;
    if ((ctb & 0xc0) !== 0xc0) throw new Error('test helper reads new-format packets only');
    const first = message[offset + 1]!;
    let length: number;
    let start: number;
    if (first < 192) [length, start] = [first, offset + 2];
    else if (first < 224) [length, start] = [((first - 192) << 8) + message[offset + 2]! + 192, offset + 3];
    else if (first === 255) [length, start] = [new DataView(message.buffer, message.byteOffset).getUint32(offset + 2), offset + 6];
    else throw new Error('test helper does not follow partial lengths');
    packets.push({ tag: ctb & 0x3f, firstByte: message[start]! });
    offset = start + length;
  }
  return packets;
}

/** The CryptoError code an action fails with, or 'no error'; anything else that is thrown fails the test. */
export function errorCodeOf(action: () => unknown): CryptoErrorCode | 'no error' {
  try {
    action();
    return 'no error';
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    throw error;
  }
}

export async function asyncErrorCodeOf(promise: Promise<unknown>): Promise<CryptoErrorCode | 'no error'> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    throw error;
  }
}
