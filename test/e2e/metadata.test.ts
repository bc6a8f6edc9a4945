/**
 * Metadata removal through the real intake in Debian's Chromium: a photo with GPS EXIF is picked,
 * the page says what was removed, and the investigator decrypts a picture without it that still
 * decodes to the same pixels.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { decryptAttachment, decryptReport, utf8Decode, type AttachmentId, type CaseId } from '../../crypto/index';
import { cleanJpeg } from '../../client/intake/metadata/jpeg';
import { app1Exif, buildJpeg, contains, exifTiff, GPS_LATITUDE_RATIONALS, jpegHeaderSegments, jpegWithEverything, MARKERS } from '../fixtures/images/pictures';
import { withBrowserSite } from '../helpers/browser-intake';
import { readAll, streamOf } from '../helpers/crypto';

const PHOTO = jpegWithEverything({ gps: true, thumbnail: true });
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Author (Someone) >> endobj\ntrailer << /Info 1 0 R >>\n%%EOF\n');

const suite = withBrowserSite();


/** The first SOS segment through EOI: the picture's compressed pixels. */
function scanData(jpeg: Uint8Array): Buffer {
  const sos = jpegHeaderSegments(jpeg).segments.at(-1)!;
  const end = Buffer.from(jpeg).lastIndexOf(Buffer.from([0xff, 0xd9]));
  return Buffer.from(jpeg.subarray(sos.start, end + 2));
}

/** Decodes a JPEG in Chromium (outside the intake's CSP) and returns its size and greyscale pixels. */
async function decodeInChromium(page: Page, jpeg: Uint8Array): Promise<{ width: number; height: number; pixels: number[] }> {
  return page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: 'image/jpeg' }));
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
    URL.revokeObjectURL(url);
    return { width: image.naturalWidth, height: image.naturalHeight, pixels: Array.from(rgba.filter((_, i) => i % 4 === 0)) };
  }, Buffer.from(jpeg).toString('base64'));
}

describe('metadata removal in a real browser', () => {
  it('when a whistleblower adds a photo with GPS EXIF, then the page says it was removed and the investigator gets the picture without it', async () => {
    const context = await suite.chromium.browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(suite.site.baseUrl);
    await page.getByRole('button', { name: 'Test Anti-Corruption Body' }).click();
    await page.getByRole('button', { name: 'I understand, continue' }).click();
    await page.getByLabel('What happened?').fill('A photo of the signed contract.');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#files-input').setInputFiles([
      { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(PHOTO) },
      { name: 'contract.pdf', mimeType: 'application/pdf', buffer: PDF },
    ]);

    // What was removed is a list named after the file; the summary is a live status.
    const removedList = page.getByRole('list', { name: 'Removed from photo.jpg before sending:' });
    await removedList.waitFor();
    const removedItems = await removedList.getByRole('listitem').allTextContents();
    expect(removedItems).toContain('GPS location');
    expect(removedItems).toContain('EXIF data (camera, settings, date and time)');
    expect(removedItems).toContain('A small preview picture, which may show parts you cropped out');
    expect(await page.getByRole('status').textContent()).toBe(
      'Hidden information was removed from 1 file(s). 1 file(s) could not be checked or cleaned: read the advice under each.',
    );
    expect(await page.getByText('contract.pdf was not checked for hidden information.').count()).toBe(1);
    expect(await page.getByText('Office and PDF files can hold author names and edit history').count()).toBe(1);

    await page.getByRole('button', { name: 'Continue to review' }).click();
    await page.getByRole('button', { name: 'Encrypt and send' }).click();
    await page.getByTestId('case-token').waitFor({ timeout: 60_000 });
    expect(errors, errors.join('\n')).toEqual([]);

    // The investigator's side: the report lists the cleaned size, and the photo decrypts without its metadata.
    const { intake } = suite.site;
    const [caseRecord] = intake.storage.db.prepare('SELECT id FROM cases').all() as { id: CaseId }[];
    const caseId = caseRecord!.id;
    const [report] = intake.storage.cases.objects(caseId, ['report']);
    const document = JSON.parse(utf8Decode(await decryptReport(report!.ciphertext, intake.investigator.key, { caseId }))) as {
      attachments: { id: string; name: string; type: string; size: number }[];
    };
    expect(document.attachments.map((a) => [a.name, a.type])).toEqual([
      ['photo.jpg', 'image/jpeg'],
      ['contract.pdf', 'application/pdf'],
    ]);
    const decrypt = async (id: string) =>
      readAll(decryptAttachment(streamOf(readFileSync(join(intake.dataDir, 'blobs', id))), intake.investigator.key, { caseId, attachmentId: id as AttachmentId }));
    const [photoEntry, pdfEntry] = document.attachments;
    const photo = await decrypt(photoEntry!.id);

    expect(photoEntry!.size).toBe(photo.length);
    expect(photo.length).toBeLessThan(PHOTO.length);
    for (const marker of [MARKERS.gps, MARKERS.camera, MARKERS.thumbnail, MARKERS.xmp, MARKERS.comment, MARKERS.trailing, 'Exif']) {
      expect(contains(photo, marker), marker).toBe(false);
    }
    const latitude = new Uint8Array(GPS_LATITUDE_RATIONALS.length * 4);
    GPS_LATITUDE_RATIONALS.forEach((n, i) => new DataView(latitude.buffer).setUint32(i * 4, n));
    expect(contains(photo, latitude)).toBe(false);
    expect(scanData(photo).equals(scanData(PHOTO))).toBe(true);
    // The browser's cleaner and Node's give the same bytes: the code is the same and deterministic.
    expect(Buffer.from(photo).equals(Buffer.from(cleanJpeg(PHOTO).bytes))).toBe(true);
    // A PDF is not touched.
    expect(Buffer.from(await decrypt(pdfEntry!.id)).equals(PDF)).toBe(true);

    // Chromium still decodes the cleaned photo, to the very same pixels.
    const blank = await context.newPage();
    const cleaned = await decodeInChromium(blank, photo);
    const original = await decodeInChromium(blank, PHOTO);
    expect(cleaned.width).toBeGreaterThan(0);
    expect([cleaned.width, cleaned.height]).toEqual([32, 32]);
    expect(cleaned.pixels).toEqual(original.pixels);
    expect(new Set(cleaned.pixels).size).toBeGreaterThan(2);
    await context.close();
  });

  it('when a photo was taken with the phone turned, then Chromium still shows the cleaned copy upright', async () => {
    // 32 pixels wide and 16 high as stored; orientation 6 means it is shown turned a quarter, 16 by 32.
    const turned = buildJpeg({ blocksWide: 4, blocksHigh: 2, metadata: [app1Exif(exifTiff({ orientation: 6, gps: true }))] });
    const { bytes, removed } = cleanJpeg(turned);
    expect(removed).toEqual(['gps', 'exif']);
    const page = await suite.chromium.browser.newPage();
    const shown = await decodeInChromium(page, bytes);
    expect([shown.width, shown.height]).toEqual([16, 32]);
    await page.close();
  });
});
