/**
 * Debian's Chromium driven by playwright-core, with the flags that keep it off the network
 * (scripts/ensure-test-tools.sh installs it). Playwright gives every launch a fresh, temporary profile.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const CHROMIUM_PATH = process.env.CANDOR_CHROMIUM ?? '/usr/bin/chromium';

export interface LaunchedBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<LaunchedBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

/**
 * For a test file that drives one site with one browser: starts both before its tests (within
 * `startTimeoutMs`, building the clients included) and stops them after. Read the fields inside
 * tests, once they have started.
 */
export function withSiteAndBrowser<Site extends { close(): Promise<void> }>(
  startSite: () => Promise<Site>,
  startTimeoutMs: number,
): { readonly site: Site; readonly chromium: LaunchedBrowser } {
  const handles: { site?: Site; chromium?: LaunchedBrowser } = {};
  beforeAll(async () => {
    handles.site = await startSite();
    handles.chromium = await launchChromium();
  }, startTimeoutMs);
  afterAll(async () => {
    await handles.chromium?.close();
    await handles.site?.close();
  });
  return {
    get site() {
      if (handles.site === undefined) throw new Error('The site starts in beforeAll; use it inside tests.');
      return handles.site;
    },
    get chromium() {
      if (handles.chromium === undefined) throw new Error('The browser starts in beforeAll; use it inside tests.');
      return handles.chromium;
    },
  };
}

/** Keeps the body of every request the page sends, so that a test can search them for plaintext. */
export function recordRequestBodies(page: Page, into: Buffer[]): void {
  page.on('request', (request) => {
    const body = request.postDataBuffer();
    if (body !== null) into.push(body);
  });
}
