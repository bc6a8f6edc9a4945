/** A server that swaps the investigators' keys is caught in the browser before anything is written. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDirectoryKeyPair, signDirectory, type DirectoryDocument } from '../../crypto/index';
import { launchChromium, type LaunchedBrowser } from '../helpers/browser';
import { startBrowserIntake, type BrowserIntake } from '../helpers/browser-intake';
import { makeInvestigator } from '../helpers/crypto';
import { TEST_BODY_ID } from '../helpers/intake';

let site: BrowserIntake;
let chromium: LaunchedBrowser;

beforeAll(async () => {
  site = await startBrowserIntake();
  chromium = await launchChromium();
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await site?.close();
});

describe('directory verification in the browser', () => {
  it('when the server serves a directory signed by a key the page does not pin, then the page refuses before the report is written', async () => {
    const body = site.intake.storage.bodies.find(TEST_BODY_ID)!;
    const genuine = JSON.parse(Buffer.from(JSON.parse(body.signedDirectory).payload, 'base64url').toString()) as DirectoryDocument;
    const attacker = await makeInvestigator('Attacker');
    const forged = signDirectory(
      { ...genuine, recipients: [{ label: 'Investigator', fingerprint: attacker.generated.fingerprint, publicKey: attacker.generated.armoredPublicKey }] },
      generateDirectoryKeyPair().secretKey,
    );
    site.intake.storage.bodies.save({ ...body, signedDirectory: JSON.stringify(forged) });

    const page = await (await chromium.browser.newContext({ locale: 'en' })).newPage();
    const posted: string[] = [];
    page.on('request', (request) => request.method() !== 'GET' && posted.push(request.url()));
    await page.goto(site.baseUrl);
    await page.getByRole('button', { name: 'Test Anti-Corruption Body' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('could not be verified');
    expect(await page.getByRole('button', { name: 'I understand, continue' }).count()).toBe(0);
    expect(posted).toEqual([]);
    expect(site.intake.storage.db.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 0 });
  });
});
