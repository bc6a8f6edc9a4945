/** A server that swaps the investigators' keys is caught in the browser before anything is written. */
import { describe, expect, it } from 'vitest';
import { generateDirectoryKeyPair, readSignedDirectoryDocument, signDirectory, type DirectoryDocumentV2 } from '../../crypto/index';
import { TEST_BODY_NAME, withBrowserSite } from '../helpers/browser-intake';
import { makeInvestigator } from '../helpers/crypto';
import { testDirectoryDocument, TEST_BODY_ID } from '../helpers/intake';
import type { Questionnaire } from '../../protocol/questionnaire';

const suite = withBrowserSite();

describe('directory verification in the browser', () => {
  it('when the body’s signed directory carries its own questions and policy, then the page shows those, in the reporter’s language, whatever the server stores', async () => {
    const { intake } = suite.site;
    const questionnaire: Questionnaire = {
      format: 'candor-questionnaire',
      version: 1,
      questions: [{ id: 'seen', kind: 'long-text', required: true, label: { en: 'What did you see?', fr: 'Qu’avez-vous vu ?' } }],
    };
    const policy = { en: 'Only our two case officers read reports.', fr: 'Seuls nos deux responsables de dossier lisent les signalements.' };
    const signed = signDirectory({ ...testDirectoryDocument([intake.investigator], { serial: 2 }), intake: { questionnaire, policy } }, intake.directoryKey.secretKey);
    intake.storage.bodies.save({ ...intake.storage.bodies.find(TEST_BODY_ID)!, signedDirectory: JSON.stringify(signed) });

    const page = await (await suite.chromium.newContext({ locale: 'fr-FR' })).newPage();
    await page.goto(suite.site.baseUrl);
    await page.getByRole('button', { name: TEST_BODY_NAME }).click();
    await expect.poll(() => page.getByTestId('body-policy').textContent()).toBe(policy.fr);
    await page.getByRole('button', { name: 'J’ai compris, continuer' }).click();
    await page.getByLabel('Qu’avez-vous vu ?').waitFor();
    // The questions the server stores for the body (the default questionnaire) are not asked.
    expect(await page.getByText('Que s’est-il passé ?').count()).toBe(0);
  });

  it('when the server serves a directory signed by a key the page does not pin, then the body is offered only as unverified and nothing can be written to it', async () => {
    const body = suite.site.intake.storage.bodies.find(TEST_BODY_ID)!;
    const genuine = readSignedDirectoryDocument(JSON.parse(body.signedDirectory)) as DirectoryDocumentV2;
    const attacker = await makeInvestigator('Attacker');
    const forged = signDirectory(
      { ...genuine, recipients: [{ label: 'Investigator', role: 'Investigator', fingerprint: attacker.generated.fingerprint, publicKey: attacker.generated.armoredPublicKey }] },
      generateDirectoryKeyPair().secretKey,
    );
    suite.site.intake.storage.bodies.save({ ...body, signedDirectory: JSON.stringify(forged) });

    const page = await (await suite.chromium.newContext({ locale: 'en' })).newPage();
    const posted: string[] = [];
    page.on('request', (request) => request.method() !== 'GET' && posted.push(request.url()));
    await page.goto(suite.site.baseUrl);
    await expect.poll(() => page.getByTestId('body-unverified').textContent()).toContain('could not be verified');
    // Neither the signed name nor the server's is offered, and the body's button cannot be pressed.
    expect(await page.getByRole('button', { name: TEST_BODY_NAME }).count()).toBe(0);
    expect(await page.getByRole('button', { name: TEST_BODY_ID }).isDisabled()).toBe(true);
    expect(posted).toEqual([]);
    expect(suite.site.intake.storage.db.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 0 });
  });
});
