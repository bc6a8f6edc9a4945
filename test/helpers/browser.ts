/**
 * The browsers the end-to-end tests drive, each through the shared TestPage layer
 * (test/helpers/browsers/): Debian's Chromium (playwright-core) and Debian's Firefox ESR
 * (puppeteer-core), both installed by scripts/ensure-test-tools.sh, both with fresh profiles and no
 * network beyond loopback.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './browsers/chromium';
import { launchFirefox, type FirefoxOptions } from './browsers/firefox';
import type { TestBrowser } from './browsers/test-browser';

export { CHROMIUM_PATH, launchChromium, recordRequestBodies, testPageOf, type LaunchedBrowser } from './browsers/chromium';
export { FIREFOX_PATH, launchFirefox } from './browsers/firefox';
export { RequestBodies, type BrowserName, type FileToPick, type PageActivity, type Target, type TestBrowser, type TestPage } from './browsers/test-browser';

/** Which browser a test file drives: Chromium, or Firefox ESR (at Tor Browser's "Safer" level or not). */
export type BrowserChoice = { readonly name: 'chromium' } | ({ readonly name: 'firefox' } & FirefoxOptions);

export function launchBrowser(choice: BrowserChoice): Promise<TestBrowser> {
  return choice.name === 'chromium' ? launchChromium() : launchFirefox(choice);
}

export interface SiteAndBrowser<Site> {
  readonly site: Site;
  readonly browser: TestBrowser;
  /** The same browser as Playwright's Chromium, for the Chromium-only tests (throws in a Firefox file). */
  readonly chromium: LaunchedBrowser;
}

/**
 * For a test file that drives one site with one browser: starts both before its tests (within
 * `startTimeoutMs`, building the clients included) and stops them after. After each test, a CSP
 * violation, an uncaught page error or a console error in any of its pages fails it. Read the fields
 * inside tests, once they have started.
 */
export function withSiteAndBrowser<Site extends { close(): Promise<void> }>(
  startSite: () => Promise<Site>,
  startTimeoutMs: number,
  choice: BrowserChoice = { name: 'chromium' },
): SiteAndBrowser<Site> {
  const handles: { site?: Site; browser?: TestBrowser } = {};
  beforeAll(async () => {
    // Both start at once; whichever started is kept for afterAll to stop, even when the other failed.
    const [site, browser] = await Promise.allSettled([startSite(), launchBrowser(choice)]);
    if (site.status === 'fulfilled') handles.site = site.value;
    if (browser.status === 'fulfilled') handles.browser = browser.value;
    for (const started of [site, browser]) if (started.status === 'rejected') throw started.reason;
  }, startTimeoutMs);
  afterEach(() => {
    const problems = handles.browser?.takeProblems() ?? [];
    expect(problems, `${choice.name}: ${problems.join('\n')}`).toEqual([]);
  });
  afterAll(async () => {
    await handles.browser?.close();
    await handles.site?.close();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`The ${what} starts in beforeAll; use it inside tests.`);
    return value;
  };
  return {
    get site() {
      return started(handles.site, 'site');
    },
    get browser() {
      return started(handles.browser, 'browser');
    },
    get chromium() {
      const browser = started(handles.browser, 'browser');
      if (browser.name !== 'chromium') throw new Error('This test file drives Firefox, not Chromium.');
      return browser as LaunchedBrowser;
    },
  };
}
