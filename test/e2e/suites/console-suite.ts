/**
 * The whole path, written once and run in each browser (test/e2e/console.test.ts in Chromium,
 * console-firefox.test.ts in Firefox ESR): a whistleblower submits a report with a file on the intake;
 * an investigator signs in to the review console for the first time (one-time password, authenticator
 * app, own password), unlocks the key, decrypts the report and the file, triages the case, writes a
 * note and a reply; the reporter reads the reply with the token. Protocol version 2 throughout: the
 * console shows the report, follow-up and files as signed by the reporter, and its note and reply as
 * signed by the investigator, which the reporter's page verifies too. Every request body both pages
 * sent, every file the server wrote and both logs are then searched for the plaintext.
 */
import { describe, expect, it } from 'vitest';
import { RequestBodies, type BrowserChoice, type TestPage } from '../../helpers/browser';
import {
  changeOneTimePassword,
  createConsoleAccount,
  enrollAuthenticatorApp,
  shownTotpSecret,
  signInWithPassword,
  unlockKeys,
  withBrowserConsole,
  wrongTotpCode,
} from '../../helpers/browser-console';
import { FILES_INPUT, openCase, sendReportAndReadToken, startReport } from '../../helpers/browser-intake';
import { TEST_ROLE } from '../../helpers/intake';
import { TEST_PASSPHRASE } from '../../helpers/crypto';
import { logPlace, requestBodyPlaces, sentinelsFound, storedFiles } from '../../helpers/stored-bytes';

const SENTINELS = {
  report: 'CONSOLE-SENTINEL-REPORT-5d1e',
  fileContent: 'CONSOLE-SENTINEL-FILE-CONTENT-93ab',
  fileName: 'CONSOLE-SENTINEL-NAME-0c47.txt',
  note: 'CONSOLE-SENTINEL-NOTE-b2f8',
  reply: 'CONSOLE-SENTINEL-REPLY-7e60',
  followup: 'CONSOLE-SENTINEL-FOLLOWUP-41c9',
  followupFileContent: 'CONSOLE-SENTINEL-FOLLOWUP-CONTENT-e07a',
  followupFileName: 'CONSOLE-SENTINEL-FOLLOWUP-NAME-6b13.csv',
};
const FILE_BYTES = Buffer.from(`${SENTINELS.fileContent}\n`.repeat(2000));
const FOLLOWUP_FILE_BYTES = Buffer.from(`${SENTINELS.followupFileContent}\n`.repeat(500));
const NEW_PASSWORD = 'a passphrase the investigator chose';
const QR_CODE_NAME = 'QR code for your authenticator app, holding the secret and the address beside it';

/** The enrolment page's QR code as the page drew it: an image by its role and name, one path of dark modules, colours from classes only. */
function drawnQrCode(page: TestPage) {
  return page.evaluate(() => {
    const svg = document.querySelector('svg[data-testid="totp-qr-code"]');
    return {
      role: svg?.getAttribute('role'),
      name: svg?.getAttribute('aria-label'),
      viewBox: svg?.getAttribute('viewBox') ?? '',
      paths: [...(svg?.querySelectorAll('path') ?? [])].map((path) => ({ d: path.getAttribute('d') ?? '', className: path.getAttribute('class') })),
      styledOrFilled: svg?.querySelectorAll('[style], [fill]').length ?? -1,
      rasters: document.querySelectorAll('img, canvas, image').length,
    };
  }, null);
}

/**
 * On the recovery-code page: the download holds the codes and nothing else; Copy and Print reach the
 * clipboard and the print dialog (both stood in for, as a test cannot read the one nor close the other),
 * and the print stylesheet keeps only the codes.
 */
async function checkRecoveryCodeActions(page: TestPage, codes: readonly string[]): Promise<void> {
  const download = await page.download({ role: 'button', name: 'Download as a text file' });
  expect(download.filename).toBe('recovery-codes.txt');
  expect(download.bytes.toString('utf8')).toBe(`${codes.join('\n')}\n`);

  await page.evaluate(() => {
    const record = globalThis as unknown as { copiedTexts: string[]; printRequests: number };
    record.copiedTexts = [];
    record.printRequests = 0;
    Object.defineProperty(navigator.clipboard, 'writeText', { configurable: true, value: (text: string) => Promise.resolve(void record.copiedTexts.push(text)) });
    window.print = () => void (record.printRequests += 1);
  }, null);
  await page.click({ role: 'button', name: 'Copy the codes' });
  await page.waitFor({ text: 'The codes are copied.' });
  await page.click({ role: 'button', name: 'Print the codes' });
  const seen = await page.evaluate(() => {
    const record = globalThis as unknown as { copiedTexts: string[]; printRequests: number };
    const printRules = [...document.styleSheets].flatMap((sheet) => [...sheet.cssRules]).filter((rule) => rule instanceof CSSMediaRule && rule.media.mediaText === 'print');
    return { copiedTexts: record.copiedTexts, printRequests: record.printRequests, printRules: printRules.map((rule) => rule.cssText).join('\n') };
  }, null);
  expect(seen.copiedTexts).toEqual([`${codes.join('\n')}\n`]);
  expect(seen.printRequests).toBe(1);
  expect(seen.printRules).toContain('.recovery-sheet > :not(.codes)');
}

export function consoleSuite(choice: BrowserChoice): void {
  const suite = withBrowserConsole({}, choice);
  const requestBodies = new RequestBodies();
  const failedResponses: string[] = [];
  const newPage = () => suite.browser.newPage({ locale: 'en-GB', requestBodies, failedResponses });

  describe(`the review console in ${choice.name}`, () => {
    let token = '';

    it('when a whistleblower submits a report with a file, then they get a token', async () => {
      const page = await newPage();
      await startReport(page, suite.site.site.baseUrl, `${SENTINELS.report}: the harbour contract went to the mayor's cousin.`);
      await page.setFiles(FILES_INPUT, [{ name: SENTINELS.fileName, mimeType: 'text/plain', buffer: FILE_BYTES }]);
      token = await sendReportAndReadToken(page);
      expect(token).toMatch(/^([0-9A-Z]{4}-){6}[0-9A-Z]{4}$/);
      await page.close();
    });

    it('when the reporter comes back with the token and sends a follow-up with a file, then it is sent', async () => {
      const page = await newPage();
      await openCase(page, suite.site.site.baseUrl, token);
      await page.fill({ label: 'Your message' }, `${SENTINELS.followup}: the tender minutes are attached.`);
      await page.setFiles({ css: '#more-files' }, [{ name: SENTINELS.followupFileName, mimeType: 'text/csv', buffer: FOLLOWUP_FILE_BYTES }]);
      await page.waitFor({ text: SENTINELS.followupFileName });
      await page.click({ role: 'button', name: 'Encrypt and send' });
      await page.waitFor({ text: 'Sent.' });
      await page.close();
    });

    it('when the investigator signs in for the first time, then they set up a second step and a password, decrypt the report and the file, and answer', async () => {
      const account = await createConsoleAccount(suite.site, 'inspector', { testKey: true });
      const page = await newPage();
      const { consoleUrl } = suite.site;

      await signInWithPassword(page, consoleUrl, account.username, account.oneTimePassword);

      // The otpauth address as a QR code drawn in the page, named, beside the secret to type.
      await page.waitFor({ testId: 'totp-qr-code' });
      const qr = await drawnQrCode(page);
      expect(qr.role).toBe('img');
      expect(qr.name).toBe(QR_CODE_NAME);
      const size = Number(/^0 0 (\d+) \1$/.exec(qr.viewBox)?.[1]);
      expect((size - 8 - 17) % 4).toBe(0);
      expect(qr.paths).toHaveLength(1);
      expect(qr.paths[0]?.className).toBe('qr-dark');
      expect(qr.paths[0]?.d).toMatch(/^(M\d+ \d+h\d+v1h-\d+z)+$/);
      expect(qr.styledOrFilled).toBe(0);
      expect(qr.rasters).toBe(0);

      // A wrong code gets plain words and what to do, not the server's wording.
      await page.fill({ label: 'Code from the app' }, wrongTotpCode(await shownTotpSecret(page), new Date()));
      await page.click({ role: 'button', name: 'Confirm the app' });
      const refusal = await page.textOf({ role: 'alert' });
      expect(refusal).toContain('This code does not match the secret.');
      expect(refusal).toContain('enter the next code the app shows');
      expect(refusal).not.toContain('refused');

      const { recoveryCodes } = await enrollAuthenticatorApp(page, (codes) => checkRecoveryCodeActions(page, codes));
      expect(recoveryCodes).toHaveLength(10);
      await changeOneTimePassword(page, account.oneTimePassword, NEW_PASSWORD);
      await unlockKeys(page, TEST_PASSPHRASE);

      // The case list, with the acknowledgment deadline of a new case.
      await page.waitFor({ testId: 'case-table' });
      expect(await page.count({ testId: 'case-table', css: 'tbody tr' })).toBe(1);
      expect(await page.textOf({ testId: 'case-table', css: 'tbody tr' })).toContain('Received');
      await page.click({ testId: 'case-table', css: 'tbody tr button' });

      // The report and the file, decrypted in the page. The report is signed with the case key and the
      // server's reply key is the one it names: no warning, replying is allowed.
      expect(await page.textOf({ testId: 'report-answers' })).toContain(SENTINELS.report);
      expect(await page.count({ testId: 'case-authenticity' })).toBe(0);
      expect(await page.count({ testId: 'reply-blocked' })).toBe(0);
      // The file is checked against the digest the signed report names before it is offered.
      expect(await page.count({ testId: 'report-files', css: 'li[data-file-check="signed"]' })).toBe(1);
      const download = await page.download({ role: 'button', name: `Decrypt and save ${SENTINELS.fileName}` });
      expect(download.filename).toBe(SENTINELS.fileName);
      expect(download.bytes.equals(FILE_BYTES)).toBe(true);

      // The follow-up's file under the follow-up, by its name, and saved under it; not among the report's files.
      const followupItem = { testId: 'thread', css: 'li.message.followup[data-authenticity="signed"]' };
      expect(await page.textOf(followupItem)).toContain(SENTINELS.followup);
      expect(await page.textOf(followupItem)).toContain('Signed by the reporter of this case.');
      expect(await page.count({ testId: 'followup-files', css: 'li[data-file-check="signed"]' })).toBe(1);
      expect(await page.textOf({ testId: 'followup-files' })).toContain(SENTINELS.followupFileName);
      expect(await page.textOf({ testId: 'report-files' })).not.toContain(SENTINELS.followupFileName);
      expect(await page.textOf({ testId: 'report-files' })).not.toContain('no name');
      const followupDownload = await page.download({ role: 'button', name: `Decrypt and save ${SENTINELS.followupFileName}` });
      expect(followupDownload.filename).toBe(SENTINELS.followupFileName);
      expect(followupDownload.bytes.equals(FOLLOWUP_FILE_BYTES)).toBe(true);

      // Triage: status, priority, assignee (the investigator), label.
      await page.select({ label: 'Status', exact: true }, { value: 'in-assessment' });
      await page.select({ label: 'Priority', exact: true }, { value: 'high' });
      await page.select({ label: 'Assignee', exact: true }, { label: 'inspector' });
      await page.fill({ label: 'Labels', exact: true }, 'harbour, public works');
      await page.click({ role: 'button', name: 'Save workflow' });
      await expect.poll(() => page.textOf({ testId: 'case-status' })).toBe('In assessment');
      expect(await page.textOf({ testId: 'case-priority' })).toBe('High');
      expect(await page.textOf({ testId: 'case-assignee' })).toBe('inspector');
      expect(await page.textOf({ testId: 'case-labels' })).toBe('harbour, public works');

      // A private note and a reply, each shown back decrypted from what the server stored.
      await page.fill({ label: 'Your note' }, `${SENTINELS.note}: ask the port authority for the minutes.`);
      await page.click({ role: 'button', name: 'Encrypt and save note' });
      await expect.poll(() => page.textOf({ testId: 'thread' })).toContain(SENTINELS.note);
      // The case is not acknowledged yet (a status change does not acknowledge): the reply form offers the acknowledgment first.
      await page.fill({ label: 'Your reply' }, `${SENTINELS.reply}: thank you, we are assessing your report.`);
      await page.click({ role: 'button', name: 'Encrypt and send acknowledgment' });
      await expect.poll(() => page.textOf({ testId: 'thread' })).toContain(SENTINELS.reply);
      expect(await page.textOf({ testId: 'thread' })).toMatch(/Private note.*Reply sent to the reporter/s);
      // Both signed with the investigator's key, which the body's directory lists under its label.
      for (const kind of ['note', 'reply-copy']) {
        expect(await page.textOf({ testId: 'thread', css: `li.message.${kind}[data-authenticity="signed"]` })).toContain('Signed by Investigator 1.');
      }
      expect(await page.count({ testId: 'thread', css: 'li[data-authenticity]:not([data-authenticity="signed"])' })).toBe(0);

      // The case's audit entries name what was done.
      const audit = await page.textOf({ testId: 'audit-table' });
      for (const action of ['Case opened', 'File downloaded', 'Status changed', 'Assignee changed', 'Note added', 'Reply sent']) expect(audit).toContain(action);
      // In words, never the raw action names or JSON.
      expect(audit).not.toMatch(/case\.[a-z-]+|[{}"]/);

      // Back in the list, the search runs over what this tab decrypted, and finds the case by the file's name too.
      await page.click({ role: 'button', name: '← All cases' });
      await expect.poll(() => page.textOf({ testId: 'case-table' })).toContain('In assessment');
      await page.fill({ label: 'Words or "a phrase"' }, `harbour ${SENTINELS.fileName}`);
      await page.click({ role: 'button', name: 'Search' });
      await expect.poll(() => page.count({ testId: 'search-hits', css: 'li' })).toBe(1);
      await page.fill({ label: 'Words or "a phrase"' }, 'harbour nonexistentword');
      await page.click({ role: 'button', name: 'Search' });
      await page.waitFor({ text: 'No decrypted case contains all these words.' });

      // Signing out locks the keys: back to the sign-in page, nothing decrypted left on screen.
      await page.click({ role: 'button', name: 'Sign out' });
      await page.waitFor({ role: 'heading', name: 'Sign in' });
      expect(await page.textOf({ css: 'body' })).not.toContain(SENTINELS.report);
      // Only the first look for a session, before signing in, and the wrong code were refused.
      expect(failedResponses).toEqual(['401 GET /api/v1/session', '400 POST /api/v1/account/totp']);
      await page.close();
    });

    it('when the reporter comes back with the token, then they read the reply, verified as the investigator’s, and the new status', async () => {
      const page = await newPage();
      await openCase(page, suite.site.site.baseUrl, token);
      const reply = { testId: 'replies', css: 'li[data-authenticity="signed"]' };
      expect(await page.textOf(reply)).toContain(`${SENTINELS.reply}: thank you, we are assessing your report.`);
      expect(await page.textOf({ testId: 'reply-author' })).toBe(`From: ${TEST_ROLE}`);
      expect(await page.count({ testId: 'reply-warning' })).toBe(0);
      expect(await page.textOf({ testId: 'case-status' })).toBe('Being assessed');
      // The private note is the investigators' only.
      expect(await page.textOf({ css: 'body' })).not.toContain(SENTINELS.note);
      await page.close();
    });

    it('when everything the browsers sent and the servers kept or logged is searched, then no plaintext and no passphrase is found', async () => {
      const { intake, config } = suite.site.site;
      const bodies = await requestBodies.all();
      const places = [
        ...requestBodyPlaces(bodies),
        ...storedFiles(intake.dataDir, [config.intake.clientDir, config.console.clientDir]),
        logPlace('intake log', intake.logLines),
        logPlace('console log', suite.site.consoleLogLines),
      ];
      expect(bodies.length).toBeGreaterThan(10);
      expect(requestBodies.unreadable).toBe(0);
      expect(suite.site.consoleLogLines.length).toBeGreaterThan(10);
      expect(sentinelsFound(places, [...Object.values(SENTINELS), TEST_PASSPHRASE, token, token.replaceAll('-', '')])).toEqual([]);
    });
  });
}
