/**
 * The review console beside a browser-test intake (same storage, both clients built for the test's
 * pinned key), on http://localhost:<port> because WebAuthn refuses IP addresses; accounts made as an
 * admin would; and the steps of the console's pages that several browser tests take, written once
 * for every browser (TestPage).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dayOf, systemClock } from '../../server/clock';
import { totpCode } from '../../server/console/auth/totp';
import { createConsoleApp } from '../../server/console/create-console-app';
import { AccountService } from '../../server/console/services/account-service';
import { createJsonLogger } from '../../server/logger';
import { withSiteAndBrowser, type BrowserChoice, type SiteAndBrowser, type TestPage } from './browser';
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

/** For a test file that drives the intake and the console with one browser (Chromium unless `choice` says otherwise). */
export function withBrowserConsole(options: Parameters<typeof startBrowserIntake>[0] = {}, choice?: BrowserChoice): SiteAndBrowser<BrowserConsole> {
  return withSiteAndBrowser(() => startBrowserConsole(options), 180_000, choice);
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
export async function signInWithPassword(page: TestPage, consoleUrl: string, username: string, password: string): Promise<void> {
  if (!page.url().startsWith(consoleUrl)) await page.goto(consoleUrl);
  await page.fill({ label: 'User name' }, username);
  await page.fill({ label: 'Password', exact: true }, password);
  await page.click({ role: 'button', name: 'Sign in' });
}

/** The secret the enrolment page shows, without the spaces it is grouped with. */
export async function shownTotpSecret(page: TestPage): Promise<string> {
  return (await page.textOf({ testId: 'totp-secret' })).replace(/\s/g, '');
}

/** Six digits that no TOTP window the server accepts around `at` gives for this secret: a wrong code, always. */
export function wrongTotpCode(totpSecret: string, at: Date): string {
  const accepted = new Set([-2, -1, 0, 1, 2].map((steps) => totpCode(totpSecret, new Date(at.getTime() + steps * 30_000))));
  const wrong = ['000000', '111111', '222222', '333333', '444444', '555555'].find((code) => !accepted.has(code));
  if (wrong === undefined) throw new Error('Every candidate is an accepted code.');
  return wrong;
}

/**
 * Enrolls the authenticator app from the secret the page shows, as a person types it into their
 * phone, and returns that secret and the recovery codes; `onRecoveryCodes` runs on the recovery-code
 * page, which is then left.
 */
export async function enrollAuthenticatorApp(
  page: TestPage,
  onRecoveryCodes: (recoveryCodes: string[]) => Promise<void> = async () => undefined,
): Promise<{ totpSecret: string; recoveryCodes: string[] }> {
  const totpSecret = await shownTotpSecret(page);
  await page.fill({ label: 'Code from the app' }, totpCode(totpSecret, new Date()));
  await page.click({ role: 'button', name: 'Confirm the app' });
  await page.waitFor({ testId: 'recovery-codes' });
  const recoveryCodes = await page.textsOf({ testId: 'recovery-codes', css: 'code' });
  await onRecoveryCodes(recoveryCodes);
  await page.check({ label: 'I have stored these codes somewhere safe' });
  await page.click({ role: 'button', name: 'Continue' });
  return { totpSecret, recoveryCodes };
}

/** Replaces the one-time password, as the console requires before anything else. */
export async function changeOneTimePassword(page: TestPage, oneTimePassword: string, newPassword: string): Promise<void> {
  await page.waitFor({ role: 'heading', name: 'Change your password' });
  await page.fill({ label: 'Current password' }, oneTimePassword);
  await page.fill({ label: 'New password', exact: true }, newPassword);
  await page.fill({ label: 'New password again' }, newPassword);
  await page.click({ role: 'button', name: 'Change password' });
}

export async function unlockKeys(page: TestPage, passphrase: string): Promise<void> {
  await page.waitFor({ role: 'heading', name: 'Unlock your keys' });
  await page.fill({ label: 'Key passphrase' }, passphrase);
  await page.click({ role: 'button', name: 'Unlock' });
}
