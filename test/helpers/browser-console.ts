/**
 * The review console beside a browser-test intake (same storage, both clients built for the test's
 * pinned key), on http://localhost:<port> because WebAuthn refuses IP addresses; accounts made as an
 * admin would; and the steps of the console's pages that several browser tests take.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Page } from 'playwright-core';
import { dayOf, systemClock } from '../../server/clock';
import { totpCode } from '../../server/console/auth/totp';
import { createConsoleApp } from '../../server/console/create-console-app';
import { AccountService } from '../../server/console/services/account-service';
import { createJsonLogger } from '../../server/logger';
import { withSiteAndBrowser, type LaunchedBrowser } from './browser';
import { startBrowserIntake, type BrowserIntake } from './browser-intake';
import { TEST_BODY_ID } from './intake';
import { closeServer, listenOnLoopback } from './loopback-server';

export interface BrowserConsole {
  /** The intake, whose storage, data directory and log the console shares. */
  readonly site: BrowserIntake;
  readonly consoleUrl: string;
  readonly consoleLogLines: string[];
  close(): Promise<void>;
}

export async function startBrowserConsole(options: Parameters<typeof startBrowserIntake>[0] = {}): Promise<BrowserConsole> {
  const site = await startBrowserIntake(options);
  // The origin names the port, which is known only once the server listens: the app is made then.
  const handler: { app?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const server = createServer((req, res) => {
    if (handler.app === undefined) res.writeHead(503).end();
    else handler.app(req, res);
  });
  const port = await listenOnLoopback(server);
  const consoleUrl = `http://localhost:${port}`;
  const consoleLogLines: string[] = [];
  handler.app = createConsoleApp(
    { ...site.config, console: { ...site.config.console, origin: consoleUrl } },
    { storage: site.intake.storage, logger: createJsonLogger((line) => consoleLogLines.push(line)) },
  );
  return {
    site,
    consoleUrl,
    consoleLogLines,
    async close() {
      await closeServer(server);
      await site.close();
    },
  };
}

/** For a test file that drives the intake and the console with one browser. */
export function withBrowserConsole(options: Parameters<typeof startBrowserIntake>[0] = {}): { readonly site: BrowserConsole; readonly chromium: LaunchedBrowser } {
  return withSiteAndBrowser(() => startBrowserConsole(options), 180_000);
}

export interface NewConsoleAccount {
  readonly id: string;
  readonly username: string;
  readonly oneTimePassword: string;
}

/**
 * An account as an admin creates it (one-time password, no second factor). With `testKey`, the test
 * investigator's key, to which the test body's directory encrypts, is stored as the account's own,
 * locked with TEST_PASSPHRASE as it would have been uploaded from the browser.
 */
export async function createConsoleAccount(
  site: BrowserConsole,
  username: string,
  options: { role?: 'admin' | 'investigator'; testKey?: boolean } = {},
): Promise<NewConsoleAccount> {
  const role = options.role ?? 'investigator';
  const { storage, investigator } = site.site.intake;
  const { id, oneTimePassword } = await new AccountService(storage, systemClock).create({ username, role, bodyIds: role === 'investigator' ? [TEST_BODY_ID] : [] }, { username: 'test' });
  if (options.testKey === true) {
    const { generated } = investigator;
    storage.investigatorKeys.add({ fingerprint: generated.fingerprint, accountId: id, publicKey: generated.armoredPublicKey, lockedPrivateKey: generated.armoredPrivateKey, createdOn: dayOf(systemClock.now()) });
  }
  return { id, username, oneTimePassword };
}

/** Signs in with user name and password; the page then asks for the second step or its enrollment. */
export async function signInWithPassword(page: Page, consoleUrl: string, username: string, password: string): Promise<void> {
  if (!page.url().startsWith(consoleUrl)) await page.goto(consoleUrl);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Enrolls the authenticator app from the secret the page shows, as a person types it into their
 * phone, and returns that secret and the recovery codes; leaves the recovery-code page.
 */
export async function enrollAuthenticatorApp(page: Page): Promise<{ totpSecret: string; recoveryCodes: string[] }> {
  const secretElement = page.getByTestId('totp-secret');
  await secretElement.waitFor();
  const totpSecret = ((await secretElement.textContent()) ?? '').replace(/\s/g, '');
  await page.getByLabel('Code from the app').fill(totpCode(totpSecret, new Date()));
  await page.getByRole('button', { name: 'Confirm the app' }).click();
  const codes = page.getByTestId('recovery-codes');
  await codes.waitFor();
  const recoveryCodes = await codes.locator('code').allTextContents();
  await page.getByLabel('I have stored these codes somewhere safe').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  return { totpSecret, recoveryCodes };
}

/** Replaces the one-time password, as the console requires before anything else. */
export async function changeOneTimePassword(page: Page, oneTimePassword: string, newPassword: string): Promise<void> {
  await page.getByRole('heading', { name: 'Change your password' }).waitFor();
  await page.getByLabel('Current password').fill(oneTimePassword);
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('New password again').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
}

export async function unlockKeys(page: Page, passphrase: string): Promise<void> {
  await page.getByRole('heading', { name: 'Unlock your keys' }).waitFor();
  await page.getByLabel('Key passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
}
