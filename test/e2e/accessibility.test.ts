/**
 * WCAG 2.2 AA checks of every intake page with axe-core, in Chromium with the real CSP in force, and
 * the main path done with the keyboard alone.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe';
import type { CaseId } from '../../crypto/index';
import { withBrowserSite } from '../helpers/browser-intake';
import { signedReply, storeReply, unsignedReply } from '../helpers/signed-messages';

const suite = withBrowserSite();

async function openPage(): Promise<Page> {
  const page = await (await suite.chromium.newContext({ locale: 'en' })).newPage();
  await page.goto(suite.site.baseUrl);
  await page.getByRole('button', { name: 'Test Anti-Corruption Body' }).waitFor();
  return page;
}

describe('accessibility of the intake', () => {
  it('when each page of the submit flow is checked by axe, then none has a violation', async () => {
    const page = await openPage();
    const report: Record<string, string[]> = {};
    report.home = await axeViolations(page);
    await page.getByRole('button', { name: 'Test Anti-Corruption Body' }).click();
    await page.getByRole('button', { name: 'I understand, continue' }).waitFor();
    report.about = await axeViolations(page);
    await page.getByRole('button', { name: 'I understand, continue' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('Please answer this question.').waitFor();
    report.reportWithError = await axeViolations(page);
    await page.getByLabel('What happened?').fill('Accessible report.');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Continue to review' }).waitFor();
    report.files = await axeViolations(page);
    await page.getByRole('button', { name: 'Continue to review' }).click();
    await page.getByRole('button', { name: 'Encrypt and send' }).waitFor();
    report.review = await axeViolations(page);
    await page.getByRole('button', { name: 'Encrypt and send' }).click();
    await page.getByTestId('case-token').waitFor({ timeout: 60_000 });
    report.receipt = await axeViolations(page);
    const token = (await page.getByTestId('case-token').locator('span').allTextContents()).join('-');
    await page.getByLabel('To be sure you kept it').fill(token.slice(-4));
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Check a report you made' }).click();
    await page.getByLabel('Case token').fill('not a token');
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('alert').waitFor();
    report.checkWithError = await axeViolations(page);
    // The case view with a signed reply and an unsigned one in its warning box.
    const { intake } = suite.site;
    const { id: caseId } = intake.storage.db.prepare('SELECT id FROM cases').get() as { id: CaseId };
    storeReply(intake, caseId, await signedReply(intake.investigator, caseId, 'A signed reply.'), '2026-11-23');
    storeReply(intake, caseId, unsignedReply('An unsigned reply.'), '2026-11-24');
    await page.getByLabel('Case token').fill(token);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByTestId('case-status').waitFor();
    expect(await page.getByTestId('reply-author').count()).toBe(1);
    expect(await page.getByTestId('reply-warning').count()).toBe(1);
    report.caseView = await axeViolations(page);
    expect(report).toEqual({ home: [], about: [], reportWithError: [], files: [], review: [], receipt: [], checkWithError: [], caseView: [] });
    // The check can fail: an unlabelled field planted in the page is reported.
    await page.evaluate(() => document.querySelector('main')?.append(document.createElement('input')));
    expect((await axeViolations(page)).join()).toContain('label');
  });

  it('when only the keyboard is used, then a report can be started and the form reached', async () => {
    const page = await openPage();
    // The first Tab reaches the skip link, which leads to the main content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the main content');
    for (let i = 0; i < 10; i++) {
      if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Test Anti-Corruption Body') break;
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'I understand, continue' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('What happened?').waitFor();
    // The form's first error moves the focus to the field that needs an answer.
    await page.getByRole('button', { name: 'Continue' }).focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q-what');
  });

  it('when JavaScript is off (Tor Browser "Safest"), then the page explains why it is needed and how to allow it', async () => {
    const page = await (await suite.chromium.newContext({ locale: 'en', javaScriptEnabled: false })).newPage();
    await page.goto(suite.site.baseUrl);
    await expect.poll(() => page.getByRole('heading', { name: 'This site needs JavaScript to protect you' }).count()).toBe(1);
    expect(await page.locator('body').innerText()).toContain('Safer');
  });
});
