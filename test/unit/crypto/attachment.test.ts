import { beforeAll, describe, expect, it } from 'vitest';
import {
  CryptoError,
  decryptAttachment,
  deriveCaseKeys,
  encryptAttachment,
  ENVELOPE_HEADER_BYTES,
  maxStoredAttachmentSize,
  generateCaseToken,
  newAttachmentId,
  type AttachmentBinding,
  type CryptoErrorCode,
} from '../../../crypto/index';
import { attachmentFrames, flipBit, makeInvestigator, patternBytes, readAll, streamOf, type TestInvestigator } from '../../helpers/crypto';

// Small chunks keep the tests fast while exercising many chunks; the format is the same at 4 MiB.
const CHUNK = 16 * 1024;

let alice: TestInvestigator;
let outsider: TestInvestigator;
let binding: AttachmentBinding;

beforeAll(async () => {
  [alice, outsider] = await Promise.all([makeInvestigator('Alice'), makeInvestigator('Outsider')]);
  binding = { caseId: (await deriveCaseKeys(generateCaseToken())).caseId, attachmentId: newAttachmentId() };
});

async function encrypt(plaintext: Uint8Array, at: AttachmentBinding = binding): Promise<Uint8Array> {
  return readAll(encryptAttachment(streamOf(plaintext, 5000), [alice.recipient], at, { chunkBytes: CHUNK }));
}

async function decryptionCode(stored: Uint8Array, at: AttachmentBinding = binding): Promise<CryptoErrorCode | 'no error'> {
  try {
    await readAll(decryptAttachment(streamOf(stored, 3000), alice.key, at));
    return 'no error';
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    throw error;
  }
}

function frameBytes(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + frame.length);
  new DataView(out.buffer).setUint32(0, frame.length);
  out.set(frame, 4);
  return out;
}

function reassemble(header: Uint8Array, frames: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat([header, ...frames.map(frameBytes)]);
}

describe('streamed attachments', () => {
  it.each([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 5 * CHUNK + 123])(
    'when a file of %i bytes is encrypted and decrypted, then it comes back byte for byte',
    async (length) => {
      const plaintext = patternBytes(length, length);
      const stored = await encrypt(plaintext);
      expect(await readAll(decryptAttachment(streamOf(stored, 777), alice.key, binding))).toEqual(plaintext);
    },
  );

  it('when the stored size is bounded in advance, then every real stored size stays within the bound', async () => {
    for (const length of [0, 1, CHUNK, 5 * CHUNK + 7, 70_000]) {
      const stored = await encrypt(patternBytes(length));
      const bound = maxStoredAttachmentSize(length, 1, CHUNK);
      expect(stored.length).toBeLessThanOrEqual(bound);
      expect(bound - stored.length).toBeLessThan(2000 * Math.ceil(bound / CHUNK));
    }
  });

  it('when files of different sizes share a padding bucket, then their stored sizes are equal', async () => {
    const sizes = await Promise.all([69_700, 70_500, 71_600].map(async (length) => (await encrypt(patternBytes(length))).length));
    expect(new Set(sizes).size).toBe(1);
    expect((await encrypt(patternBytes(80_000))).length).toBeGreaterThan(sizes[0]!);
  });

  it('when the file needs padding beyond its data, then whole padding chunks are appended', async () => {
    // Padmé rounds 30 000 bytes up to 30 720: three chunks of data, then one of padding only.
    const plaintext = patternBytes(30_000);
    const stored = await readAll(encryptAttachment(streamOf(plaintext), [alice.recipient], binding, { chunkBytes: 10_000 }));
    expect(attachmentFrames(stored, ENVELOPE_HEADER_BYTES)).toHaveLength(4);
    expect(await readAll(decryptAttachment(streamOf(stored), alice.key, binding))).toEqual(plaintext);
  });

  it('when the source is larger than memory would like, then encryption pulls it piece by piece', async () => {
    let pulled = 0;
    const total = 40 * CHUNK;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= total) return controller.close();
        controller.enqueue(patternBytes(CHUNK, pulled));
        pulled += CHUNK;
      },
    });
    const reader = encryptAttachment(source, [alice.recipient], binding, { chunkBytes: CHUNK }).getReader();
    await reader.read(); // the header
    await reader.read(); // the first chunk, which needs the second as look-ahead
    expect(pulled).toBeLessThanOrEqual(3 * CHUNK);
    await reader.cancel();
  });

  it('when the consumer cancels encryption or decryption, then the source stream is cancelled too', async () => {
    const cancelled: string[] = [];
    const endless = (name: string, piece: () => Uint8Array) =>
      new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(piece()), cancel: () => void cancelled.push(name) });
    const encrypting = encryptAttachment(endless('file', () => patternBytes(CHUNK)), [alice.recipient], binding, { chunkBytes: CHUNK }).getReader();
    await encrypting.read();
    await encrypting.read();
    await encrypting.cancel();
    const stored = await encrypt(patternBytes(3 * CHUNK));
    let served = false;
    const download = endless('download', () => (served ? patternBytes(10) : ((served = true), stored.subarray(0, stored.length - 10))));
    const decrypting = decryptAttachment(download, alice.key, binding).getReader();
    await decrypting.read();
    await decrypting.cancel();
    expect(cancelled).toEqual(['file', 'download']);
  });

  it('when the plaintext is searched for in the stored form, then it is not there', async () => {
    const marker = Buffer.from('FILE-CONTENT-SENTINEL-91ab'.repeat(50));
    const stored = await encrypt(marker);
    expect(Buffer.from(stored).includes('FILE-CONTENT-SENTINEL')).toBe(false);
  });

  describe('when a stored attachment is altered', () => {
    let plaintext: Uint8Array;
    let stored: Uint8Array;
    let header: Uint8Array;
    let frames: Uint8Array[];

    beforeAll(async () => {
      plaintext = patternBytes(3 * CHUNK + 500);
      stored = await encrypt(plaintext);
      header = stored.slice(0, ENVELOPE_HEADER_BYTES);
      frames = attachmentFrames(stored, ENVELOPE_HEADER_BYTES);
    });

    it('then chunks in another order are refused', async () => {
      expect(await decryptionCode(reassemble(header, [frames[1]!, frames[0]!, ...frames.slice(2)]))).toBe('attachment-out-of-order');
    });

    it('then a missing middle chunk is refused', async () => {
      expect(await decryptionCode(reassemble(header, [frames[0]!, ...frames.slice(2)]))).toBe('attachment-out-of-order');
    });

    it('then dropping the last chunks is detected as truncation', async () => {
      expect(await decryptionCode(reassemble(header, frames.slice(0, -1)))).toBe('attachment-truncated');
      expect(await decryptionCode(stored.slice(0, stored.length - 10))).toBe('attachment-truncated');
      expect(await decryptionCode(header)).toBe('attachment-truncated');
    });

    it('then a repeated chunk or bytes after the last chunk are refused', async () => {
      expect(await decryptionCode(reassemble(header, [frames[0]!, frames[0]!, ...frames.slice(1)]))).toBe('attachment-out-of-order');
      expect(await decryptionCode(Buffer.concat([stored, frameBytes(frames.at(-1)!)]))).toBe('envelope-invalid');
    });

    it('then the attachment read as another attachment or another case’s is refused', async () => {
      expect(await decryptionCode(stored, { ...binding, attachmentId: newAttachmentId() })).toBe('binding-mismatch');
      const otherCase = (await deriveCaseKeys(generateCaseToken())).caseId;
      expect(await decryptionCode(stored, { ...binding, caseId: otherCase })).toBe('binding-mismatch');
    });

    it('then a chunk from another attachment of the same case is refused', async () => {
      const foreign = attachmentFrames(await encrypt(patternBytes(3 * CHUNK + 500), { ...binding, attachmentId: newAttachmentId() }), ENVELOPE_HEADER_BYTES);
      expect(await decryptionCode(reassemble(header, [frames[0]!, foreign[1]!, ...frames.slice(2)]))).toBe('binding-mismatch');
    });

    it('then a frame length beyond the limit is refused before it is read', async () => {
      const huge = new Uint8Array([...header, 0x7f, 0xff, 0xff, 0xff]);
      expect(await decryptionCode(huge)).toBe('attachment-frame-too-large');
    });

    it('then a single flipped bit at any sampled position is a typed error', async () => {
      // Every byte of the header and the first frame's framing and session key, then a stride.
      const positions = [...Array.from({ length: 160 }, (_, i) => i), ...Array.from({ length: 60 }, (_, i) => 160 + i * 997)];
      for (const position of positions.filter((p) => p < stored.length)) {
        expect(await decryptionCode(flipBit(stored, position)), `byte ${position}`).not.toBe('no error');
      }
    });

    it('then the reader without a recipient key cannot decrypt it', async () => {
      await expect(readAll(decryptAttachment(streamOf(stored), outsider.key, binding))).rejects.toSatisfy(
        (error) => error instanceof CryptoError && error.code === 'decryption-failed',
      );
    });
  });

  it('when the stream is not an attachment envelope, then it is refused', async () => {
    expect(await decryptionCode(new Uint8Array(0))).toBe('envelope-invalid');
    expect(await decryptionCode(Buffer.from('GIF89a not an envelope at all'))).toBe('envelope-invalid');
  });
});
