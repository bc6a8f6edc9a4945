import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CaseSession, uploadAttachment } from '../../../../client/intake/api';
import { CONTENT_SHA256_HEADER } from '../../../../protocol/intake-api';
import { BLOCK_SHA256_BLOCK_BYTES, decryptAttachment, deriveCaseKeys, generateCaseToken, newAttachmentId, type CaseId } from '../../../../crypto/index';
import { makeInvestigator, patternBytes, readAll, streamOf } from '../../../helpers/crypto';

const MiB = BLOCK_SHA256_BLOCK_BYTES;

/** The block SHA-256 as docs/protocol.md §9.6 defines it, with Node's hash. */
function blockSha256(bytes: Uint8Array): string {
  const outer = createHash('sha256').update(`candor/v1/block-sha256/${MiB}\0`);
  for (let offset = 0; offset < bytes.length; offset += MiB) outer.update(createHash('sha256').update(bytes.subarray(offset, offset + MiB)).digest());
  return outer.digest('hex');
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/**
 * An intake in the page's fetch that keeps the upload's bytes as the real one does: bytes already
 * held are skipped, and the second piece breaks off `keptOfSecondPiece` bytes in, the circuit dropping.
 */
function fakeIntake(keptOfSecondPiece: number) {
  let stored = new Uint8Array(0);
  let pieces = 0;
  const completions: unknown[] = [];
  const offsets: number[] = [];
  let sha256Mismatches = 0;
  vi.stubGlobal('fetch', async (input: string, init: RequestInit) => {
    const url = new URL(input, 'http://intake.test');
    const body = init.body as Uint8Array | null;
    if (url.pathname === '/api/v1/case/challenge') return json(201, { challenge: 'A'.repeat(51) });
    if (url.pathname === '/api/v1/case/uploads') return json(201, { received: 0, size: 1 });
    if (url.pathname.endsWith('/complete')) {
      completions.push(JSON.parse(new TextDecoder().decode(body!)));
      return json(201, { id: url.pathname.split('/')[5], size: stored.length });
    }
    const offset = Number(url.searchParams.get('offset'));
    offsets.push(offset);
    // The signed SHA-256 must be that of the bytes sent, as the intake checks it.
    sha256Mismatches += (init.headers as Record<string, string>)[CONTENT_SHA256_HEADER] === createHash('sha256').update(body!).digest('hex') ? 0 : 1;
    if (offset > stored.length) return json(409, { error: { code: 'conflict', message: 'gap' } });
    const keep = ++pieces === 2 ? keptOfSecondPiece : body!.length;
    const fresh = body!.subarray(stored.length - offset, keep);
    const grown = new Uint8Array(stored.length + fresh.length);
    grown.set(stored);
    grown.set(fresh, stored.length);
    stored = grown;
    if (keep < body!.length) throw new TypeError('The circuit dropped.');
    return json(200, { received: stored.length });
  });
  // The client waits before it resends; here the wait is over at once.
  vi.stubGlobal('setTimeout', (callback: () => void) => queueMicrotask(callback));
  return { stored: () => stored, completions, offsets, sha256Mismatches: () => sha256Mismatches };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the intake client uploading a file', () => {
  it('when a piece breaks off in the middle of a block and is resent, then the completion names the block SHA-256 of what the intake holds', async () => {
    const investigator = await makeInvestigator();
    const keys = await deriveCaseKeys(generateCaseToken());
    const attachmentId = newAttachmentId();
    const plaintext = patternBytes(3 * MiB + 5000);
    // Each piece is one block of the stored file; 300 000 bytes of the second arrive the first time.
    const intake = fakeIntake(300_000);
    await uploadAttachment(new CaseSession(keys), attachmentId, streamOf(plaintext), plaintext.length, [investigator.recipient], () => undefined);

    const stored = intake.stored();
    const [first, second, resent, ...rest] = intake.offsets;
    expect(first).toBe(0);
    expect(second).toBe(MiB);
    expect(resent).toBe(second);
    expect(rest).toEqual(Array.from({ length: Math.ceil(stored.length / MiB) - 2 }, (_, i) => (i + 2) * MiB));
    expect(intake.sha256Mismatches()).toBe(0);
    expect(intake.completions).toEqual([{ blockSha256: blockSha256(stored), size: stored.length }]);
    const decrypted = await readAll(decryptAttachment(streamOf(stored), investigator.key, { caseId: keys.caseId as CaseId, attachmentId }));
    expect(decrypted).toEqual(plaintext);
  });
});
