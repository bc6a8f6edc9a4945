/**
 * A console tab left alone: after the idle time without use it signs out by itself, so that what it
 * decrypted does not stay on the screen. The browser's clock is fast-forwarded (no real waiting).
 */
import { describe, expect, it } from 'vitest';
import { changeOneTimePassword, createConsoleAccount, enrollAuthenticatorApp, signInWithPassword, unlockKeys, withBrowserConsole } from '../helpers/browser-console';
import { testPageOf } from '../helpers/browser';
import { TEST_PASSPHRASE } from '../helpers/crypto';
import { TEST_BODY_ID, TestReporter } from '../helpers/intake';

const suite = withBrowserConsole();
const REPORT_TEXT = 'Kickbacks on the harbour dredging contract.';

describe('a console tab left alone', () => {
  it('when nobody uses it for the idle time, then it signs out and removes its keys and what it decrypted', async () => {
    const reporter = await TestReporter.create(suite.site.site.intake);
    await reporter.createCase(JSON.stringify({ format: 'candor-report', version: 1, bodyId: TEST_BODY_ID, answers: { what: REPORT_TEXT }, attachments: [] }));
    const account = await createConsoleAccount(suite.site, 'walker', { testKey: true });
    const page = await (await suite.chromium.newContext({ locale: 'en-GB' })).newPage();
    await page.clock.install();

    await signInWithPassword(testPageOf(page), suite.site.consoleUrl, account.username, account.oneTimePassword);
    await enrollAuthenticatorApp(testPageOf(page));
    await changeOneTimePassword(testPageOf(page), account.oneTimePassword, 'a walk-away long password');
    await unlockKeys(testPageOf(page), TEST_PASSPHRASE);
    // The case page's last request is its body's directory, for replies: it must be answered before
    // the clock jumps, since the keep-alive counts from the last answer.
    const directoryLoaded = page.waitForResponse((answer) => new URL(answer.url()).pathname.endsWith('/directory'));
    await page.getByTestId('case-table').getByRole('button', { name: /^Case / }).click();
    await page.getByText(REPORT_TEXT).waitFor();
    await directoryLoaded;

    // Someone reading for 20 minutes without requests keeps the session: a key pressed at 14, a keep-alive next.
    const sessionChecks: string[] = [];
    page.on('request', (sent) => {
      if (new URL(sent.url()).pathname === '/api/v1/session') sessionChecks.push(sent.method());
    });
    await page.clock.fastForward('14:00');
    expect(sessionChecks).toEqual([]);
    await page.keyboard.press('ArrowDown');
    const keptAlive = page.waitForResponse((answer) => new URL(answer.url()).pathname === '/api/v1/session');
    await page.clock.fastForward('06:00');
    expect((await keptAlive).status()).toBe(200);
    expect(sessionChecks).toEqual(['GET']);
    await expect(page.getByText(REPORT_TEXT).isVisible()).resolves.toBe(true);

    await page.clock.fastForward('30:00');
    await page.getByText('This tab was signed out after 30 minutes without use.').waitFor();
    expect(await page.getByText(REPORT_TEXT).count()).toBe(0);
    await page.getByLabel('User name').waitFor();
  });
});
