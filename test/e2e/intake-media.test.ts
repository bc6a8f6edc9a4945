/**
 * Pictures and videos through the intake in Chromium: a WebP and an MP4 that say where they were
 * taken are cleaned in the reporter's browser, and what the investigator decrypts tells ExifTool
 * neither the place nor the device; cleaned WebP and GIF pictures still decode in the browser.
 */
import { describe, expect, it } from 'vitest';
import { cleanGif } from '../../client/intake/metadata/gif';
import { cleanWebp } from '../../client/intake/metadata/webp';
import { contains } from '../fixtures/images/pictures';
import { animatedWebpWithMetadata, gifWithMetadata, MEDIA_MARKERS, mp4WithMetadata, webpForBrowser } from '../fixtures/media/media-files';
import type { TestPage } from '../helpers/browser';
import { decryptStoredFile, FILES_INPUT, readOnlyCase, sendReportAndReadToken, startReport, withBrowserSite } from '../helpers/browser-intake';
import { exifToolTags, tagsMatching } from '../helpers/exiftool';

const IDENTIFYING_TAGS = /^(?!ICC).*(GPS|Make|Model|Software|XMP|Creator|CreationDate|Comment)/;

/** Decodes a picture in the browser (on a blank page): its size and the RGBA values of its first pixel. */
async function decodeInBrowser(page: TestPage, bytes: Uint8Array, type: string): Promise<{ width: number; height: number; pixel: number[] }> {
  return page.evaluate(
    async ({ base64, type }) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([data], { type }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(bitmap, 0, 0);
      return { width: bitmap.width, height: bitmap.height, pixel: Array.from(context.getImageData(0, 0, 1, 1).data) };
    },
    { base64: Buffer.from(bytes).toString('base64'), type },
  );
}

describe('the intake with pictures and videos in Chromium', () => {
  const suite = withBrowserSite();

  it('when a reporter adds a WebP and an MP4 that hold a GPS position and a device, then the page says what went and the investigator’s copies hold neither', async () => {
    const webp = webpForBrowser();
    const mp4 = mp4WithMetadata();
    expect(tagsMatching(exifToolTags(webp, 'webp'), /GPS/).length).toBeGreaterThan(0);
    expect(tagsMatching(exifToolTags(mp4, 'mp4'), /GPS/).length).toBeGreaterThan(0);

    const page = await suite.browser.newPage({ locale: 'en-GB' });
    await startReport(page, suite.site.baseUrl, 'The pictures show the site.');
    await page.setFiles(FILES_INPUT, [
      { name: 'site.webp', mimeType: 'image/webp', buffer: Buffer.from(webp) },
      { name: 'site.mp4', mimeType: 'video/mp4', buffer: Buffer.from(mp4) },
    ]);
    await page.waitFor({ role: 'list', name: 'Removed from site.mp4 before sending:' });
    expect(await page.textsOf({ css: 'ul[aria-labelledby="files-input-file-0-status"] li' })).toEqual([
      'GPS location',
      'EXIF data (camera, settings, date and time)',
      'XMP data (editing software and history, author)',
    ]);
    expect(await page.textsOf({ css: 'ul[aria-labelledby="files-input-file-1-status"] li' })).toEqual([
      'GPS location',
      'The device and software that made the file (make, model, software)',
      'Date and time of recording',
    ]);
    expect(await page.count({ text: 'what a video shows and lets you hear can still identify you' })).toBe(1);
    await sendReportAndReadToken(page);
    await page.close();

    const { caseId, report } = await readOnlyCase(suite.site.intake);
    expect(report.attachments.map((a) => [a.name, a.type])).toEqual([
      ['site.webp', 'image/webp'],
      ['site.mp4', 'video/mp4'],
    ]);
    const sentWebp = await decryptStoredFile(suite.site.intake, caseId, report.attachments[0]!.id);
    const sentMp4 = await decryptStoredFile(suite.site.intake, caseId, report.attachments[1]!.id);
    expect(sentWebp.equals(Buffer.from(cleanWebp(webp).bytes))).toBe(true);

    for (const [bytes, extension] of [
      [sentWebp, 'webp'],
      [sentMp4, 'mp4'],
    ] as const) {
      const tags = exifToolTags(bytes, extension);
      expect(tagsMatching(tags, IDENTIFYING_TAGS), extension).toEqual([]);
      expect(tagsMatching(tags, /^ExifTool:(Warning|Error)/), extension).toEqual([]);
    }
    // The video was edited in place: same size, the sample still where the movie says it is.
    expect(sentMp4.length).toBe(mp4.length);
    expect(contains(sentMp4, MEDIA_MARKERS.sample)).toBe(true);
    expect(sentMp4.indexOf(MEDIA_MARKERS.sample)).toBe(Buffer.from(mp4).indexOf(MEDIA_MARKERS.sample));
    for (const marker of [MEDIA_MARKERS.make, MEDIA_MARKERS.keyModel, '+52.5200']) expect(contains(sentMp4, marker), marker).toBe(false);

    // The browser decodes the cleaned picture as it decoded the original.
    const blank = await suite.browser.newPage();
    expect(await decodeInBrowser(blank, sentWebp, 'image/webp')).toEqual(await decodeInBrowser(blank, webp, 'image/webp'));
    await blank.close();
  });

  it('when an animated WebP and a looping GIF are cleaned, then Chromium decodes them as it decoded the originals', async () => {
    const page = await suite.browser.newPage();
    for (const [original, cleaned, type] of [
      [animatedWebpWithMetadata(), cleanWebp(animatedWebpWithMetadata()).bytes, 'image/webp'],
      [gifWithMetadata(), cleanGif(gifWithMetadata()).bytes, 'image/gif'],
    ] as const) {
      const shown = await decodeInBrowser(page, cleaned, type);
      expect(shown, type).toEqual(await decodeInBrowser(page, original, type));
      expect([shown.width, shown.height]).toEqual([1, 1]);
      // The check can fail: a picture with nothing after its header does not decode.
      await expect(decodeInBrowser(page, cleaned.subarray(0, 16), type), type).rejects.toThrow();
    }
    // The GIF's pixel is white, as its palette says; the WebP's is the transparent one it was made with.
    expect((await decodeInBrowser(page, cleanGif(gifWithMetadata()).bytes, 'image/gif')).pixel).toEqual([255, 255, 255, 255]);
    await page.close();
  });
});
