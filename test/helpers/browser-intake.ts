/**
 * A real intake on a loopback port with its client built for the test body's pinned key, for tests
 * that drive it with Chromium. `intercept` may take a request before the app does (to drop a
 * connection, say); it returns true when it handled the request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { CandorConfig } from '../../config/schema';
import { ensureClientBuilt, writePinnedKeys } from '../../server/client-build';
import { createIntakeApp } from '../../server/intake/create-intake-app';
import { createJsonLogger } from '../../server/logger';
import { launchChromium, type LaunchedBrowser } from './browser';
import { startTestIntake, type TestIntake, type TestIntakeOptions } from './intake';

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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    intake,
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      intake.close();
    },
  };
}

/**
 * For a test file that drives one site with one browser: starts both before its tests and stops them
 * after. Read the fields inside tests, once they have started.
 */
export function withBrowserSite(options: Parameters<typeof startBrowserIntake>[0] = {}): { readonly site: BrowserIntake; readonly chromium: LaunchedBrowser } {
  const handles: { site?: BrowserIntake; chromium?: LaunchedBrowser } = {};
  beforeAll(async () => {
    handles.site = await startBrowserIntake(options);
    handles.chromium = await launchChromium();
  }, 120_000);
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
