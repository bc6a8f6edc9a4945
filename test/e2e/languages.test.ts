/**
 * The intake in each of its languages, in Debian's Chromium: the browser's language is chosen, the
 * person can switch, Arabic is laid out right to left, and no page shows a raw message key.
 * Screenshots of the right-to-left pages are kept under test-results/ for a human to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from '../../client/intake/i18n/en';
import { LANGUAGES, type Language } from '../../client/intake/i18n/index';
import { DEFAULT_QUESTIONNAIRE } from '../../protocol/default-questionnaire';
import { withBrowserSite } from '../helpers/browser-intake';

const BODY_NAME = 'Test Anti-Corruption Body';
const RESULTS_DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));
const CATALOGUE_KEYS = new Set<string>(Object.keys(en));
const WHAT_QUESTION = DEFAULT_QUESTIONNAIRE.questions.find((question) => question.id === 'what')!;

const suite = withBrowserSite();

function language(code: string): Language {
  return LANGUAGES.find((candidate) => candidate.code === code)!;
}

async function openIntake(locale: string): Promise<{ page: Page; errors: string[] }> {
  const context = await suite.chromium.newContext({ locale, viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(suite.site.baseUrl);
  return { page, errors };
}

async function documentLanguage(page: Page): Promise<{ lang: string; dir: string; title: string }> {
  return page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir, title: document.title }));
}

/** Message keys, or unfilled placeholders, in the visible text: what a missing translation looks like. */
async function rawMessages(page: Page): Promise<string[]> {
  const text = `${await page.locator('body').innerText()}\n${await page.title()}`;
  const keys = [...text.matchAll(/\b[a-z]+\.[a-zA-Z-]+\b/g)].map((match) => match[0]).filter((word) => CATALOGUE_KEYS.has(word));
  return [...keys, ...[...text.matchAll(/\{\w+\}/g)].map((match) => match[0])];
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: join(RESULTS_DIR, name), fullPage: true });
}

/** How far an element's centre is along the line, from 0 (left edge of main) to 1 (right edge). */
async function horizontalPosition(page: Page, selector: string): Promise<number> {
  const main = (await page.locator('main').boundingBox())!;
  const box = (await page.locator(selector).first().boundingBox())!;
  return (box.x + box.width / 2 - main.x) / main.width;
}


describe('the intake in several languages', () => {
  it('when the browser speaks Arabic, then the pages are in Arabic, mirrored right to left, and the token still reads left to right', async () => {
    const ar = language('ar').messages;
    const { page, errors } = await openIntake('ar');
    await page.getByRole('heading', { level: 1, name: ar['app.title'] }).waitFor();
    await page.getByRole('button', { name: BODY_NAME }).waitFor();
    expect(await documentLanguage(page)).toEqual({ lang: 'ar', dir: 'rtl', title: ar['app.title'] });
    // Mirrored: the title leads the header from the right, the buttons start on the right.
    expect((await page.getByRole('button', { name: ar['app.title'] }).boundingBox())!.x).toBeGreaterThan((await page.locator('header select').boundingBox())!.x);
    expect(await horizontalPosition(page, `main button:text-is("${ar['home.check']}")`)).toBeGreaterThan(0.6);
    await screenshot(page, 'intake-rtl-home.png');

    await page.getByRole('button', { name: BODY_NAME }).click();
    await page.getByRole('heading', { level: 1, name: ar['about.heading'] }).waitFor();
    await screenshot(page, 'intake-rtl-about.png');
    await page.getByRole('button', { name: ar['about.continue'], exact: true }).click();
    const what = page.getByLabel(WHAT_QUESTION.label.ar!);
    await what.waitFor();
    // Text typed in another script keeps its own direction inside the right-to-left page.
    await what.fill('E2E: the tender was rigged — المناقصة مزوّرة.');
    await page.getByRole('button', { name: ar['report.continue'], exact: true }).scrollIntoViewIfNeeded();
    expect(await horizontalPosition(page, 'form .actions button')).toBeGreaterThan(0.6);
    await screenshot(page, 'intake-rtl-report.png');

    await page.getByRole('button', { name: ar['report.continue'], exact: true }).click();
    await page.getByRole('button', { name: ar['files.continue'] }).click();
    await page.getByRole('button', { name: ar['review.send'] }).click();
    const token = page.getByTestId('case-token');
    await token.waitFor({ timeout: 60_000 });
    // The groups of the token run left to right, in the order they are typed back.
    const groups = token.locator('span');
    const xs = await Promise.all((await groups.all()).map(async (group) => (await group.boundingBox())!.x));
    expect(xs).toHaveLength(7);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(ar['receipt.heading']);
    await screenshot(page, 'intake-rtl-receipt.png');

    // Coming back with a mistyped token: the field stays left to right and the error is in Arabic.
    const typed = (await groups.allTextContents()).join('-');
    await page.getByLabel(ar['receipt.confirmLabel']).fill(typed.slice(-4));
    await page.getByRole('button', { name: ar['receipt.confirm'], exact: true }).click();
    await page.getByRole('button', { name: ar['home.check'] }).click();
    const typo = `${typed.slice(0, 5)}${typed[5] === 'A' ? 'B' : 'A'}${typed.slice(6)}`;
    await page.getByLabel(ar['check.tokenLabel'], { exact: true }).fill(typo);
    await page.getByRole('button', { name: ar['check.open'] }).click();
    await page.getByText(ar['error.token-checksum-mismatch']).waitFor();
    expect(await page.getByLabel(ar['check.tokenLabel'], { exact: true }).evaluate((input) => getComputedStyle(input).direction)).toBe('ltr');
    await screenshot(page, 'intake-rtl-check.png');
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('when the browser speaks Spanish from Spain, then the intake starts in Spanish', async () => {
    const { page } = await openIntake('es-ES');
    await page.getByRole('heading', { level: 1, name: language('es').messages['app.title'] }).waitFor();
    expect(await documentLanguage(page)).toEqual({ lang: 'es', dir: 'ltr', title: language('es').messages['app.title'] });
    expect(await page.locator('header select').inputValue()).toBe('es');
  });

  it('when the person picks Français and then العربية, then the texts, lang and dir follow, and the draft is kept', async () => {
    const fr = language('fr').messages;
    const ar = language('ar').messages;
    const { page, errors } = await openIntake('en-GB');
    await page.getByRole('heading', { level: 1, name: en['app.title'] }).waitFor();
    await page.getByRole('button', { name: BODY_NAME }).click();
    await page.getByRole('button', { name: en['about.continue'] }).click();
    await page.getByLabel(WHAT_QUESTION.label.en!).fill('A draft that must survive a change of language.');

    await page.locator('header select').selectOption({ label: 'Français' });
    await expect.poll(() => documentLanguage(page)).toEqual({ lang: 'fr', dir: 'ltr', title: fr['app.title'] });
    await page.getByRole('heading', { level: 1, name: fr['report.heading'] }).waitFor();
    expect(await page.getByText(en['report.heading'], { exact: true }).count()).toBe(0);
    // The body's questionnaire follows too, and what was typed is still there.
    expect(await page.getByLabel(WHAT_QUESTION.label.fr!).inputValue()).toBe('A draft that must survive a change of language.');
    expect(await page.getByRole('button', { name: fr['app.title'] }).count()).toBe(1);

    await page.locator('header select').selectOption({ label: 'العربية' });
    await expect.poll(() => documentLanguage(page)).toEqual({ lang: 'ar', dir: 'rtl', title: ar['app.title'] });
    await page.getByRole('heading', { level: 1, name: ar['report.heading'] }).waitFor();
    expect(await page.getByLabel(WHAT_QUESTION.label.ar!).inputValue()).toBe('A draft that must survive a change of language.');
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it.each(LANGUAGES.map((l) => [l.name, l] as const))(
    'when the browser speaks %s, then home, about and the report form show no raw message key',
    async (_name, candidate) => {
      const t = (key: MessageKey) => candidate.messages[key];
      const { page, errors } = await openIntake(candidate.code);
      await page.getByRole('heading', { level: 1, name: t('app.title') }).waitFor();
      await page.getByRole('button', { name: BODY_NAME }).waitFor();
      expect(await documentLanguage(page)).toEqual({ lang: candidate.code, dir: candidate.direction, title: t('app.title') });
      expect(await rawMessages(page)).toEqual([]);

      await page.getByRole('button', { name: BODY_NAME }).click();
      await page.getByRole('heading', { level: 1, name: t('about.heading') }).waitFor();
      expect(await page.getByText(BODY_NAME).count()).toBe(1);
      expect(await rawMessages(page)).toEqual([]);

      await page.getByRole('button', { name: t('about.continue'), exact: true }).click();
      await page.getByRole('heading', { level: 1, name: t('report.heading') }).waitFor();
      // The reporter presses on without answering, so the form's error message shows as well.
      await page.getByRole('button', { name: t('report.continue'), exact: true }).click();
      await expect.poll(() => page.getByText(t('report.missing')).count()).toBe(1);
      await page.getByLabel(WHAT_QUESTION.label[candidate.code]!).waitFor();
      expect(await rawMessages(page)).toEqual([]);
      expect(errors, errors.join('\n')).toEqual([]);
    },
  );
});
