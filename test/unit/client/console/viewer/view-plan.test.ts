/** The viewer's dispatch: each decrypted file is shown as the kind its bytes show, within that kind's limits, or refused with a reason. */
import { describe, expect, it } from 'vitest';
import { VIEW_LIMITS } from '../../../../../client/console/viewer/view-limits';
import { planView } from '../../../../../client/console/viewer/view-plan';
import { pngHead, webpHead } from './picture-headers.data';

const blobOf = (...parts: (Uint8Array<ArrayBuffer> | string)[]) => new Blob(parts);

describe('planning how a decrypted file is viewed', () => {
  it('when the bytes are a picture within the limits, then it is planned as that picture with its declared size', async () => {
    const plan = await planView(blobOf(pngHead(800, 600)), { name: 'scan.pdf', type: 'application/pdf' });
    expect(plan).toMatchObject({ kind: 'picture', format: 'png', size: { width: 800, height: 600 } });
  });

  it('when a small picture declares more pixels than the limit, then it is refused before decoding', async () => {
    const side = Math.ceil(Math.sqrt(VIEW_LIMITS.pictureMaxPixels)) + 1;
    expect(await planView(blobOf(webpHead('VP8X', side, side)), { name: 'p.webp', type: 'image/webp' })).toEqual({ kind: 'refused', reason: 'too-many-pixels' });
    expect(await planView(blobOf(pngHead(1, 1).subarray(0, 16)), { name: 'p.png', type: 'image/png' })).toEqual({ kind: 'refused', reason: 'picture-unreadable' });
  });

  it('when the bytes are a PDF, then it is planned as a PDF with all its bytes', async () => {
    const plan = await planView(blobOf('%PDF-1.4\n%%EOF\n'), { name: 'x.bin', type: '' });
    expect(plan.kind).toBe('pdf');
    expect(plan.kind === 'pdf' && new TextDecoder().decode(plan.bytes)).toBe('%PDF-1.4\n%%EOF\n');
  });

  it('when a file is claimed as text and is UTF-8, then it is planned as its text; when it is not UTF-8, it is refused', async () => {
    expect(await planView(blobOf('date;amount\n2026-01-02;12\n'), { name: 'ledger.csv', type: 'text/csv' })).toEqual({ kind: 'text', text: 'date;amount\n2026-01-02;12\n' });
    expect(await planView(blobOf(new Uint8Array([0x4d, 0x5a, 0x90, 0x00])), { name: 'readme.txt', type: 'text/plain' })).toEqual({ kind: 'refused', reason: 'not-text' });
  });

  it('when a file is of a kind the viewer does not show, then it is refused as such, without its whole being read', async () => {
    const docx = blobOf(new Uint8Array([0x50, 0x4b, 0x03, 0x04]), 'word/document.xml');
    expect(await planView(docx, { name: 'memo.docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' })).toEqual({
      kind: 'refused',
      reason: 'unsupported-type',
    });
    expect(await planView(blobOf('just bytes'), { name: null, type: null })).toEqual({ kind: 'refused', reason: 'unsupported-type' });
  });

  it('when a file is larger than its kind’s byte limit, then it is refused before it is read whole', async () => {
    const text = blobOf(new Uint8Array(VIEW_LIMITS.textMaxBytes + 1).fill(0x61));
    expect(await planView(text, { name: 'big.txt', type: 'text/plain' })).toEqual({ kind: 'refused', reason: 'too-large' });
    const exact = blobOf(new Uint8Array(VIEW_LIMITS.textMaxBytes).fill(0x61));
    expect((await planView(exact, { name: 'big.txt', type: 'text/plain' })).kind).toBe('text');
  });
});
