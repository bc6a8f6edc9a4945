/**
 * The intake as a whistleblower uses it, in Debian's Chromium: submit a report with two files, keep
 * the token, come back with it. Every request body the browser sends is captured and searched for
 * the plaintext; so are the server's files and log.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decryptAttachment,
  decryptReport,
  sealReply,
  utf8Decode,
  utf8Encode,
  type AttachmentId,
  type CaseId,
} from '../../crypto/index';
import { launchChromium, recordRequestBodies, type LaunchedBrowser } from '../helpers/browser';
import { sendReportAndReadToken, startBrowserIntake, type BrowserIntake } from '../helpers/browser-intake';
import { readAll, streamOf } from '../helpers/crypto';
import type { TestIntake } from '../helpers/intake';
import { logPlace, requestBodyPlaces, sentinelsFound, storedFiles } from '../helpers/stored-bytes';

const SENTINELS = {
  report: 'E2E-SENTINEL-REPORT-a81f',
  fileContent: 'E2E-SENTINEL-FILE-CONTENT-4c2e',
  fileName: 'E2E-SENTINEL-NAME-77d0.txt',
  followup: 'E2E-SENTINEL-FOLLOWUP-19be',
};

let site: BrowserIntake;
let intake: TestIntake;
let baseUrl: string;
let chromium: LaunchedBrowser;
const requestBodies: Buffer[] = [];

async function newPage(): Promise<Page> {
  const context = await chromium.browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  recordRequestBodies(page, requestBodies);
  return page;
}

beforeAll(async () => {
  site = await startBrowserIntake();
  ({ intake, baseUrl } = site);
  chromium = await launchChromium();
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await site?.close();
});

describe('the intake in a real browser', () => {
  let token = '';

  it('when a whistleblower submits a report with two files, then they get a token and the investigator reads everything', async () => {
    const page = await newPage();
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto(baseUrl);
    await page.getByRole('button', { name: 'Test Anti-Corruption Body' }).click();
    await page.getByRole('button', { name: 'I understand, continue' }).click();
    // Continuing without the required answer names the field.
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.getByText('Please answer this question.').count()).toBe(1);
    await page.getByLabel('What happened?').fill(`${SENTINELS.report} — the tender was rigged.`);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#files-input').setInputFiles([
      { name: SENTINELS.fileName, mimeType: 'text/plain', buffer: Buffer.from(`${SENTINELS.fileContent}\n`.repeat(3000)) },
      { name: 'photo.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(5000, 7) },
    ]);
    await expect.poll(() => page.getByText(SENTINELS.fileName, { exact: false }).count()).toBeGreaterThan(0);
    token = await sendReportAndReadToken(page);
    expect(token).toMatch(/^([0-9A-Z]{4}-){6}[0-9A-Z]{4}$/);
    // The check on leaving catches a mistyped group, then accepts the right one.
    await page.getByLabel('To be sure you kept it').fill('XXXX');
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByText('That does not match').count()).toBe(1);
    await page.getByLabel('To be sure you kept it').fill(token.slice(-4).toLowerCase());
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Check a report you made' }).waitFor();
    expect(errors, errors.join('\n')).toEqual([]);

    // The investigator's side, with the crypto core: the report and both files decrypt.
    const [caseRecord] = intake.storage.db.prepare('SELECT id FROM cases').all() as { id: CaseId }[];
    const caseId = caseRecord!.id;
    const [report] = intake.storage.cases.objects(caseId, ['report']);
    const document = JSON.parse(utf8Decode(await decryptReport(report!.ciphertext, intake.investigator.key, { caseId }))) as {
      answers: Record<string, string>;
      attachments: { id: string; name: string; size: number }[];
    };
    expect(document.answers.what).toContain(SENTINELS.report);
    expect(document.attachments.map((a) => a.name)).toEqual([SENTINELS.fileName, 'photo.bin']);
    const stored = intake.storage.attachments.attachmentsOf(caseId);
    expect(stored.map((a) => a.id).sort()).toEqual(document.attachments.map((a) => a.id).sort());
    const textFile = document.attachments[0]!;
    const blob = readFileSync(join(intake.dataDir, 'blobs', textFile.id));
    const plaintext = await readAll(decryptAttachment(streamOf(blob), intake.investigator.key, { caseId, attachmentId: textFile.id as AttachmentId }));
    expect(Buffer.from(plaintext).toString()).toBe(`${SENTINELS.fileContent}\n`.repeat(3000));
  });

  it('when the reporter types the token with a typo, then the page says so without asking the server', async () => {
    const page = await newPage();
    await page.goto(baseUrl);
    await page.getByRole('button', { name: 'Check a report you made' }).click();
    const before = requestBodies.length;
    const typo = `${token.slice(0, 5)}${token[5] === 'A' ? 'B' : 'A'}${token.slice(6)}`;
    await page.getByLabel('Case token').fill(typo);
    await page.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.getByText('There is a typo in the token').count()).toBe(1);
    expect(requestBodies.length).toBe(before);
  });

  it('when the reporter comes back with the token, then they read the reply and add information', async () => {
    const caseId = (intake.storage.db.prepare('SELECT id, reply_public_key FROM cases').get() as { id: string; reply_public_key: Buffer });
    intake.storage.cases.addObject(caseId.id, 'reply', sealReply(new Uint8Array(caseId.reply_public_key), utf8Encode('Thank you, we have opened an assessment.')), '2026-11-23' as never);
    const page = await newPage();
    await page.goto(baseUrl);
    await page.getByRole('button', { name: 'Check a report you made' }).click();
    await page.getByLabel('Case token').fill(token.toLowerCase().replaceAll('-', ' '));
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByTestId('replies').waitFor();
    expect(await page.getByTestId('replies').textContent()).toContain('Thank you, we have opened an assessment.');
    expect(await page.getByTestId('case-status').textContent()).toBe('Received');
    await page.getByLabel('Your message').fill(SENTINELS.followup);
    await page.getByRole('button', { name: 'Encrypt and send' }).click();
    await expect.poll(() => page.getByText('Sent.').count()).toBe(1);
    expect(intake.storage.cases.objects(caseId.id, ['followup'])).toHaveLength(1);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Check a report you made' }).waitFor();
  });

  it('when everything the browser sent and the server kept is searched, then no plaintext is found', () => {
    const places = [...requestBodyPlaces(requestBodies), ...storedFiles(intake.dataDir, [site.config.intake.clientDir]), logPlace('log', intake.logLines)];
    expect(requestBodies.length).toBeGreaterThan(5);
    expect(sentinelsFound(places, [...Object.values(SENTINELS), token, token.replaceAll('-', '')])).toEqual([]);
  });
});
