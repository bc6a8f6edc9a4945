/**
 * Debian's Firefox ESR (the base of Tor Browser) driven by puppeteer-core over WebDriver BiDi, a fresh
 * temporary profile per launch, nothing but loopback (./firefox-prefs.ts). playwright-core's Firefox
 * support needs Playwright's own patched build; puppeteer-core speaks BiDi to the stock browser.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { Puppeteer, type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { LOOPBACK_ONLY_PREFS, TOR_SAFER_JAVASCRIPT_PREFS } from './firefox-prefs';
import {
  CSP_VIOLATION_PREFIX,
  DEFAULT_WAIT_MS,
  describeFailedResponse,
  reportCspViolations,
  type FileToPick,
  type PageActivity,
  type PageOptions,
  type RequestBodies,
  type Target,
  type TestBrowser,
  type TestPage,
} from './test-browser';

export const FIREFOX_PATH = process.env.CANDOR_FIREFOX ?? '/usr/bin/firefox-esr';

export interface FirefoxOptions {
  /** Tor Browser's "Safer" level: no JIT, no WebAssembly (the intake must work so). */
  readonly safer?: boolean;
}

const LABEL_QUERY = 'candorLabel';

/**
 * Form fields by their label, as Playwright's getByLabel finds them: a <label> (its control), an
 * aria-label or an aria-labelledby. The selector is the label, `=` first for a whole match; otherwise
 * it matches the start of a longer label.
 */
function registerLabelQuery(): void {
  if (Puppeteer.customQueryHandlerNames().includes(LABEL_QUERY)) return;
  Puppeteer.registerCustomQueryHandler(LABEL_QUERY, {
  queryAll: (root, selector) => {
    const exact = selector.startsWith('=');
    const wanted = (exact ? selector.slice(1) : selector).toLowerCase();
    const normal = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
    const matches = (text: string | null | undefined) => (exact ? normal(text) === wanted : normal(text).startsWith(wanted));
    const scope = root as ParentNode;
    const document = (root as Node).ownerDocument ?? (root as Document);
    const found = new Set<Element>();
    for (const label of scope.querySelectorAll('label')) if (label.control !== null && matches(label.textContent)) found.add(label.control);
    for (const element of scope.querySelectorAll('[aria-label]')) if (matches(element.getAttribute('aria-label'))) found.add(element);
    for (const element of scope.querySelectorAll('[aria-labelledby]')) {
      const ids = (element.getAttribute('aria-labelledby') ?? '').split(/\s+/);
      if (matches(ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' '))) found.add(element);
    }
    return [...found];
  },
  });
}

function cssString(value: string): string {
  return JSON.stringify(value);
}

function selectorOf(target: Target): string {
  // Puppeteer reads an accessible name unquoted, up to the role in brackets.
  if ('role' in target) return `::-p-aria(${target.name ?? ''}[role="${target.role}"])`;
  if ('label' in target) return `::-p-${LABEL_QUERY}(${cssString(target.exact === true ? `=${target.label}` : target.label)})`;
  if ('text' in target) return `::-p-text(${cssString(target.text)})`;
  if ('testId' in target) return `[data-testid=${cssString(target.testId)}]${target.css === undefined ? '' : ` ${target.css}`}`;
  return target.css;
}

async function waitForFile(dir: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Firefox writes into `<name>.part` and renames it when the download is complete.
    const done = readdirSync(dir).filter((name) => !name.endsWith('.part'));
    if (done.length > 0 && readdirSync(dir).every((name) => !name.endsWith('.part'))) return done[0]!;
    if (Date.now() > deadline) throw new Error(`No download finished within ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `pageDir` holds the files the page picks and the ones it downloads (in downloads/). */
function firefoxPage(page: Page, pageDir: string, close: () => Promise<void>): TestPage {
  const downloadDir = join(pageDir, 'downloads');
  const find = async (target: Target, timeoutMs = DEFAULT_WAIT_MS): Promise<ElementHandle> => {
    const handle = await page.waitForSelector(selectorOf(target), { visible: true, timeout: timeoutMs });
    if (handle === null) throw new Error(`Nothing matches ${JSON.stringify(target)}.`);
    return handle as ElementHandle;
  };
  const textOfHandle = (handle: ElementHandle) => handle.evaluate((element) => element.textContent ?? '');
  const click = async (target: Target) => {
    await page.locator(selectorOf(target)).setTimeout(DEFAULT_WAIT_MS).click();
  };
  return {
    browserName: 'firefox',
    goto: async (url) => {
      await page.goto(url);
    },
    url: () => page.url(),
    click,
    fill: async (target, value) => {
      await page.locator(selectorOf(target)).setTimeout(DEFAULT_WAIT_MS).fill(value);
    },
    check: async (target) => {
      const box = await find(target);
      if (!(await box.evaluate((element) => (element as HTMLInputElement).checked))) await box.click();
    },
    select: async (target, option) => {
      const field = await find(target);
      const value =
        'value' in option
          ? option.value
          : await field.evaluate(
              (element, label) => [...(element as HTMLSelectElement).options].find((candidate) => candidate.text.trim() === label)?.value ?? '',
              option.label,
            );
      await field.select(value);
    },
    setFiles: async (target, files: readonly FileToPick[]) => {
      // The browser reads picked files from disk; it takes their type from the name, as a person's would be.
      const dir = mkdtempSync(join(pageDir, 'picked-'));
      const paths = files.map((file, i) => {
        mkdirSync(join(dir, String(i)));
        const path = join(dir, String(i), file.name);
        writeFileSync(path, file.buffer);
        return path;
      });
      const input = (await page.waitForSelector(selectorOf(target), { timeout: DEFAULT_WAIT_MS })) as ElementHandle<HTMLInputElement> | null;
      if (input === null) throw new Error(`No file input matches ${JSON.stringify(target)}.`);
      await input.uploadFile(...paths);
    },
    waitFor: async (target, timeoutMs) => {
      await find(target, timeoutMs);
    },
    textOf: async (target) => textOfHandle(await find(target)),
    textsOf: async (target) => Promise.all((await page.$$(selectorOf(target))).map(textOfHandle)),
    count: async (target) => (await page.$$(selectorOf(target))).length,
    download: async (target) => {
      for (const name of readdirSync(downloadDir)) rmSync(join(downloadDir, name));
      await click(target);
      const filename = await waitForFile(downloadDir, DEFAULT_WAIT_MS);
      return { filename, bytes: readFileSync(join(downloadDir, filename)) };
    },
    evaluate: (fn, arg) => page.evaluate(fn as (arg: unknown) => unknown, arg) as never,
    close,
  };
}

function recordBodies(page: Page, into: RequestBodies): void {
  page.on('request', (request) => {
    if (!request.hasPostData()) return;
    // Firefox gives the body as text: a binary body's invalid UTF-8 comes back replaced, its ASCII
    // (where a plaintext sentinel would show) intact.
    into.addLater(request.fetchPostData().then((text) => (text === undefined ? undefined : Buffer.from(text, 'utf8'))));
  });
}

/** Notes what the page does (PageActivity). */
function recordActivity(page: Page, into: PageActivity): void {
  page.on('request', (request) => into.requestUrls.push(request.url()));
  page.on('console', (message) => into.consoleMessages.push(`${message.type()}: ${message.text()}`));
  page.on('dialog', (dialog) => {
    into.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
}

/**
 * Debian's Firefox ESR as puppeteer's own Browser, with the tests' preferences (loopback only, English,
 * "Safer" if asked): for what needs puppeteer itself, such as the benchmarks.
 */
export function launchPuppeteerFirefox(options: FirefoxOptions = {}): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: {
      ...LOOPBACK_ONLY_PREFS,
      ...(options.safer === true ? TOR_SAFER_JAVASCRIPT_PREFS : {}),
      'intl.accept_languages': 'en-GB, en',
    },
  });
}

export async function launchFirefox(options: FirefoxOptions = {}): Promise<TestBrowser> {
  registerLabelQuery();
  const browser = await launchPuppeteerFirefox(options);
  const workDir = mkdtempSync(join(tmpdir(), 'candor-firefox-'));
  let problems: string[] = [];
  let pages = 0;
  return {
    name: 'firefox',
    async newPage(pageOptions: PageOptions = {}) {
      const pageDir = join(workDir, String((pages += 1)));
      mkdirSync(join(pageDir, 'downloads'), { recursive: true });
      const context = await browser.createBrowserContext({ downloadBehavior: { policy: 'allow', downloadPath: join(pageDir, 'downloads') } });
      const page = await context.newPage();
      await page.evaluateOnNewDocument(reportCspViolations, CSP_VIOLATION_PREFIX);
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error instanceof Error ? error.message : String(error)}`));
      if (pageOptions.requestBodies !== undefined) recordBodies(page, pageOptions.requestBodies);
      if (pageOptions.activity !== undefined) recordActivity(page, pageOptions.activity);
      const { failedResponses } = pageOptions;
      if (failedResponses !== undefined) {
        page.on('response', (response) => {
          if (response.status() >= 400) failedResponses.push(describeFailedResponse(response.status(), response.request().method(), response.url()));
        });
      }
      return firefoxPage(page, pageDir, () => context.close());
    },
    takeProblems() {
      const taken = problems;
      problems = [];
      return taken;
    },
    async close() {
      await browser.close();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
