/**
 * A real intake on a loopback port with its client built for the test body's pinned key, for tests
 * that drive it with Chromium. `intercept` may take a request before the app does (to drop a
 * connection, say); it returns true when it handled the request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { CandorConfig } from '../../config/schema';
import { writePinnedKeys } from '../../server/client-build';
import { createIntakeApp } from '../../server/intake/create-intake-app';
import { createJsonLogger } from '../../server/logger';
import { ensureClientBuilt } from '../../tools/client-build/build-clients';
import { withSiteAndBrowser, type LaunchedBrowser } from './browser';
import { startTestIntake, type TestIntake, type TestIntakeOptions } from './intake';
import { closeServer, listenOnLoopback } from './loopback-server';

export interface BrowserIntake {
  readonly intake: TestIntake;
  /** The test intake's configuration with the built clients' directories. */
  readonly config: CandorConfig;
  readonly baseUrl: string;
  close(): Promise<void>;
}

export async function startBrowserIntake(
  options: TestIntakeOptions & { intercept?: (req: IncomingMessage, res: ServerResponse) => boolean } = {},
): Promise<BrowserIntake> {
  const intake = await startTestIntake({ ...options, env: { CANDOR_POW_DIFFICULTY_BITS: '8', ...options.env } });
  const config: CandorConfig = {
    ...intake.config,
    intake: { ...intake.config.intake, clientDir: join(intake.dataDir, 'client'), pinnedKeysFile: join(intake.dataDir, 'pinned.json') },
    // Both clients are built for the test's pinned key, the console's beside the intake's.
    console: { ...intake.config.console, clientDir: join(intake.dataDir, 'console-client') },
  };
  writePinnedKeys(config.intake.pinnedKeysFile, [intake.directoryKey.publicKey], { overwrite: true });
  await ensureClientBuilt(config);
  const app = createIntakeApp(config, { storage: intake.storage, logger: createJsonLogger((line) => intake.logLines.push(line)) });
  const server: Server = createServer((req, res) => {
    if (options.intercept?.(req, res) !== true) app(req, res);
  });
  const port = await listenOnLoopback(server);
  return {
    intake,
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await closeServer(server);
      intake.close();
    },
  };
}

/**
 * For a test file that drives one site with one browser: starts both before its tests and stops them
 * after. Read the fields inside tests, once they have started.
 */
export function withBrowserSite(options: Parameters<typeof startBrowserIntake>[0] = {}): { readonly site: BrowserIntake; readonly chromium: LaunchedBrowser } {
  return withSiteAndBrowser(() => startBrowserIntake(options), 120_000);
}

/**
 * From the files page of a filled-in report: goes to the review, encrypts and sends, and returns the
 * case token the receipt shows, its groups joined by dashes.
 */
export async function sendReportAndReadToken(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Continue to review' }).click();
  await page.getByRole('button', { name: 'Encrypt and send' }).click();
  const tokenElement = page.getByTestId('case-token');
  await tokenElement.waitFor({ timeout: 60_000 });
  return (await tokenElement.locator('span').allTextContents()).join('-');
}
