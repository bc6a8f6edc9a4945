/** A server that swaps the investigators' keys is caught in the browser before anything is written. */
import { describe, expect, it } from 'vitest';
import { generateDirectoryKeyPair, signDirectory, type DirectoryDocument } from '../../crypto/index';
import { withBrowserSite } from '../helpers/browser-intake';
import { makeInvestigator } from '../helpers/crypto';
import { TEST_BODY_ID } from '../helpers/intake';

const suite = withBrowserSite();


describe('directory verification in the browser', () => {
  it('when the server serves a directory signed by a key the page does not pin, then the page refuses before the report is written', async () => {
    const body = suite.site.intake.storage.bodies.find(TEST_BODY_ID)!;
    const genuine = JSON.parse(Buffer.from(JSON.parse(body.signedDirectory).payload, 'base64url').toString()) as DirectoryDocument;
    const attacker = await makeInvestigator('Attacker');
    const forged = signDirectory(
      { ...genuine, recipients: [{ label: 'Investigator', fingerprint: attacker.generated.fingerprint, publicKey: attacker.generated.armoredPublicKey }] },
      generateDirectoryKeyPair().secretKey,
    );
    suite.site.intake.storage.bodies.save({ ...body, signedDirectory: JSON.stringify(forged) });

    const page = await (await suite.chromium.newContext({ locale: 'en' })).newPage();
    const posted: string[] = [];
    page.on('request', (request) => request.method() !== 'GET' && posted.push(request.url()));
    await page.goto(suite.site.baseUrl);
    await page.getByRole('button', { name: 'Test Anti-Corruption Body' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('could not be verified');
    expect(await page.getByRole('button', { name: 'I understand, continue' }).count()).toBe(0);
    expect(posted).toEqual([]);
    expect(suite.site.intake.storage.db.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 0 });
  });
});
