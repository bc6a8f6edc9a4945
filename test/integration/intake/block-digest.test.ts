import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BLOCK_SHA256_BLOCK_BYTES, newAttachmentId, randomBytes } from '../../../crypto/index';
import { createIntakeApp } from '../../../server/intake/create-intake-app';
import { RequestCounter } from '../../../server/http/request-log';
import { createJsonLogger } from '../../../server/logger';
import { blockSha256Hex, expectStatus, sha256Hex, startTestIntake, TestReporter, uploadPiece, type TestIntake } from '../../helpers/intake';

/** The completion's block SHA-256 (docs/protocol.md §9), checked by the server over what it stored. */
const MiB = BLOCK_SHA256_BLOCK_BYTES;
let intake: TestIntake;

beforeAll(async () => {
  intake = await startTestIntake({ env: { CANDOR_LIMIT_ATTACHMENT_BYTES: String(8 * MiB) } });
});
afterAll(() => intake.close());

const put = (reporter: TestReporter, id: string, offset: number, bytes: Uint8Array) =>
  reporter.send('PUT', `/api/v1/case/uploads/${id}?offset=${offset}`, undefined, { raw: bytes });
const complete = (reporter: TestReporter, id: string, completion: unknown) => reporter.send('POST', `/api/v1/case/uploads/${id}/complete`, completion);

/** Starts an upload of `stored`, a stand-in for ciphertext: completion checks only its size and digest. */
async function startUpload(stored: Uint8Array) {
  const reporter = await TestReporter.create(intake);
  await reporter.createCase();
  const id = newAttachmentId();
  expectStatus(await reporter.send('POST', '/api/v1/case/uploads', { uploadId: id, size: stored.length }), 201);
  return { reporter, id };
}

async function putInPieces(reporter: TestReporter, id: string, stored: Uint8Array, pieceBytes: number) {
  for (let offset = 0; offset < stored.length; offset += pieceBytes) expectStatus(await put(reporter, id, offset, stored.subarray(offset, offset + pieceBytes)), 200);
}

describe('the upload completion digest', () => {
  it('when pieces straddle the blocks and one broke off mid-block, then the block SHA-256 of what was sent is accepted', async () => {
    const stored = randomBytes(2 * MiB + 12_345);
    const { reporter, id } = await startUpload(stored);
    // Pieces a little over a block, as the intake page sends them: none starts on a block boundary after the first.
    const pieceBytes = MiB + 600;
    expectStatus(await put(reporter, id, 0, stored.subarray(0, pieceBytes)), 200);
    // The second piece broke off in the middle of the second block: the server kept what arrived.
    const brokenAt = MiB + 300_000;
    const interrupted = await intake.storage.blobs.appendStream(id, {
      ...uploadPiece(pieceBytes, stored.subarray(pieceBytes, 2 * pieceBytes)),
      bytes: (async function* () {
        yield stored.subarray(pieceBytes, brokenAt);
        throw new Error('The circuit dropped.');
      })(),
    });
    expect(interrupted).toMatchObject({ outcome: 'interrupted', received: brokenAt });
    // The client resends the whole piece from where it began; the server skips what it holds.
    expect(expectStatus(await put(reporter, id, pieceBytes, stored.subarray(pieceBytes, 2 * pieceBytes)), 200).body).toEqual({ received: 2 * pieceBytes });
    expectStatus(await put(reporter, id, 2 * pieceBytes, stored.subarray(2 * pieceBytes)), 200);

    const blockSha256 = await blockSha256Hex(stored);
    expect(expectStatus(await complete(reporter, id, { blockSha256, size: stored.length }), 201).body).toEqual({ id, size: stored.length });
    expect(readFileSync(join(intake.dataDir, 'blobs', id))).toEqual(Buffer.from(stored));
    // The attachment's row keeps the plain SHA-256, as before: backups and exports check it.
    expect(intake.storage.attachments.findAttachment(id)?.sha256).toBe(sha256Hex(stored));
    // Completing again (the answer got lost) gives the same answer, without reading the file again;
    // another digest does not.
    const reads = vi.spyOn(intake.storage.blobs, 'digestsOf');
    try {
      expectStatus(await complete(reporter, id, { blockSha256 }), 201);
      expect((await complete(reporter, id, { blockSha256: sha256Hex(stored) })).status).toBe(404);
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
  });

  it('when a completion is repeated after a restart, then the intake reads the file once to check it, and remembers', async () => {
    const stored = randomBytes(MiB + 99);
    const { reporter, id } = await startUpload(stored);
    await putInPieces(reporter, id, stored, MiB);
    const blockSha256 = await blockSha256Hex(stored);
    expectStatus(await complete(reporter, id, { blockSha256 }), 201);
    // The same data directory served anew: nothing of the first app's memory.
    const logger = createJsonLogger(() => undefined);
    const restarted: TestIntake = { ...intake, app: createIntakeApp(intake.config, { storage: intake.storage, logger, requestCounter: new RequestCounter(logger) }) };
    const again = await TestReporter.create(restarted, reporter.token);
    const reads = vi.spyOn(intake.storage.blobs, 'digestsOf');
    try {
      expectStatus(await complete(again, id, { blockSha256 }), 201);
      expectStatus(await complete(again, id, { blockSha256 }), 201);
      expect((await complete(again, id, { blockSha256: sha256Hex(stored) })).status).toBe(404);
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
    }
  });

  it.each([
    ['an exact multiple of the block', 2 * MiB],
    ['one byte past a block', MiB + 1],
    ['less than a block', 5000],
  ])('when the file is %s, then its block SHA-256 is accepted', async (_, size) => {
    const stored = randomBytes(size);
    const { reporter, id } = await startUpload(stored);
    await putInPieces(reporter, id, stored, 700_000);
    expectStatus(await complete(reporter, id, { blockSha256: await blockSha256Hex(stored) }), 201);
  });

  it('when the block SHA-256 does not match what arrived, then the upload is discarded as before and can be sent again', async () => {
    const stored = randomBytes(MiB + 5000);
    const { reporter, id } = await startUpload(stored);
    const damaged = stored.slice();
    damaged[MiB + 10] = (damaged[MiB + 10] as number) ^ 0xff;
    await putInPieces(reporter, id, damaged, MiB);
    // The plain SHA-256 under the new name is no match either: the two cannot be confused.
    for (const blockSha256 of [await blockSha256Hex(stored), sha256Hex(damaged)]) {
      const refused = expectStatus(await complete(reporter, id, { blockSha256 }), 409);
      expect(refused.body).toMatchObject({ error: { code: 'conflict' } });
      expect(expectStatus(await reporter.send('GET', `/api/v1/case/uploads/${id}`), 200).body).toEqual({ received: 0, size: stored.length });
      await putInPieces(reporter, id, damaged, MiB);
    }
    expectStatus(await complete(reporter, id, { blockSha256: await blockSha256Hex(damaged) }), 201);
  });

  it('when a page loaded before the upgrade names the plain SHA-256, then it is still checked and accepted', async () => {
    const stored = randomBytes(MiB + 77);
    const { reporter, id } = await startUpload(stored);
    await putInPieces(reporter, id, stored, MiB);
    expect((await complete(reporter, id, { sha256: sha256Hex(Uint8Array.of(1)) })).status).toBe(409);
    await putInPieces(reporter, id, stored, MiB);
    expectStatus(await complete(reporter, id, { sha256: sha256Hex(stored) }), 201);
    expectStatus(await complete(reporter, id, { sha256: sha256Hex(stored) }), 201);
  });

  it('when a completion names both digests, or neither, or an upper-case one, then it is refused as a bad request', async () => {
    const stored = randomBytes(1000);
    const { reporter, id } = await startUpload(stored);
    await putInPieces(reporter, id, stored, 1000);
    const blockSha256 = await blockSha256Hex(stored);
    for (const completion of [{ blockSha256, sha256: sha256Hex(stored) }, { size: stored.length }, { blockSha256: blockSha256.toUpperCase() }]) {
      expect((await complete(reporter, id, completion)).status).toBe(400);
    }
    expectStatus(await complete(reporter, id, { blockSha256 }), 201);
  });
});
