/**
 * The whole path in Debian's Chromium: a whistleblower submits a report with a file on the intake;
 * an investigator signs in to the review console for the first time (one-time password, authenticator
 * app, own password), unlocks the key, decrypts the report and the file, triages the case, writes a
 * note and a reply; the reporter reads the reply with the token. Every request body both pages sent,
 * every file the server wrote and both logs are then searched for the plaintext.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { recordRequestBodies } from '../helpers/browser';
import { changeOneTimePassword, createConsoleAccount, enrollAuthenticatorApp, signInWithPassword, unlockKeys, withBrowserConsole } from '../helpers/browser-console';
import { sendReportAndReadToken } from '../helpers/browser-intake';
import { TEST_PASSPHRASE } from '../helpers/crypto';
import { logPlace, requestBodyPlaces, sentinelsFound, storedFiles } from '../helpers/stored-bytes';

const SENTINELS = {
  report: 'CONSOLE-SENTINEL-REPORT-5d1e',
  fileContent: 'CONSOLE-SENTINEL-FILE-CONTENT-93ab',
  fileName: 'CONSOLE-SENTINEL-NAME-0c47.txt',
  note: 'CONSOLE-SENTINEL-NOTE-b2f8',
  reply: 'CONSOLE-SENTINEL-REPLY-7e60',
};
const FILE_BYTES = Buffer.from(`${SENTINELS.fileContent}\n`.repeat(2000));
const NEW_PASSWORD = 'a passphrase the investigator chose';

const suite = withBrowserConsole();
const requestBodies: Buffer[] = [];
const pageErrors: string[] = [];
const failedResponses: string[] = [];

async function newPage(): Promise<Page> {
  const context = await suite.chromium.browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  recordRequestBodies(page, requestBodies);
  // Failed loads are checked by their address below; the console's copy of them says less.
  page.on('console', (message) => message.type() === 'error' && !message.text().startsWith('Failed to load resource') && pageErrors.push(message.text()));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('response', (response) => response.status() >= 400 && failedResponses.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`));
  return page;
}

describe('the review console in a real browser', () => {
  let token = '';

  it('when a whistleblower submits a report with a file, then they get a token', async () => {
    const page = await newPage();
    await page.goto(suite.site.site.baseUrl);
    await page.getByRole('button', { name: 'Test Anti-Corruption Body' }).click();
    await page.getByRole('button', { name: 'I understand, continue' }).click();
    await page.getByLabel('What happened?').fill(`${SENTINELS.report}: the harbour contract went to the mayor's cousin.`);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#files-input').setInputFiles([{ name: SENTINELS.fileName, mimeType: 'text/plain', buffer: FILE_BYTES }]);
    token = await sendReportAndReadToken(page);
    expect(token).toMatch(/^([0-9A-Z]{4}-){6}[0-9A-Z]{4}$/);
    await page.context().close();
  });

  it('when the investigator signs in for the first time, then they set up a second step and a password, decrypt the report and the file, and answer', async () => {
    const account = await createConsoleAccount(suite.site, 'inspector', { testKey: true });
    const page = await newPage();
    const { consoleUrl } = suite.site;

    await signInWithPassword(page, consoleUrl, account.username, account.oneTimePassword);
    const { recoveryCodes } = await enrollAuthenticatorApp(page);
    expect(recoveryCodes).toHaveLength(10);
    await changeOneTimePassword(page, account.oneTimePassword, NEW_PASSWORD);
    await unlockKeys(page, TEST_PASSPHRASE);

    // The case list, with the acknowledgment deadline of a new case.
    const table = page.getByTestId('case-table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(1);
    expect(await table.locator('tbody tr').textContent()).toContain('Received');
    await table.getByRole('button', { name: /^Case / }).click();

    // The report and the file, decrypted in the page.
    const answers = page.getByTestId('report-answers');
    await answers.waitFor();
    expect(await answers.textContent()).toContain(SENTINELS.report);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Decrypt and save ${SENTINELS.fileName}` }).click()]);
    expect(download.suggestedFilename()).toBe(SENTINELS.fileName);
    expect(readFileSync((await download.path())!).equals(FILE_BYTES)).toBe(true);

    // Triage: status, priority, assignee (the investigator), label.
    await page.getByLabel('Status', { exact: true }).selectOption('in-assessment');
    await page.getByLabel('Priority', { exact: true }).selectOption('high');
    await page.getByLabel('Assignee', { exact: true }).selectOption({ label: 'inspector' });
    await page.getByLabel('Labels', { exact: true }).fill('harbour, public works');
    await page.getByRole('button', { name: 'Save workflow' }).click();
    await expect.poll(() => page.getByTestId('case-status').textContent()).toBe('In assessment');
    expect(await page.getByTestId('case-priority').textContent()).toBe('High');
    expect(await page.getByTestId('case-assignee').textContent()).toBe('inspector');
    expect(await page.getByTestId('case-labels').textContent()).toBe('harbour, public works');

    // A private note and a reply, each shown back decrypted from what the server stored.
    await page.getByLabel('Your note').fill(`${SENTINELS.note}: ask the port authority for the minutes.`);
    await page.getByRole('button', { name: 'Encrypt and save note' }).click();
    await expect.poll(() => page.getByTestId('thread').textContent()).toContain(SENTINELS.note);
    await page.getByLabel('Your reply').fill(`${SENTINELS.reply}: thank you, we are assessing your report.`);
    await page.getByRole('button', { name: 'Encrypt and send reply' }).click();
    await expect.poll(() => page.getByTestId('thread').textContent()).toContain(SENTINELS.reply);
    expect(await page.getByTestId('thread').textContent()).toMatch(/Private note.*Reply sent to the reporter/s);

    // The case's audit entries name what was done.
    const audit = (await page.getByTestId('audit-table').textContent()) ?? '';
    for (const action of ['case.viewed', 'case.attachment-downloaded', 'case.status-changed', 'case.assigned', 'case.note-added', 'case.replied']) expect(audit).toContain(action);

    // Back in the list, the search runs over what this tab decrypted, and finds the case by the file's name too.
    await page.getByRole('button', { name: '← All cases' }).click();
    await expect.poll(() => page.getByTestId('case-table').textContent()).toContain('In assessment');
    await page.getByLabel('Words or "a phrase"').fill(`harbour ${SENTINELS.fileName}`);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.getByTestId('search-hits').locator('li').count()).toBe(1);
    await page.getByLabel('Words or "a phrase"').fill('harbour nonexistentword');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.getByText('No decrypted case contains all these words.').count()).toBe(1);

    // Signing out locks the keys: back to the sign-in page, nothing decrypted left on screen.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.locator('body').textContent()).not.toContain(SENTINELS.report);
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
    // Only the first look for a session, before signing in, was refused.
    expect(failedResponses).toEqual(['401 GET /api/v1/session']);
  });

  it('when the reporter comes back with the token, then they read the reply and the new status', async () => {
    const page = await newPage();
    await page.goto(suite.site.site.baseUrl);
    await page.getByRole('button', { name: 'Check a report you made' }).click();
    await page.getByLabel('Case token').fill(token);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByTestId('replies').waitFor();
    expect(await page.getByTestId('replies').textContent()).toContain(`${SENTINELS.reply}: thank you, we are assessing your report.`);
    expect(await page.getByTestId('case-status').textContent()).toBe('Being assessed');
    // The private note is the investigators' only.
    expect(await page.locator('body').textContent()).not.toContain(SENTINELS.note);
  });

  it('when everything the browsers sent and the servers kept or logged is searched, then no plaintext and no passphrase is found', () => {
    const { intake, config } = suite.site.site;
    const places = [
      ...requestBodyPlaces(requestBodies),
      ...storedFiles(intake.dataDir, [config.intake.clientDir, config.console.clientDir]),
      logPlace('intake log', intake.logLines),
      logPlace('console log', suite.site.consoleLogLines),
    ];
    expect(requestBodies.length).toBeGreaterThan(10);
    expect(suite.site.consoleLogLines.length).toBeGreaterThan(10);
    expect(sentinelsFound(places, [...Object.values(SENTINELS), TEST_PASSPHRASE, token, token.replaceAll('-', '')])).toEqual([]);
  });
});
