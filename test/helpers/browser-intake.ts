/**
 * A real intake on a loopback port with its client built for the test body's pinned key, for tests
 * that drive it with a browser; the steps of the intake's pages that several browser tests take,
 * written once for every browser (TestPage); and the investigator's reading of what arrived.
 * `intercept` may take a request before the app does (to drop a connection, or to lie, say; it is
 * given the app to pass the request on to); it returns true when it handled the request. `prepare`
 * may add bodies to the storage before the clients are built, and returns the pins to build them with.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CandorConfig } from '../../config/schema';
import { createIntakeApp } from '../../server/intake/create-intake-app';
import { createJsonLogger } from '../../server/logger';
import { ensureClientBuilt } from '../../tools/client-build/build-clients';
import { writeDirectoryPins } from '../../tools/client-build/pinned-keys';
import { decryptAttachment, decryptReport, type AttachmentId, type CaseId } from '../../crypto/index';
import type { DirectoryPins } from '../../protocol/directory-pins';
import { readReportMessage } from '../../protocol/reporter-messages';
import { withSiteAndBrowser, type BrowserChoice, type SiteAndBrowser, type TestPage } from './browser';
import { readAll, streamOf } from './crypto';
import { startTestIntake, TEST_BODY_NAME, type TestIntake, type TestIntakeOptions } from './intake';
import { closeServer, listenOnLoopback } from './loopback-server';

export interface BrowserIntake {
  readonly intake: TestIntake;
  /** The test intake's configuration with the built clients' directories. */
  readonly config: CandorConfig;
  readonly baseUrl: string;
  close(): Promise<void>;
}

export async function startBrowserIntake(
  options: TestIntakeOptions & {
    intercept?: (req: IncomingMessage, res: ServerResponse, app: (req: IncomingMessage, res: ServerResponse) => void) => boolean;
    prepare?: (intake: TestIntake) => DirectoryPins | Promise<DirectoryPins>;
  } = {},
): Promise<BrowserIntake> {
  const intake = await startTestIntake({ ...options, env: { CANDOR_POW_DIFFICULTY_BITS: '8', ...options.env } });
  const config: CandorConfig = {
    ...intake.config,
    intake: { ...intake.config.intake, clientDir: join(intake.dataDir, 'client'), pinnedKeysFile: join(intake.dataDir, 'pinned.json') },
    // Both clients are built for the test's pinned key, the console's beside the intake's.
    console: { ...intake.config.console, clientDir: join(intake.dataDir, 'console-client') },
  };
  writeDirectoryPins(config.intake.pinnedKeysFile, options.prepare === undefined ? intake.pins : await options.prepare(intake));
  await ensureClientBuilt(config);
  const app = createIntakeApp(config, { storage: intake.storage, logger: createJsonLogger((line) => intake.logLines.push(line)) });
  const server: Server = createServer((req, res) => {
    if (options.intercept?.(req, res, app) !== true) app(req, res);
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
 * For a test file that drives one site with one browser (Chromium unless `choice` says otherwise):
 * starts both before its tests and stops them after. Read the fields inside tests, once they have started.
 */
export function withBrowserSite(options: Parameters<typeof startBrowserIntake>[0] = {}, choice?: BrowserChoice): SiteAndBrowser<BrowserIntake> {
  return withSiteAndBrowser(() => startBrowserIntake(options), 120_000, choice);
}

/** The test body's name on the intake's first page (its signed name). */
export { TEST_BODY_NAME };

/**
 * From the intake's first page: chooses the test body, accepts the notice, answers "What happened?"
 * and continues, which leaves the page at the files step.
 */
export async function startReport(page: TestPage, baseUrl: string, whatHappened: string): Promise<void> {
  await page.goto(baseUrl);
  await page.click({ role: 'button', name: TEST_BODY_NAME });
  await page.click({ role: 'button', name: 'I understand, continue' });
  await page.fill({ label: 'What happened?' }, whatHappened);
  await page.click({ role: 'button', name: 'Continue' });
}

/** The intake's file input. */
export const FILES_INPUT = { css: '#files-input' } as const;

/**
 * From the files page of a filled-in report: goes to the review, encrypts and sends, and returns the
 * case token the receipt shows, its groups joined by dashes.
 */
export async function sendReportAndReadToken(page: TestPage, timeoutMs = 60_000): Promise<string> {
  await page.click({ role: 'button', name: 'Continue to review' });
  await page.click({ role: 'button', name: 'Encrypt and send' });
  await page.waitFor({ testId: 'case-token' }, timeoutMs);
  return (await page.textsOf({ testId: 'case-token', css: 'span' })).join('-');
}

/** From the intake's first page: opens the case with its token, as the reporter types it. */
export async function openCase(page: TestPage, baseUrl: string, token: string): Promise<void> {
  await page.goto(baseUrl);
  await page.click({ role: 'button', name: 'Check a report you made' });
  await page.fill({ label: 'Case token' }, token);
  await page.click({ role: 'button', name: 'Open' });
}

/** The report document as the intake writes it, the parts the tests read. */
export interface SentReport {
  readonly answers: Record<string, string>;
  readonly attachments: readonly { readonly id: string; readonly name: string; readonly type: string; readonly size: number }[];
}

/** The investigator's side, with the crypto core: the only case's report, decrypted. */
export async function readOnlyCase(intake: TestIntake): Promise<ReadCase> {
  const cases = intake.storage.db.prepare('SELECT id FROM cases').all() as { id: CaseId }[];
  if (cases.length !== 1) throw new Error(`Expected one case, found ${cases.length}.`);
  return readCase(intake, cases[0]!.id);
}

export interface ReadCase {
  readonly caseId: CaseId;
  readonly report: SentReport;
  /** The case key that signed the report (version 2), or null for an unsigned version 1 report. */
  readonly signer: string | null;
}

/** The case's report as the console reads it: decrypted, and its signature checked when it has one. */
export async function readCase(intake: TestIntake, caseId: CaseId): Promise<ReadCase> {
  const [object] = intake.storage.cases.objects(caseId, ['report']);
  const { document, signer } = await readReportMessage(await decryptReport(object!.ciphertext, intake.investigator.key, { caseId }), caseId);
  return { caseId, report: document, signer };
}

/** A file of the case as the investigator decrypts it from the blob the server stored. */
export async function decryptStoredFile(intake: TestIntake, caseId: CaseId, attachmentId: string): Promise<Buffer> {
  const blob = readFileSync(join(intake.dataDir, 'blobs', attachmentId));
  return Buffer.from(await readAll(decryptAttachment(streamOf(blob), intake.investigator.key, { caseId, attachmentId: attachmentId as AttachmentId })));
}
