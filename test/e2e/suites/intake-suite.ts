/**
 * The intake as a whistleblower uses it, written once and run in each browser (test/e2e/intake.test.ts
 * in Chromium, intake-firefox.test.ts in Firefox ESR at Tor Browser's "Safer" level): a report with
 * files (text, a photo with GPS EXIF, a PDF) to the body under its signed name, the receipt, coming
 * back with the token to read a signed reply (and an unsigned one, shown as such) and send a follow-up
 * with a file, a directory that stops verifying, and an upload that survives a dropped connection.
 * Every request body the browser sends is captured and searched for the plaintext; so are the
 * server's files and log.
 */
import { describe, expect, it } from 'vitest';
import { decryptReport, generateDirectoryKeyPair, signDirectory, toBase64Url, type CaseId } from '../../../crypto/index';
import { readFollowupMessage } from '../../../protocol/reporter-messages';
import { cleanJpeg } from '../../../client/intake/metadata/jpeg';
import { app1Exif, buildJpeg, contains, exifTiff, GPS_LATITUDE_RATIONALS, jpegHeaderSegments, jpegWithEverything, MARKERS } from '../../fixtures/images/pictures';
import { RequestBodies, type BrowserChoice, type TestPage } from '../../helpers/browser';
import { decryptStoredFile, FILES_INPUT, openCase, readCase, sendReportAndReadToken, startReport, TEST_BODY_NAME, withBrowserSite } from '../../helpers/browser-intake';
import { patternBytes } from '../../helpers/crypto';
import { blockSha256Hex, testDirectoryDocument, TEST_BODY_ID } from '../../helpers/intake';
import { signedReply, storeReply, unsignedReply } from '../../helpers/signed-messages';
import { logPlace, requestBodyPlaces, sentinelsFound, storedFiles } from '../../helpers/stored-bytes';

const SENTINELS = {
  report: 'E2E-SENTINEL-REPORT-a81f',
  fileContent: 'E2E-SENTINEL-FILE-CONTENT-4c2e',
  fileName: 'E2E-SENTINEL-NAME-77d0.txt',
  followup: 'E2E-SENTINEL-FOLLOWUP-19be',
  followupFile: 'E2E-SENTINEL-FOLLOWUP-FILE-3d5a',
};
const TEXT_FILE = Buffer.from(`${SENTINELS.fileContent}\n`.repeat(3000));
const PHOTO = jpegWithEverything({ gps: true, thumbnail: true });
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Author (Someone) >> endobj\ntrailer << /Info 1 0 R >>\n%%EOF\n');
const UPLOAD_PIECE = /\/api\/v1\/case\/uploads\/[^/?]+\?offset=([1-9]\d*)$/;
/** What the server calls the test body: its own word, which the page must never show. */
const SERVER_BODY_NAME = 'Name Only The Server Gives';

/** The first SOS segment through EOI: the picture's compressed pixels. */
function scanData(jpeg: Uint8Array): Buffer {
  const sos = jpegHeaderSegments(jpeg).segments.at(-1)!;
  const end = Buffer.from(jpeg).lastIndexOf(Buffer.from([0xff, 0xd9]));
  return Buffer.from(jpeg.subarray(sos.start, end + 2));
}

/** Decodes a JPEG in the browser (on a blank page, outside the intake's CSP): its size and greyscale pixels. */
async function decodeInBrowser(page: TestPage, jpeg: Uint8Array): Promise<{ width: number; height: number; pixels: number[] }> {
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

export function intakeSuite(choice: BrowserChoice): void {
  // Armed by the resume test: the server reads a little of the next upload piece after the first, then drops the connection.
  const drop = { armed: false, dropped: [] as string[] };
  const suite = withBrowserSite(
    {
      intercept: (req) => {
        const piece = UPLOAD_PIECE.exec(req.url ?? '');
        if (!drop.armed || req.method !== 'PUT' || piece === null) return false;
        drop.armed = false;
        drop.dropped.push(piece[1]!);
        req.once('data', () => req.socket.destroy());
        return true;
      },
    },
    choice,
  );
  const requestBodies = new RequestBodies();
  const newPage = () => suite.browser.newPage({ locale: 'en-GB', requestBodies });
  const knownCases = new Set<CaseId>();
  /** The case the last submission made. */
  const newCase = (): CaseId => {
    const ids = (suite.site.intake.storage.db.prepare('SELECT id FROM cases').all() as { id: CaseId }[]).map(({ id }) => id).filter((id) => !knownCases.has(id));
    expect(ids).toHaveLength(1);
    knownCases.add(ids[0]!);
    return ids[0]!;
  };

  describe(`the intake in ${choice.name}${choice.name === 'firefox' && choice.safer === true ? ' at the Safer level' : ''}`, () => {
    let token = '';
    let caseId = '' as CaseId;

    it('when a whistleblower submits a report with a text file, a photo with GPS EXIF and a PDF, then the page names the body as it signed its name, says what it removed, they get a token, and the investigator reads everything, signed', async () => {
      suite.site.intake.storage.db.prepare('UPDATE bodies SET name = ? WHERE id = ?').run(SERVER_BODY_NAME, TEST_BODY_ID);
      const page = await newPage();
      await page.goto(suite.site.baseUrl);
      await page.click({ role: 'button', name: TEST_BODY_NAME });
      expect(await page.count({ text: SERVER_BODY_NAME })).toBe(0);
      await page.waitFor({ text: `encrypted in your browser for the investigators of ${TEST_BODY_NAME}.` });
      await page.click({ role: 'button', name: 'I understand, continue' });
      // Continuing without the required answer names the field.
      await page.click({ role: 'button', name: 'Continue' });
      await page.waitFor({ text: 'Please answer this question.' });
      expect(await page.count({ text: 'Please answer this question.' })).toBe(1);
      await page.fill({ label: 'What happened?' }, `${SENTINELS.report} — the tender was rigged.`);
      await page.click({ role: 'button', name: 'Continue' });
      await page.setFiles(FILES_INPUT, [
        { name: SENTINELS.fileName, mimeType: 'text/plain', buffer: TEXT_FILE },
        { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(PHOTO) },
        { name: 'contract.pdf', mimeType: 'application/pdf', buffer: PDF },
      ]);

      // What was removed is a list named after the file; the summary is a live status.
      await page.waitFor({ role: 'list', name: 'Removed from photo.jpg before sending:' });
      const removedItems = await page.textsOf({ css: 'ul[aria-labelledby="files-input-file-1-status"] li' });
      expect(removedItems).toContain('GPS location');
      expect(removedItems).toContain('EXIF data (camera, settings, date and time)');
      expect(removedItems).toContain('A small preview picture, which may show parts you cropped out');
      expect(await page.textOf({ testId: 'metadata-summary' })).toBe(
        'Hidden information was removed from 1 file(s). 2 file(s) could not be checked or cleaned: read the advice under each.',
      );
      // Not a whole PDF (no pages): refused whole and sent as it is, which the reporter is told.
      expect(await page.count({ text: 'Hidden information could not be removed from contract.pdf' })).toBe(1);
      expect(await page.count({ text: 'This PDF could not be read completely, so nothing in it was changed.' })).toBe(1);

      token = await sendReportAndReadToken(page);
      expect(token).toMatch(/^([0-9A-Z]{4}-){6}[0-9A-Z]{4}$/);
      // The check on leaving catches a mistyped group, then accepts the right one.
      await page.fill({ label: 'To be sure you kept it' }, 'XXXX');
      await page.click({ role: 'button', name: 'Done' });
      await page.waitFor({ text: 'That does not match' });
      await page.fill({ label: 'To be sure you kept it' }, token.slice(-4).toLowerCase());
      await page.click({ role: 'button', name: 'Done' });
      await page.waitFor({ role: 'button', name: 'Check a report you made' });

      // The investigator's side, with the crypto core: the report and the files decrypt, the photo without its metadata.
      const { intake } = suite.site;
      caseId = newCase();
      const { report, signer } = await readCase(intake, caseId);
      expect(report.answers.what).toContain(SENTINELS.report);
      // Version 2: signed with the case key the server holds, which the report names, for the body chosen under the serial verified.
      const { auth_public_key: authKey } = intake.storage.db.prepare('SELECT auth_public_key FROM cases WHERE id = ?').get(caseId) as { auth_public_key: Buffer };
      expect(signer).toBe(toBase64Url(new Uint8Array(authKey)));
      expect(report).toMatchObject({ version: 2, bodyId: TEST_BODY_ID, directorySerial: 1 });
      expect(report.attachments.map((a) => [a.name, a.type])).toEqual([
        [SENTINELS.fileName, 'text/plain'],
        ['photo.jpg', 'image/jpeg'],
        ['contract.pdf', 'application/pdf'],
      ]);
      expect(intake.storage.attachments.attachmentsOf(caseId).map((a) => a.id).sort()).toEqual(report.attachments.map((a) => a.id).sort());
      const [textEntry, photoEntry, pdfEntry] = report.attachments;
      expect((await decryptStoredFile(intake, caseId, textEntry!.id)).equals(TEXT_FILE)).toBe(true);
      expect((await decryptStoredFile(intake, caseId, pdfEntry!.id)).equals(PDF)).toBe(true);

      const photo = await decryptStoredFile(intake, caseId, photoEntry!.id);
      // Each file's digest in the report is that of the cleaned bytes the investigator decrypts.
      const digests = (report.attachments as readonly { blockSha256?: string }[]).map((entry) => entry.blockSha256);
      expect(digests).toEqual([await blockSha256Hex(TEXT_FILE), await blockSha256Hex(photo), await blockSha256Hex(PDF)]);
      // Every file's entry says what the reporter's browser did to it, whatever its format.
      expect((report.attachments as readonly { cleaning?: unknown }[]).map((entry) => entry.cleaning)).toEqual([
        { status: 'not-checked', removed: [] },
        { status: 'cleaned', removed: expect.arrayContaining(['gps', 'exif', 'thumbnail']) },
        { status: 'could-not-clean', removed: [], mode: 'hidden-information' },
      ]);
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
      expect(photo.equals(Buffer.from(cleanJpeg(PHOTO).bytes))).toBe(true);

      // The browser still decodes the cleaned photo, to the very same pixels.
      const blank = await suite.browser.newPage();
      const cleaned = await decodeInBrowser(blank, photo);
      const original = await decodeInBrowser(blank, PHOTO);
      expect([cleaned.width, cleaned.height]).toEqual([32, 32]);
      expect(cleaned.pixels).toEqual(original.pixels);
      expect(new Set(cleaned.pixels).size).toBeGreaterThan(2);
      await blank.close();
      await page.close();
    });

    it.runIf(choice.name === 'firefox' && choice.safer === true)('when Firefox runs at the Safer level, then its pages have no WebAssembly', async () => {
      // The preferences took: the intake above ran without a JIT and without WebAssembly, as in Tor Browser.
      const page = await suite.browser.newPage();
      expect(await page.evaluate(() => typeof (globalThis as { WebAssembly?: unknown }).WebAssembly, null)).toBe('undefined');
      await page.close();
    });

    it('when a photo was taken with the phone turned, then the browser still shows the cleaned copy upright', async () => {
      // 32 pixels wide and 16 high as stored; orientation 6 means it is shown turned a quarter, 16 by 32.
      const turned = buildJpeg({ blocksWide: 4, blocksHigh: 2, metadata: [app1Exif(exifTiff({ orientation: 6, gps: true }))] });
      const { bytes, removed } = cleanJpeg(turned);
      expect(removed).toEqual(['gps', 'exif']);
      const page = await suite.browser.newPage();
      const shown = await decodeInBrowser(page, bytes);
      expect([shown.width, shown.height]).toEqual([16, 32]);
      await page.close();
    });

    it('when the reporter types the token with a typo, then the page says so without asking the server', async () => {
      const page = await newPage();
      const before = (await requestBodies.all()).length;
      const typo = `${token.slice(0, 5)}${token[5] === 'A' ? 'B' : 'A'}${token.slice(6)}`;
      await openCase(page, suite.site.baseUrl, typo);
      await page.waitFor({ text: 'There is a typo in the token' });
      expect((await requestBodies.all()).length).toBe(before);
      await page.close();
    });

    it('when the reporter comes back with the token, then a signed reply shows its author’s role, an unsigned one sits in a warning, and they add a message and a file, signed', async () => {
      const { intake } = suite.site;
      storeReply(intake, caseId, await signedReply(intake.investigator, caseId, 'Thank you, we have opened an assessment.'), '2026-11-23');
      // What the server could write itself: sealed to the case, but signed by nobody.
      storeReply(intake, caseId, unsignedReply('Please send us your phone number.'), '2026-11-24');
      const filesBefore = new Set(intake.storage.attachments.attachmentsOf(caseId).map((a) => a.id));
      const page = await newPage();
      await openCase(page, suite.site.baseUrl, token.toLowerCase().replaceAll('-', ' '));
      expect(await page.textOf({ testId: 'replies' })).toContain('Thank you, we have opened an assessment.');
      expect(await page.textsOf({ css: 'li[data-authenticity="signed"] [data-testid="reply-author"]' })).toEqual(['From: Investigator']);
      expect(await page.textsOf({ css: 'li[data-authenticity="signed"] .text' })).toEqual(['Thank you, we have opened an assessment.']);
      expect(await page.count({ css: 'li[data-authenticity="signed"] [data-testid="reply-warning"]' })).toBe(0);
      expect(await page.textsOf({ css: 'li[data-authenticity="unsigned"] [data-testid="reply-warning"]' })).toEqual([
        `This message is not signed by ${TEST_BODY_NAME}. It may not come from them: do not act on requests for your name or contact details.`,
      ]);
      expect(await page.count({ css: 'li[data-authenticity="unsigned"] [data-testid="reply-author"]' })).toBe(0);
      expect(await page.textOf({ testId: 'case-body' })).toBe(`Your report went to ${TEST_BODY_NAME}.`);
      expect(await page.textOf({ testId: 'status-source' })).toContain('as this site reports them');
      expect(await page.textOf({ testId: 'case-status' })).toBe('Received');
      expect(await page.count({ testId: 'copy-not-yours' })).toBe(0);
      expect(await page.count({ text: SERVER_BODY_NAME })).toBe(0);
      await page.fill({ label: 'Your message' }, SENTINELS.followup);
      const followupFile = Buffer.from(`${SENTINELS.followupFile}\n`.repeat(100));
      await page.setFiles({ css: '#more-files' }, [{ name: 'minutes.txt', mimeType: 'text/plain', buffer: followupFile }]);
      await page.waitFor({ text: 'minutes.txt' });
      await page.click({ role: 'button', name: 'Encrypt and send' });
      await page.waitFor({ text: 'Sent.' });
      const followups = intake.storage.cases.objects(caseId, ['followup']);
      expect(followups).toHaveLength(1);
      const added = intake.storage.attachments.attachmentsOf(caseId).filter((a) => !filesBefore.has(a.id));
      expect(added).toHaveLength(1);
      expect((await decryptStoredFile(intake, caseId, added[0]!.id)).equals(followupFile)).toBe(true);
      // The follow-up, signed with the key the report names, names its file by the id it was stored under and its digest, inside the encryption only.
      const { signer } = await readCase(intake, caseId);
      const followupPlaintext = await decryptReport(followups[0]!.ciphertext, intake.investigator.key, { caseId, kind: 'followup' });
      expect(await readFollowupMessage(followupPlaintext, caseId, signer)).toEqual({
        signed: true,
        document: {
          format: 'candor-followup',
          version: 3,
          text: SENTINELS.followup,
          files: [
            {
              attachmentId: added[0]!.id,
              name: 'minutes.txt',
              type: 'text/plain',
              size: followupFile.length,
              blockSha256: await blockSha256Hex(followupFile),
              cleaning: { status: 'not-checked', removed: [] },
            },
          ],
        },
      });
      // The reporter's own copy shows the message, and under it the file by its name and size.
      const ownFollowup = { testId: 'sent-messages', css: 'li[data-kind="followup"]' };
      await expect.poll(() => page.textOf(ownFollowup)).toContain(SENTINELS.followup);
      expect(await page.textOf({ testId: 'sent-messages', css: 'li[data-kind="followup"] [data-testid="sent-files"]' })).toBe(`minutes.txt (${(followupFile.length / 1024).toFixed(1)} KiB)`);
      expect(await page.count({ testId: 'copy-not-yours' })).toBe(0);
      await page.click({ role: 'button', name: 'Log out' });
      await page.waitFor({ role: 'button', name: 'Check a report you made' });
      await page.close();
    });

    it('when the body’s directory stops verifying, then the body cannot be chosen, the case’s replies are unverified and a follow-up is refused with nothing sent', async () => {
      const { intake } = suite.site;
      const row = intake.storage.db.prepare('SELECT signed_directory FROM bodies WHERE id = ?').get(TEST_BODY_ID) as { signed_directory: string };
      // The same directory, signed with a key this build does not pin for the body.
      const impostor = signDirectory(testDirectoryDocument([intake.investigator]), generateDirectoryKeyPair().secretKey);
      intake.storage.db.prepare('UPDATE bodies SET signed_directory = ? WHERE id = ?').run(JSON.stringify(impostor), TEST_BODY_ID);
      try {
        const page = await newPage();
        await page.goto(suite.site.baseUrl);
        await page.waitFor({ testId: 'body-unverified' });
        expect(await page.count({ role: 'button', name: TEST_BODY_NAME })).toBe(0);

        const followupsBefore = intake.storage.cases.objects(caseId, ['followup']).length;
        await openCase(page, suite.site.baseUrl, token);
        await page.waitFor({ testId: 'case-directory-warning' });
        const bodiesBefore = (await requestBodies.all()).length;
        expect(await page.count({ css: 'li[data-authenticity]' })).toBe(await page.count({ css: 'li[data-authenticity="unverified"]' }));
        expect(await page.count({ css: 'li[data-authenticity="unverified"] [data-testid="reply-warning"]' })).toBe(2);
        expect(await page.count({ testId: 'reply-author' })).toBe(0);
        await page.fill({ label: 'Your message' }, 'This must not be encrypted to anyone.');
        await page.click({ role: 'button', name: 'Encrypt and send' });
        expect(await page.textOf({ testId: 'followup-notice' })).toBe(
          'The investigators’ keys could not be verified, so nothing was sent. Try again later or use another channel.',
        );
        expect(intake.storage.cases.objects(caseId, ['followup'])).toHaveLength(followupsBefore);
        // The refused follow-up sent nothing at all.
        expect((await requestBodies.all()).length).toBe(bodiesBefore);
        await page.close();
      } finally {
        intake.storage.db.prepare('UPDATE bodies SET signed_directory = ? WHERE id = ?').run(row.signed_directory, TEST_BODY_ID);
      }
    });

    it('when the connection drops in the middle of a file, then the browser resumes and the investigator gets the whole file', async () => {
      const file = Buffer.from(patternBytes(2_500_000, 99));
      const page = await newPage();
      await startReport(page, suite.site.baseUrl, 'A large ledger is attached.');
      await page.setFiles(FILES_INPUT, [{ name: 'ledger.bin', mimeType: 'application/octet-stream', buffer: file }]);
      drop.armed = true;
      await sendReportAndReadToken(page, 90_000);
      expect(drop.dropped).toHaveLength(1);
      expect(await page.count({ role: 'alert' })).toBe(0);

      const ledgerCase = newCase();
      const { report } = await readCase(suite.site.intake, ledgerCase);
      expect((await decryptStoredFile(suite.site.intake, ledgerCase, report.attachments[0]!.id)).equals(file)).toBe(true);
      await page.close();
    });

    it('when everything the browser sent and the server kept is searched, then no plaintext is found', async () => {
      const { intake, config } = suite.site;
      const bodies = await requestBodies.all();
      const places = [...requestBodyPlaces(bodies), ...storedFiles(intake.dataDir, [config.intake.clientDir, config.console.clientDir]), logPlace('log', intake.logLines)];
      expect(bodies.length).toBeGreaterThan(5);
      // Only the piece the server cut off may be missing.
      expect(requestBodies.unreadable).toBeLessThanOrEqual(1);
      expect(sentinelsFound(places, [...Object.values(SENTINELS), token, token.replaceAll('-', '')])).toEqual([]);
    });
  });
}
