/**
 * The console's viewer (client/console/viewer/), written once and run in each browser
 * (console-viewer.test.ts in Chromium, console-viewer-firefox.test.ts in Firefox ESR): a signed case
 * whose follow-up names a picture, a PDF carrying JavaScript and an external link, a text file, a
 * Word file and a file the server swapped. Each file is shown for what its bytes are, inside the
 * page; the PDF's scripts never run and nothing is fetched beyond the console itself; the swapped
 * file is refused as "Decrypt and save" refuses it. The suite's helpers fail any test during which
 * the page broke its CSP or logged an error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { encryptReport, sealReply, toBase64Url } from '../../../crypto/index';
import { type BrowserChoice, type PageActivity, type TestPage } from '../../helpers/browser';
import { changeOneTimePassword, createConsoleAccount, enrollAuthenticatorApp, signInWithPassword, unlockKeys, withBrowserConsole } from '../../helpers/browser-console';
import { TEST_PASSPHRASE } from '../../helpers/crypto';
import { TEST_BODY_ID, TestReporter } from '../../helpers/intake';
import { blockSha256Of, signedFollowup, signedReport } from '../../helpers/signed-case-messages';
import { LEFT_COLOUR, PDF_PAGE_COLOURS, PDF_PAGE_SIZE, pdfWithScriptsAndLink, RIGHT_COLOUR, twoColourPng } from '../../helpers/viewer-files';

const PDF_SENTINEL = 'VIEWER-PDF-SCRIPT-RAN-3f0a';
const PICTURE = { width: 37, height: 23 };
const TEXT = '<b>Not bold</b> — Łódź;12,50 €\n<script>document.title = "ran"</script>\n';

interface CaseFileToSend {
  readonly name: string;
  readonly type: string;
  readonly bytes: Buffer;
  /** The bytes the server stores instead, if it swapped the file. */
  readonly stored?: Buffer;
}

const FILES: readonly CaseFileToSend[] = [
  // Named and typed as a PDF, but a PNG: the bytes decide.
  { name: 'picture.pdf', type: 'application/pdf', bytes: twoColourPng(PICTURE.width, PICTURE.height) },
  { name: 'minutes.pdf', type: 'application/pdf', bytes: pdfWithScriptsAndLink(PDF_SENTINEL) },
  { name: 'notes.txt', type: 'text/plain', bytes: Buffer.from(TEXT, 'utf8') },
  { name: 'memo.docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 1)]) },
  { name: 'swapped.png', type: 'image/png', bytes: twoColourPng(8, 8), stored: twoColourPng(9, 9) },
];

/** A signed case whose signed follow-up names FILES, each stored as `stored` if given; returns its id. */
async function sendCaseWithFiles(reporter: TestReporter): Promise<string> {
  await reporter.createCase(new TextDecoder().decode(await signedReport(reporter.keys, { bodyId: TEST_BODY_ID, answers: { what: 'Files for the viewer.' } })));
  const named = [];
  for (const file of FILES) {
    const { attachmentId } = await reporter.upload(file.stored ?? file.bytes);
    named.push({ attachmentId, name: file.name, type: file.type, size: file.bytes.length, blockSha256: await blockSha256Of(file.bytes) });
  }
  const followup = await signedFollowup(reporter.keys, 'The files.', named);
  const recipients = await reporter.recipients();
  const sent = await reporter.send('POST', '/api/v1/case/followups', {
    message: toBase64Url(await encryptReport(followup, recipients, { caseId: reporter.keys.caseId, kind: 'followup' })),
    reporterCopy: toBase64Url(sealReply(reporter.keys.replyPublicKey, followup, 'reporter-copy')),
  });
  expect(sent.status).toBe(201);
  return reporter.keys.caseId;
}

/** The canvas's size and the colour of the pixel at each given point (read by the test's own code, outside the page's CSP). */
function canvasFacts(page: TestPage, selector: string, points: readonly (readonly [number, number])[]) {
  return page.evaluate(
    ({ selector, points }) => {
      const canvas = document.querySelector<HTMLCanvasElement>(selector);
      if (canvas === null) return null;
      const context = canvas.getContext('2d');
      const colours = points.map(([x, y]) => [...(context?.getImageData(Math.floor(x * canvas.width), Math.floor(y * canvas.height), 1, 1).data ?? [])].slice(0, 3));
      return { width: canvas.width, height: canvas.height, colours };
    },
    { selector, points },
  );
}

/**
 * Addresses other than the console's own origin. Firefox reports a small data: font of its own (the
 * page's CSP, font-src 'self', would have blocked and reported one the page loaded): not a fetch.
 */
function foreignRequests(activity: PageActivity, consoleUrl: string): string[] {
  return activity.requestUrls.filter((url) => !url.startsWith(`${consoleUrl}/`) && !url.startsWith('data:font/'));
}

export function consoleViewerSuite(choice: BrowserChoice): void {
  const suite = withBrowserConsole({}, choice);
  const activity: PageActivity = { requestUrls: [], dialogs: [], consoleMessages: [] };
  let page: TestPage;

  describe(`the console's file viewer in ${choice.name}`, () => {
    beforeAll(async () => {
      const caseId = await sendCaseWithFiles(await TestReporter.create(suite.site.site.intake));
      const account = await createConsoleAccount(suite.site, 'viewer', { testKey: true });
      page = await suite.browser.newPage({ locale: 'en-GB', activity });
      await signInWithPassword(page, suite.site.consoleUrl, account.username, account.oneTimePassword);
      await enrollAuthenticatorApp(page);
      await changeOneTimePassword(page, account.oneTimePassword, 'a long enough new password');
      await unlockKeys(page, TEST_PASSPHRASE);
      await page.click({ role: 'button', name: `Case ${caseId.slice(0, 8)}` });
      await page.waitFor({ testId: 'thread' });
    }, 180_000);

    it('when a picture is viewed, then its decoded pixels are redrawn on a canvas of its size, and closing the viewer removes it', async () => {
      await page.click({ role: 'button', name: 'View picture.pdf' });
      await page.waitFor({ css: '[data-testid="viewer-picture"][data-state="drawn"]' });
      const facts = await canvasFacts(page, '[data-testid="viewer-picture"]', [
        [0.1, 0.5],
        [0.9, 0.5],
      ]);
      expect(facts).toEqual({ ...PICTURE, colours: [[...LEFT_COLOUR], [...RIGHT_COLOUR]] });
      // Nothing handed to an element that loads a file, and no blob: address made for it.
      expect(await page.count({ css: 'img, object, embed, iframe, video' })).toBe(0);
      expect(activity.requestUrls.filter((url) => url.startsWith('blob:'))).toEqual([]);

      await page.click({ role: 'button', name: 'Close the viewer of picture.pdf' });
      expect(await page.count({ testId: 'file-viewer' })).toBe(0);
    });

    it('when a PDF with JavaScript, a form submission and an external link is viewed, then each page is drawn, nothing runs and nothing is fetched from elsewhere', async () => {
      activity.consoleMessages.length = 0;
      const before = page.url();
      await page.click({ role: 'button', name: 'View minutes.pdf' });
      await page.waitFor({ css: '[data-testid="viewer-pdf-page"][data-page="1"][data-state="drawn"]' });
      expect(await page.textOf({ testId: 'viewer-page' })).toBe('Page 1 of 2');
      const drawnPages = [];
      for (let pageNumber = 1; pageNumber <= 2; pageNumber += 1) {
        if (pageNumber > 1) {
          await page.click({ role: 'button', name: 'Next page' });
          await page.waitFor({ css: `[data-testid="viewer-pdf-page"][data-page="${pageNumber}"][data-state="drawn"]` });
          expect(await page.textOf({ testId: 'viewer-page' })).toBe(`Page ${pageNumber} of 2`);
        }
        // One canvas on show, the page's own.
        expect(await page.count({ css: 'canvas' })).toBe(1);
        const facts = await canvasFacts(page, '[data-testid="viewer-pdf-page"]', [[0.1, 0.9]]);
        drawnPages.push(facts?.colours[0]);
        expect((facts?.width ?? 0) / (facts?.height ?? 1)).toBeCloseTo(PDF_PAGE_SIZE.width / PDF_PAGE_SIZE.height, 1);
      }
      expect(drawnPages).toEqual(PDF_PAGE_COLOURS.map((colour) => [...colour]));

      // The link is pixels only: no element links anywhere, and a click on it goes nowhere.
      await page.click({ role: 'button', name: 'Previous page' });
      await page.waitFor({ css: '[data-testid="viewer-pdf-page"][data-page="1"][data-state="drawn"]' });
      expect(await page.count({ css: '[data-testid="file-viewer"] a, [data-testid="file-viewer"] [href]' })).toBe(0);
      await page.click({ testId: 'viewer-pdf-page' });
      expect(page.url()).toBe(before);

      expect(activity.dialogs).toEqual([]);
      expect(activity.consoleMessages.filter((message) => message.includes(PDF_SENTINEL))).toEqual([]);
      expect(foreignRequests(activity, suite.site.consoleUrl)).toEqual([]);
      expect(activity.requestUrls.filter((url) => url.includes('example.invalid'))).toEqual([]);
      // pdf.js came as the console's own lazily loaded module and worker.
      expect(activity.requestUrls.some((url) => /\/assets\/pdf\.worker[^/]*\.mjs$/.test(url))).toBe(true);
      await page.click({ role: 'button', name: 'Close the viewer of minutes.pdf' });
    });

    it('when a text file is viewed, then it is shown as text, its markup inert', async () => {
      await page.click({ role: 'button', name: 'View notes.txt' });
      await page.waitFor({ testId: 'viewer-text' });
      expect(await page.textOf({ testId: 'viewer-text' })).toBe(TEXT);
      expect(await page.count({ css: '[data-testid="viewer-text"] b, [data-testid="viewer-text"] script' })).toBe(0);
      expect(await page.evaluate(() => document.title, null)).not.toBe('ran');
      await page.click({ role: 'button', name: 'Close the viewer of notes.txt' });
    });

    it('when a file of another kind is viewed, then the viewer says why it is not shown and points to the offline export', async () => {
      await page.click({ role: 'button', name: 'View memo.docx' });
      await page.waitFor({ testId: 'viewer-refusal' });
      const refusal = await page.textOf({ testId: 'viewer-refusal' });
      expect(refusal).toContain('This kind of file is not shown in the console');
      expect(refusal).toContain('download the case for offline reading');
      expect(await page.count({ css: '[data-testid="file-viewer"] canvas, [data-testid="file-viewer"] pre' })).toBe(0);
      await page.click({ role: 'button', name: 'Close the viewer of memo.docx' });
    });

    it('when the stored file is not the one the reporter signed, then it is not shown, with the refusal saving gives', async () => {
      await page.click({ role: 'button', name: 'View swapped.png' });
      await page.waitFor({ testId: 'file-error' });
      expect(await page.textOf({ testId: 'file-error' })).toContain('not the one the reporter signed');
      // The sentence "Decrypt and save" gives (console-authenticity.test.ts): both decrypt through one check.
      expect(await page.count({ testId: 'file-viewer' })).toBe(0);
    });
  });
}
