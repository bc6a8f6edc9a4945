/**
 * WCAG 2.2 AA checks with axe-core on every page of the review console, in Chromium with the real CSP
 * in force: an investigator's pages from the first sign-in to a decrypted case, and an admin's pages.
 * Also where the focus goes, which axe cannot see.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { totpCode } from '../../server/console/auth/totp';
import { axeViolations } from '../helpers/axe';
import {
  changeOneTimePassword,
  createConsoleAccount,
  enrollAuthenticatorApp,
  signInWithPassword,
  unlockKeys,
  withBrowserConsole,
} from '../helpers/browser-console';
import { testPageOf } from '../helpers/browser';
import { TEST_PASSPHRASE } from '../helpers/crypto';
import { TEST_BODY_ID, TestReporter } from '../helpers/intake';

const PASSWORD = 'an accessible long password';
const suite = withBrowserConsole();

async function newPage(): Promise<Page> {
  return (await suite.chromium.newContext({ locale: 'en-GB' })).newPage();
}

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '');

describe('accessibility of the review console', () => {
  it('when each investigator page is checked by axe, then none has a violation, and each new page takes the focus', async () => {
    const reporter = await TestReporter.create(suite.site.site.intake);
    await reporter.createCase(JSON.stringify({ format: 'candor-report', version: 1, bodyId: TEST_BODY_ID, answers: { what: 'Rigged tender for the ring road.' }, attachments: [] }));
    const account = await createConsoleAccount(suite.site, 'reader', { testKey: true });
    const page = await newPage();
    const report: Record<string, string[]> = {};

    await page.goto(suite.site.consoleUrl);
    await page.getByLabel('User name').waitFor();
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Skip to the main content');
    report.signIn = await axeViolations(page);
    await signInWithPassword(testPageOf(page), suite.site.consoleUrl, account.username, 'not the password');
    await page.getByRole('alert').waitFor();
    report.signInWithError = await axeViolations(page);
    await signInWithPassword(testPageOf(page), suite.site.consoleUrl, account.username, account.oneTimePassword);
    await page.getByTestId('totp-secret').waitFor();
    expect(await focusedText(page)).toBe('Set up a second step');
    report.enroll = await axeViolations(page);
    const { totpSecret } = await enrollmentWithCheckedCodesPage(page, report);
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').waitFor();
    report.changePasswordWithError = await axeViolations(page);
    await changeOneTimePassword(testPageOf(page), account.oneTimePassword, PASSWORD);
    await page.getByLabel('Key passphrase').waitFor();
    report.unlock = await axeViolations(page);
    await unlockKeys(testPageOf(page), TEST_PASSPHRASE);
    await page.getByTestId('case-table').waitFor();
    expect(await focusedText(page)).toBe('Cases');
    report.caseList = await axeViolations(page);
    await page.getByRole('button', { name: 'Decrypt the 1 listed case(s) for searching' }).click();
    await page.getByText('1 case(s) decrypted.').waitFor();
    await page.getByLabel('Words or "a phrase"').fill('ring road');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByTestId('search-hits').waitFor();
    report.search = await axeViolations(page);
    await page.getByTestId('case-table').getByRole('button', { name: /^Case / }).click();
    await page.getByTestId('report-answers').waitFor();
    report.caseView = await axeViolations(page);
    await page.getByRole('button', { name: 'Save workflow' }).click();
    await page.getByText('Nothing was changed.').waitFor();
    report.caseViewWithError = await axeViolations(page);
    await page.getByRole('button', { name: 'Account' }).click();
    // The key unlocked in this tab is marked: its fingerprint is the one to read out to the admin.
    await page.locator('.fingerprints li', { hasText: 'checked in this browser' }).waitFor();
    await page.getByRole('button', { name: 'Replace my key' }).click();
    await page.getByRole('button', { name: 'Generate and store my key' }).waitFor();
    // The e-mail alerts form, loaded with the page (issue 17).
    await page.getByLabel('Your e-mail address').waitFor();
    report.accountWithKeyForm = await axeViolations(page);

    // Signing in again: the second step, by code.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInWithPassword(testPageOf(page), suite.site.consoleUrl, account.username, PASSWORD);
    await page.getByLabel('Code from your authenticator app').waitFor();
    report.secondFactor = await axeViolations(page);
    // The next step's code: the one the enrollment used cannot be used twice.
    await page.getByLabel('Code from your authenticator app').fill(totpCode(totpSecret, new Date(Date.now() + 30_000)));
    await page.getByRole('button', { name: 'Verify code' }).click();
    await page.getByRole('heading', { name: 'Unlock your keys' }).waitFor();

    expect(report).toEqual({
      signIn: [],
      signInWithError: [],
      enroll: [],
      recoveryCodes: [],
      changePasswordWithError: [],
      unlock: [],
      caseList: [],
      search: [],
      caseView: [],
      caseViewWithError: [],
      accountWithKeyForm: [],
      secondFactor: [],
    });
    // The check can fail: an unlabelled field planted in the page is reported.
    await page.evaluate(() => document.querySelector('main')?.append(document.createElement('input')));
    expect((await axeViolations(page)).join()).toContain('label');
  });

  it('when each admin page is checked by axe, then none has a violation', async () => {
    const admin = await createConsoleAccount(suite.site, 'overseer', { role: 'admin' });
    const page = await newPage();
    const report: Record<string, string[]> = {};
    await signInWithPassword(testPageOf(page), suite.site.consoleUrl, admin.username, admin.oneTimePassword);
    await enrollAuthenticatorApp(testPageOf(page));
    await changeOneTimePassword(testPageOf(page), admin.oneTimePassword, PASSWORD);

    await page.getByTestId('accounts-table').waitFor();
    report.accounts = await axeViolations(page);
    await page.getByLabel('User name').fill('newcomer');
    await page.getByLabel('Test Anti-Corruption Body').check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('one-time-password').waitFor();
    await page.getByRole('button', { name: 'Disable newcomer' }).click();
    await page.getByRole('button', { name: 'Yes, do it' }).waitFor();
    report.accountsWithPasswordAndConfirmation = await axeViolations(page);
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Bodies' }).click();
    await page.getByRole('button', { name: 'Show directory of Test Anti-Corruption Body' }).click();
    await page.getByTestId('directory').waitFor();
    report.bodiesWithDirectory = await axeViolations(page);

    await page.getByRole('button', { name: 'Audit log' }).click();
    await page.getByTestId('audit-table').waitFor();
    report.audit = await axeViolations(page);

    expect(report).toEqual({ accounts: [], accountsWithPasswordAndConfirmation: [], bodiesWithDirectory: [], audit: [] });
  });
});

/** Enrolls the app, checking the recovery-code page on the way. */
async function enrollmentWithCheckedCodesPage(page: Page, report: Record<string, string[]>): Promise<{ totpSecret: string }> {
  const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
  await page.getByLabel('Code from the app').fill(totpCode(secret, new Date()));
  await page.getByRole('button', { name: 'Confirm the app' }).click();
  await page.getByTestId('recovery-codes').waitFor();
  report.recoveryCodes = await axeViolations(page);
  await page.getByLabel('I have stored these codes somewhere safe').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  return { totpSecret: secret };
}
