/** An upload survives the server dropping the connection in the middle of a file. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptAttachment, decryptReport, utf8Decode, type AttachmentId, type CaseId } from '../../crypto/index';
import { launchChromium, type LaunchedBrowser } from '../helpers/browser';
import { startBrowserIntake, type BrowserIntake } from '../helpers/browser-intake';
import { patternBytes, readAll, streamOf } from '../helpers/crypto';

let site: BrowserIntake;
let chromium: LaunchedBrowser;
const dropped: string[] = [];

beforeAll(async () => {
  site = await startBrowserIntake({
    // The second piece of the upload: the server reads a little of it, then the connection dies.
    intercept: (req) => {
      const piece = /\/api\/v1\/case\/uploads\/[^/?]+\?offset=([1-9]\d*)$/.exec(req.url ?? '');
      if (req.method !== 'PUT' || piece === null || dropped.length > 0) return false;
      dropped.push(piece[1]!);
      req.once('data', () => req.socket.destroy());
      return true;
    },
  });
  chromium = await launchChromium();
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await site?.close();
});

describe('resumable uploads in the browser', () => {
  it('when the connection drops mid-file, then the browser resumes and the investigator gets the whole file', async () => {
    const file = Buffer.from(patternBytes(2_500_000, 99));
    const page = await (await chromium.browser.newContext({ locale: 'en' })).newPage();
    await page.goto(site.baseUrl);
    await page.getByRole('button', { name: 'Test Anti-Corruption Body' }).click();
    await page.getByRole('button', { name: 'I understand, continue' }).click();
    await page.getByLabel('What happened?').fill('A large ledger is attached.');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#files-input').setInputFiles([{ name: 'ledger.bin', mimeType: 'application/octet-stream', buffer: file }]);
    await page.getByRole('button', { name: 'Continue to review' }).click();
    await page.getByRole('button', { name: 'Encrypt and send' }).click();
    await page.getByTestId('case-token').waitFor({ timeout: 90_000 });
    expect(dropped).toHaveLength(1);
    expect(await page.getByRole('alert').count()).toBe(0);

    const { id } = site.intake.storage.db.prepare('SELECT id FROM cases').get() as { id: CaseId };
    const [report] = site.intake.storage.cases.objects(id, ['report']);
    const document = JSON.parse(utf8Decode(await decryptReport(report!.ciphertext, site.intake.investigator.key, { caseId: id }))) as {
      attachments: { id: string }[];
    };
    const attachmentId = document.attachments[0]!.id as AttachmentId;
    const blob = readFileSync(join(site.intake.dataDir, 'blobs', attachmentId));
    const plaintext = await readAll(decryptAttachment(streamOf(blob), site.intake.investigator.key, { caseId: id, attachmentId }));
    expect(Buffer.from(plaintext).equals(file)).toBe(true);
  });
});
