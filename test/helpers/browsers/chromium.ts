/**
 * Debian's Chromium driven by playwright-core, with the flags that keep it off the network
 * (scripts/ensure-test-tools.sh installs it). Playwright gives every launch a fresh, temporary profile.
 */
import { readFile } from 'node:fs/promises';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
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

export const CHROMIUM_PATH = process.env.CANDOR_CHROMIUM ?? '/usr/bin/chromium';

export interface LaunchedBrowser extends TestBrowser {
  /** Playwright's browser, for what only Chromium is asked (axe, screenshots, a virtual authenticator). */
  readonly browser: Browser;
  /**
   * A Playwright context whose pages report their CSP violations, page errors and console errors to
   * takeProblems(), for the Chromium-only tests that drive Playwright directly.
   */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
}

function locate(page: Page, target: Target): Locator {
  if ('role' in target) return page.getByRole(target.role, target.name === undefined ? {} : { name: target.name, exact: true });
  if ('label' in target) return page.getByLabel(target.label, { exact: target.exact === true });
  if ('text' in target) return page.getByText(target.text);
  if ('testId' in target) return target.css === undefined ? page.getByTestId(target.testId) : page.getByTestId(target.testId).locator(target.css);
  return page.locator(target.css);
}

/** The TestPage of a page a Chromium-only test opened through Playwright. */
export function testPageOf(page: Page): TestPage {
  const first = (target: Target) => locate(page, target).first();
  return {
    browserName: 'chromium',
    goto: async (url) => {
      await page.goto(url);
    },
    url: () => page.url(),
    click: (target) => first(target).click(),
    fill: (target, value) => first(target).fill(value),
    check: (target) => first(target).check(),
    select: async (target, option) => {
      await first(target).selectOption(option);
    },
    setFiles: (target, files: readonly FileToPick[]) => first(target).setInputFiles(files.map((file) => ({ ...file }))),
    waitFor: (target, timeoutMs = DEFAULT_WAIT_MS) => first(target).waitFor({ timeout: timeoutMs }),
    textOf: async (target) => {
      await first(target).waitFor({ timeout: DEFAULT_WAIT_MS });
      return (await first(target).textContent()) ?? '';
    },
    textsOf: (target) => locate(page, target).allTextContents(),
    count: (target) => locate(page, target).count(),
    download: async (target) => {
      const [download] = await Promise.all([page.waitForEvent('download'), first(target).click()]);
      const path = await download.path();
      return { filename: download.suggestedFilename(), bytes: await readFile(path) };
    },
    // Playwright types the argument as it arrives in the page (unboxed handles); ours are plain values.
    evaluate: (fn, arg) => page.evaluate(fn as (arg: unknown) => unknown, arg) as never,
    close: () => page.context().close(),
  };
}

/** Notes what a context's pages do (PageActivity); the context's requests include its workers'. */
export function recordActivity(context: BrowserContext, into: PageActivity): void {
  context.on('request', (request) => into.requestUrls.push(request.url()));
  context.on('page', (page) => {
    page.on('console', (message) => into.consoleMessages.push(`${message.type()}: ${message.text()}`));
    page.on('dialog', (dialog) => {
      into.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
  });
}

/** Keeps the body of every request the page sends, so that a test can search them for plaintext. */
export function recordRequestBodies(page: Page, into: RequestBodies): void {
  page.on('request', (request) => {
    const body = request.postDataBuffer();
    if (body !== null) into.add(body);
  });
}

export async function launchChromium(): Promise<LaunchedBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  let problems: string[] = [];
  const newContext = async (options: BrowserContextOptions = {}): Promise<BrowserContext> => {
    const context = await browser.newContext(options);
    await context.addInitScript(reportCspViolations, CSP_VIOLATION_PREFIX);
    context.on('page', (page) => {
      // Chromium logs each failed load ("Failed to load resource: ... 401") as an error of its own;
      // which answers may fail is the tests' to check, by their address.
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console error: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    });
    return context;
  };
  return {
    name: 'chromium',
    browser,
    newContext,
    async newPage(options: PageOptions = {}) {
      const context = await newContext(options.locale === undefined ? {} : { locale: options.locale });
      if (options.activity !== undefined) recordActivity(context, options.activity);
      const page = await context.newPage();
      if (options.requestBodies !== undefined) recordRequestBodies(page, options.requestBodies);
      const { failedResponses } = options;
      if (failedResponses !== undefined) {
        page.on('response', (response) => {
          if (response.status() >= 400) failedResponses.push(describeFailedResponse(response.status(), response.request().method(), response.url()));
        });
      }
      return testPageOf(page);
    },
    takeProblems() {
      const taken = problems;
      problems = [];
      return taken;
    },
    close: () => browser.close(),
  };
}
