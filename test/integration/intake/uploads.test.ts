import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptAttachment, encryptAttachment, newAttachmentId, type AttachmentId, type CaseId } from '../../../crypto/index';
import { patternBytes, readAll, streamOf } from '../../helpers/crypto';
import { expectStatus, sha256Hex, startTestIntake, TestReporter, uploadPiece, type TestIntake } from '../../helpers/intake';

let intake: TestIntake;

beforeAll(async () => {
  intake = await startTestIntake({ env: { CANDOR_LIMIT_ATTACHMENT_BYTES: String(400_000), CANDOR_LIMIT_ATTACHMENTS_PER_CASE: '3' } });
});
afterAll(() => intake.close());

async function encryptedFile(reporter: TestReporter, size: number) {
  const attachmentId = newAttachmentId();
  const plaintext = patternBytes(size, size);
  const stored = await readAll(encryptAttachment(streamOf(plaintext), await reporter.recipients(), { caseId: reporter.keys.caseId, attachmentId }));
  return { attachmentId, plaintext, stored };
}

const put = (reporter: TestReporter, id: string, offset: number, bytes: Uint8Array) =>
  reporter.send('PUT', `/api/v1/case/uploads/${id}?offset=${offset}`, undefined, { raw: bytes });

describe('resumable attachment uploads', () => {
  it('when a file is uploaded in pieces and completed, then the stored blob decrypts to the file', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase();
    const file = patternBytes(150_000);
    const { attachmentId } = await reporter.upload(file, 40_000);
    const blob = readFileSync(join(intake.dataDir, 'blobs', attachmentId));
    const decrypted = await readAll(decryptAttachment(streamOf(blob), intake.investigator.key, { caseId: reporter.keys.caseId as CaseId, attachmentId: attachmentId as AttachmentId }));
    expect(decrypted).toEqual(file);
    expect(intake.storage.attachments.attachmentsOf(reporter.keys.caseId).map(({ id, size }) => ({ id, size }))).toEqual([{ id: attachmentId, size: blob.length }]);
  });

  it('when the connection drops mid-piece, then the client asks how much arrived and continues from there', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase();
    const { attachmentId, plaintext, stored } = await encryptedFile(reporter, 100_000);
    expectStatus(await reporter.send('POST', '/api/v1/case/uploads', { uploadId: attachmentId, size: stored.length }), 201);
    expectStatus(await put(reporter, attachmentId, 0, stored.subarray(0, 30_000)), 200);
    // The next piece only half arrived before the circuit dropped: the server kept what it received.
    await intake.storage.blobs.appendStream(attachmentId, uploadPiece(30_000, stored.subarray(30_000, 45_000)));
    const progress = expectStatus(await reporter.send('GET', `/api/v1/case/uploads/${attachmentId}`), 200);
    expect(progress.body).toEqual({ received: 45_000, size: stored.length });
    expectStatus(await put(reporter, attachmentId, 45_000, stored.subarray(45_000)), 200);
    expectStatus(await reporter.send('POST', `/api/v1/case/uploads/${attachmentId}/complete`, { sha256: sha256Hex(stored) }), 201);
    const blob = readFileSync(join(intake.dataDir, 'blobs', attachmentId));
    const decrypted = await readAll(decryptAttachment(streamOf(blob), intake.investigator.key, { caseId: reporter.keys.caseId as CaseId, attachmentId: attachmentId as AttachmentId }));
    expect(decrypted).toEqual(plaintext);
  });

  it('when the upload is started again after a restart of the client, then it reports the progress so far', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase();
    const { attachmentId, stored } = await encryptedFile(reporter, 20_000);
    expectStatus(await reporter.send('POST', '/api/v1/case/uploads', { uploadId: attachmentId, size: stored.length }), 201);
    expectStatus(await put(reporter, attachmentId, 0, stored.subarray(0, 1000)), 200);
    expect(expectStatus(await reporter.send('POST', '/api/v1/case/uploads', { uploadId: attachmentId, size: stored.length }), 201).body).toEqual({
      received: 1000,
      size: stored.length,
    });
  });

  it('when a piece is sent twice or overlaps, then nothing is written twice; a piece after a gap is refused', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase();
    const { attachmentId, stored } = await encryptedFile(reporter, 30_000);
    expectStatus(await reporter.send('POST', '/api/v1/case/uploads', { uploadId: attachmentId, size: stored.length }), 201);
    expect(expectStatus(await put(reporter, attachmentId, 0, stored.subarray(0, 10_000)), 200).body).toEqual({ received: 10_000 });
    expect(expectStatus(await put(reporter, attachmentId, 0, stored.subarray(0, 10_000)), 200).body).toEqual({ received: 10_000 });
    expect(expectStatus(await put(reporter, attachmentId, 5000, stored.subarray(5000, 15_000)), 200).body).toEqual({ received: 15_000 });
    const gap = await put(reporter, attachmentId, 20_000, stored.subarray(20_000));
    expect(gap.status).toBe(409);
    expectStatus(await put(reporter, attachmentId, 15_000, stored.subarray(15_000)), 200);
    expectStatus(await reporter.send('POST', `/api/v1/case/uploads/${attachmentId}/complete`, { sha256: sha256Hex(stored) }), 201);
    // Completing again (the answer got lost) gives the same answer.
    expectStatus(await reporter.send('POST', `/api/v1/case/uploads/${attachmentId}/complete`, { sha256: sha256Hex(stored) }), 201);
  });

  it('when the finished upload does not match its hash, then it is discarded and can be uploaded again', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase();
    const { attachmentId, stored } = await encryptedFile(reporter, 10_000);
    expectStatus(await reporter.send('POST', '/api/v1/case/uploads', { uploadId: attachmentId, size: stored.length }), 201);
    const damaged = stored.slice();
    damaged[500] = (damaged[500] as number) ^ 0xff;
    expectStatus(await put(reporter, attachmentId, 0, damaged), 200);
    const refused = await reporter.send('POST', `/api/v1/case/uploads/${attachmentId}/complete`, { sha256: sha256Hex(stored) });
    expect(refused.status).toBe(409);
    expect(expectStatus(await reporter.send('GET', `/api/v1/case/uploads/${attachmentId}`), 200).body).toEqual({ received: 0, size: stored.length });
    expectStatus(await put(reporter, attachmentId, 0, stored), 200);
    expectStatus(await reporter.send('POST', `/api/v1/case/uploads/${attachmentId}/complete`, { sha256: sha256Hex(stored) }), 201);
  });

  it('when the start declared an upper bound, then completion with the exact size stores exactly that', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase();
    const { attachmentId, stored } = await encryptedFile(reporter, 9000);
    expectStatus(await reporter.send('POST', '/api/v1/case/uploads', { uploadId: attachmentId, size: stored.length + 5000 }), 201);
    expectStatus(await put(reporter, attachmentId, 0, stored), 200);
    const tooBig = await reporter.send('POST', `/api/v1/case/uploads/${attachmentId}/complete`, { sha256: sha256Hex(stored), size: stored.length + 5001 });
    expect(tooBig.status).toBe(400);
    const done = expectStatus(await reporter.send('POST', `/api/v1/case/uploads/${attachmentId}/complete`, { sha256: sha256Hex(stored), size: stored.length }), 201);
    expect(done.body).toEqual({ id: attachmentId, size: stored.length });
    expect(intake.storage.attachments.findAttachment(attachmentId)?.size).toBe(stored.length);
  });

  it('when an upload is completed before all bytes arrived, then it is refused and stays resumable', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase();
    const { attachmentId, stored } = await encryptedFile(reporter, 10_000);
    expectStatus(await reporter.send('POST', '/api/v1/case/uploads', { uploadId: attachmentId, size: stored.length }), 201);
    expectStatus(await put(reporter, attachmentId, 0, stored.subarray(0, 100)), 200);
    expect((await reporter.send('POST', `/api/v1/case/uploads/${attachmentId}/complete`, { sha256: sha256Hex(stored) })).status).toBe(409);
    expect(existsSync(join(intake.dataDir, 'blobs', attachmentId))).toBe(false);
  });

  it('when limits are exceeded (file size, count per case, piece beyond the declared size), then the upload is refused', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase();
    expect((await reporter.send('POST', '/api/v1/case/uploads', { uploadId: newAttachmentId(), size: 400_001 })).status).toBe(413);
    const { attachmentId, stored } = await encryptedFile(reporter, 1000);
    expectStatus(await reporter.send('POST', '/api/v1/case/uploads', { uploadId: attachmentId, size: stored.length }), 201);
    expect((await put(reporter, attachmentId, 0, new Uint8Array(stored.length + 1))).status).toBe(413);
    expectStatus(await reporter.send('POST', '/api/v1/case/uploads', { uploadId: newAttachmentId(), size: 10 }), 201);
    expectStatus(await reporter.send('POST', '/api/v1/case/uploads', { uploadId: newAttachmentId(), size: 10 }), 201);
    expect((await reporter.send('POST', '/api/v1/case/uploads', { uploadId: newAttachmentId(), size: 10 })).status).toBe(422);
  });

  it('when a piece is larger than the per-request limit, then it is refused before it is read', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase();
    const big = new Uint8Array(intake.config.limits.uploadChunkBytes + 1);
    expect((await put(reporter, newAttachmentId(), 0, big)).status).toBe(413);
  });

  it('when another case’s reporter names this upload, then it is not found for them', async () => {
    const owner = await TestReporter.create(intake);
    await owner.createCase();
    const { attachmentId, stored } = await encryptedFile(owner, 1000);
    expectStatus(await owner.send('POST', '/api/v1/case/uploads', { uploadId: attachmentId, size: stored.length }), 201);
    const intruder = await TestReporter.create(intake);
    await intruder.createCase();
    expect((await intruder.send('GET', `/api/v1/case/uploads/${attachmentId}`)).status).toBe(404);
    expect((await put(intruder, attachmentId, 0, stored)).status).toBe(404);
    expect((await intruder.send('POST', '/api/v1/case/uploads', { uploadId: attachmentId, size: stored.length })).status).toBe(409);
  });

  it('when upload ids or offsets are malformed, then 400 comes back', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase();
    expect((await reporter.send('GET', '/api/v1/case/uploads/..%2F..%2Fetc')).status).toBe(400);
    expect((await reporter.send('PUT', '/api/v1/case/uploads/AAAAAAAAAAAAAAAAAAAAAA?offset=-1', undefined, { raw: Uint8Array.of(1) })).status).toBe(400);
    expect((await reporter.send('POST', '/api/v1/case/uploads', { uploadId: 'short', size: 1 })).status).toBe(400);
  });
});
