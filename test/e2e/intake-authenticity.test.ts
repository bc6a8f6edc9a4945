/**
 * What the reporter's browser does, in Chromium, when the intake's server turns against it (protocol
 * version 2, issue 15): it swaps one body's directory for another's, edits the signed questionnaire,
 * replays an older directory (refused by the pin's minimum serial, and by the serial the reporter's
 * own report names), names another body for a case than the report does, and forges replies. Each is
 * refused or shown for what it is, nothing is encrypted to a key the chosen body did not sign, and no
 * forged reply is shown as the body's.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  decryptReport,
  deriveCaseKeys,
  fromBase64Url,
  generateCaseToken,
  generateDirectoryKeyPair,
  isCryptoError,
  parseCaseToken,
  signDirectory,
  toBase64Url,
  utf8Decode,
  utf8Encode,
  type CaseId,
  type DirectoryKeyPair,
  type SignedDirectory,
} from '../../crypto/index';
import { DEFAULT_QUESTIONNAIRE } from '../../protocol/default-questionnaire';
import { readFollowupMessage } from '../../protocol/reporter-messages';
import { dayOf, systemClock } from '../../server/clock';
import { sendReportAndReadToken, openCase, withBrowserSite } from '../helpers/browser-intake';
import { makeInvestigator, type TestInvestigator } from '../helpers/crypto';
import { testDirectoryDocument, TEST_BODY_ID, TestReporter, type TestIntake } from '../helpers/intake';
import { signedReply, storeReply, unsignedReply } from '../helpers/signed-messages';

const OTHER_BODY = { id: 'regional-audit-office', name: 'Regional Audit Office' } as const;
const OTHER_ROLE = 'Case officer';
/** A body whose directory the test body's admin signs with the same key, pinned for both. */
const SISTER_BODY = { id: 'city-integrity-office', name: 'City Integrity Office' } as const;

/** What the test's server holds besides the test body: the other body, its investigator, the older directories, an outsider's key. */
interface World {
  otherKey: DirectoryKeyPair;
  otherInvestigator: TestInvestigator;
  /** An investigator no current directory lists: a departed one, or the server's own. */
  outsider: TestInvestigator;
  /** Each body's current directory (serial 2) and an older one (serial 1) that still lists the outsider. */
  directories: Record<'test' | 'testOld' | 'other' | 'otherOld' | 'sister', SignedDirectory>;
}
const world = {} as World;

/** The answers the server gives instead of the truth, by request path; cleared by each test. */
const lies = new Map<string, (req: IncomingMessage, res: ServerResponse, app: (req: IncomingMessage, res: ServerResponse) => void) => void>();
/** Every case creation the browser attempted: none may reach the server for a body that did not verify. */
const creations: string[] = [];

function answerJson(res: ServerResponse, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Passes the request to the real app and changes its JSON answer on the way out. */
function rewriteAnswer(change: (answer: Record<string, unknown>) => Record<string, unknown>) {
  return (req: IncomingMessage, res: ServerResponse, app: (req: IncomingMessage, res: ServerResponse) => void) => {
    const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
    (res as { end: unknown }).end = (chunk?: unknown, ...rest: unknown[]) => {
      if (chunk === undefined || res.statusCode !== 200) return end(chunk, ...rest);
      const changed = JSON.stringify(change(JSON.parse(Buffer.from(chunk as Uint8Array | string).toString('utf8')) as Record<string, unknown>));
      res.setHeader('content-length', Buffer.byteLength(changed));
      return end(changed);
    };
    app(req, res);
  };
}

function versionOf(intake: TestIntake, serial: number, body: 'test' | 'other', investigators: readonly TestInvestigator[]): SignedDirectory {
  const document = testDirectoryDocument(investigators, { serial });
  const signed =
    body === 'test'
      ? document
      : { ...document, body: OTHER_BODY, recipients: document.recipients.map((recipient) => ({ ...recipient, role: OTHER_ROLE })) };
  return signDirectory(signed, body === 'test' ? intake.directoryKey.secretKey : world.otherKey.secretKey);
}

const suite = withBrowserSite({
  intercept(req, res, app) {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method === 'POST' && path === '/api/v1/cases') creations.push(path);
    const lie = req.method === 'GET' ? lies.get(path) : undefined;
    if (lie === undefined) return false;
    lie(req, res, app);
    return true;
  },
  async prepare(intake) {
    world.otherKey = generateDirectoryKeyPair();
    [world.otherInvestigator, world.outsider] = await Promise.all([makeInvestigator('Other Body Investigator'), makeInvestigator('Outsider')]);
    world.directories = {
      test: versionOf(intake, 2, 'test', [intake.investigator]),
      testOld: versionOf(intake, 1, 'test', [intake.investigator, world.outsider]),
      other: versionOf(intake, 2, 'other', [world.otherInvestigator]),
      otherOld: versionOf(intake, 1, 'other', [world.otherInvestigator, world.outsider]),
      sister: signDirectory({ ...testDirectoryDocument([world.outsider], { serial: 5 }), body: SISTER_BODY }, intake.directoryKey.secretKey),
    };
    const test = intake.storage.bodies.find(TEST_BODY_ID)!;
    intake.storage.bodies.save({ ...test, signedDirectory: JSON.stringify(world.directories.test) });
    intake.storage.bodies.save({ ...test, ...OTHER_BODY, signedDirectory: JSON.stringify(world.directories.other), questionnaire: JSON.stringify(DEFAULT_QUESTIONNAIRE) });
    intake.storage.bodies.save({ ...test, ...SISTER_BODY, signedDirectory: JSON.stringify(world.directories.sister), questionnaire: JSON.stringify(DEFAULT_QUESTIONNAIRE) });
    // The test body's admin raised its minimum serial after re-signing; the other body's did not.
    return {
      [TEST_BODY_ID]: { keys: [intake.directoryKey.publicKey], minimumSerial: 2 },
      [OTHER_BODY.id]: { keys: [world.otherKey.publicKey], minimumSerial: 0 },
      [SISTER_BODY.id]: { keys: [intake.directoryKey.publicKey], minimumSerial: 0 },
    };
  },
});

/** The first page, with the test body refused: its warning, and the other body still offered under its signed name. */
async function expectTestBodyRefused(): Promise<void> {
  const page = await suite.browser.newPage({ locale: 'en-GB' });
  await page.goto(suite.site.baseUrl);
  expect(await page.textOf({ testId: 'body-unverified' })).toContain('could not be verified');
  expect(await page.textsOf({ testId: 'body-unverified' })).toHaveLength(1);
  await page.waitFor({ role: 'button', name: OTHER_BODY.name });
  expect(await page.textsOf({ role: 'button', name: 'Test Anti-Corruption Body' })).toEqual([]);
}

/** Whether `investigator` can decrypt any report or follow-up the server stored. */
async function readsAnything(intake: TestIntake, investigator: TestInvestigator): Promise<boolean> {
  const cases = intake.storage.db.prepare('SELECT id FROM cases').all() as { id: CaseId }[];
  for (const { id } of cases) {
    for (const object of intake.storage.cases.objects(id, ['report', 'followup'])) {
      try {
        await decryptReport(object.ciphertext, investigator.key, { caseId: id, kind: object.kind as 'report' | 'followup' });
        return true;
      } catch (error) {
        if (!isCryptoError(error)) throw error;
      }
    }
  }
  return false;
}

describe('the intake against a lying server', () => {
  it('when the server answers for one body with another body’s well-signed directory, then that body cannot be chosen and nothing is sent', async () => {
    lies.clear();
    lies.set(`/api/v1/bodies/${TEST_BODY_ID}`, (_req, res) => answerJson(res, { id: TEST_BODY_ID, name: 'Test Anti-Corruption Body', signedDirectory: world.directories.other }));
    await expectTestBodyRefused();
    // Nor a directory of a body signed with the same key, pinned for both: it is checked for the body chosen.
    lies.set(`/api/v1/bodies/${TEST_BODY_ID}`, (_req, res) => answerJson(res, { id: TEST_BODY_ID, name: 'Test Anti-Corruption Body', signedDirectory: world.directories.sister }));
    await expectTestBodyRefused();
    // Nor a directory naming the test body but signed with the other body's key: a key speaks for its own bodies only.
    const claimed = signDirectory({ ...testDirectoryDocument([world.outsider], { serial: 3 }) }, world.otherKey.secretKey);
    lies.set(`/api/v1/bodies/${TEST_BODY_ID}`, (_req, res) => answerJson(res, { id: TEST_BODY_ID, name: 'Test Anti-Corruption Body', signedDirectory: claimed }));
    await expectTestBodyRefused();
    expect(creations).toEqual([]);
  });

  it('when the server edits the signed questionnaire to ask for the reporter’s name, then the body cannot be chosen', async () => {
    const signed = world.directories.test;
    const document = JSON.parse(utf8Decode(fromBase64Url(signed.payload))) as { intake: { questionnaire: { questions: unknown[] } } };
    document.intake.questionnaire.questions.unshift({ id: 'name', kind: 'text', required: true, label: { en: 'Your full name' } });
    lies.clear();
    lies.set(`/api/v1/bodies/${TEST_BODY_ID}`, (_req, res) =>
      answerJson(res, { id: TEST_BODY_ID, name: 'Test Anti-Corruption Body', signedDirectory: { ...signed, payload: toBase64Url(utf8Encode(JSON.stringify(document))) } }),
    );
    await expectTestBodyRefused();
    expect(creations).toEqual([]);
  });

  it('when the server replays an older, validly signed directory that still lists a departed key, then the pin’s minimum serial refuses it', async () => {
    lies.clear();
    lies.set(`/api/v1/bodies/${TEST_BODY_ID}`, (_req, res) => answerJson(res, { id: TEST_BODY_ID, name: 'Test Anti-Corruption Body', signedDirectory: world.directories.testOld }));
    await expectTestBodyRefused();
    expect(creations).toEqual([]);
  });

  it('when the reporter comes back, then forged replies are not shown as the body’s, the case keeps its body, and an older directory is refused for a follow-up', async () => {
    lies.clear();
    const { intake } = suite.site;
    const page = await suite.browser.newPage({ locale: 'en-GB' });
    // A report to the other body, under its current directory (serial 2).
    await page.goto(suite.site.baseUrl);
    await page.click({ role: 'button', name: OTHER_BODY.name });
    await page.click({ role: 'button', name: 'I understand, continue' });
    await page.fill({ label: 'What happened?' }, 'The audit of the port authority was rewritten.');
    await page.click({ role: 'button', name: 'Continue' });
    const token = await sendReportAndReadToken(page);
    const keys = await deriveCaseKeys(parseCaseToken(token));
    const today = dayOf(systemClock.now());

    // A genuine reply, then what the server writes itself: an unsigned one, and one signed by a key the directory does not list.
    storeReply(intake, keys.caseId, await signedReply(world.otherInvestigator, keys.caseId, 'We have opened an assessment.'), today);
    storeReply(intake, keys.caseId, unsignedReply('We need your full name and phone number to go on.'), today);
    storeReply(intake, keys.caseId, await signedReply(world.outsider, keys.caseId, 'Please send the documents to our new address.'), today);

    // The server also says the case belongs to the test body.
    lies.set('/api/v1/case', rewriteAnswer((answer) => ({ ...answer, bodyId: TEST_BODY_ID })));
    await openCase(page, suite.site.baseUrl, token);
    await page.waitFor({ testId: 'status-source' });
    expect(await page.textOf({ testId: 'case-body' })).toContain(OTHER_BODY.name);
    expect(await page.textOf({ testId: 'case-body-mismatch' })).toContain('names another body');
    const replies = await page.evaluate(
      () => [...document.querySelectorAll('li[data-authenticity]')].map((item) => ({ authenticity: item.getAttribute('data-authenticity'), text: item.textContent ?? '' })),
      undefined,
    );
    expect(replies.map((reply) => reply.authenticity)).toEqual(['signed', 'unsigned', 'forged']);
    expect(replies[0]!.text).toContain(`From: ${OTHER_ROLE}`);
    for (const forged of replies.slice(1)) {
      expect(forged.text).toContain(`not signed by ${OTHER_BODY.name}`);
      expect(forged.text).not.toContain('From:');
    }

    // An older directory of the case's body, validly signed, listing the outsider: the report names serial 2, so it is refused.
    const followupsBefore = intake.storage.cases.objects(keys.caseId, ['followup']).length;
    lies.set(`/api/v1/bodies/${OTHER_BODY.id}`, (_req, res) => answerJson(res, { id: OTHER_BODY.id, name: OTHER_BODY.name, signedDirectory: world.directories.otherOld }));
    await page.fill({ label: 'Your message' }, 'One more name: the deputy director.');
    await page.click({ role: 'button', name: 'Encrypt and send' });
    expect(await page.textOf({ testId: 'followup-notice' })).toContain('older list');
    expect(intake.storage.cases.objects(keys.caseId, ['followup'])).toHaveLength(followupsBefore);

    // With the current directory back, the follow-up goes to the case's own body, whatever the server says the case is.
    lies.delete(`/api/v1/bodies/${OTHER_BODY.id}`);
    await page.click({ role: 'button', name: 'Encrypt and send' });
    expect(await page.textOf({ testId: 'followup-notice' })).toBe('Sent.');
    const [followup] = intake.storage.cases.objects(keys.caseId, ['followup']);
    const plaintext = await decryptReport(followup!.ciphertext, world.otherInvestigator.key, { caseId: keys.caseId, kind: 'followup' });
    expect(await readFollowupMessage(plaintext, keys.caseId, toBase64Url(keys.authPublicKey))).toMatchObject({ signed: true, document: { text: 'One more name: the deputy director.' } });

    // Through everything, not one message was encrypted to a key the chosen body's current directory does not list.
    expect(await readsAnything(intake, world.outsider)).toBe(false);
    expect(await readsAnything(intake, intake.investigator)).toBe(false);
    lies.clear();
  });

  it('when a case was created before protocol version 2, then its token still opens it (version 1 id), but for a body not pinned as having such cases its unsigned report sends follow-ups nowhere', async () => {
    lies.clear();
    const { intake } = suite.site;
    const old = await TestReporter.create(intake, generateCaseToken(), 1);
    await old.createCase(JSON.stringify({ format: 'candor-report', version: 1, bodyId: TEST_BODY_ID, answers: { what: 'An old report.' }, attachments: [] }));
    const page = await suite.browser.newPage({ locale: 'en-GB' });
    await openCase(page, suite.site.baseUrl, old.token);
    await page.waitFor({ testId: 'status-source' });
    // Its unsigned copy could as well be the server's: nothing follows it.
    expect(await page.count({ testId: 'copy-not-yours' })).toBe(1);
    const followupsBefore = intake.storage.cases.objects(old.keys.caseId, ['followup']).length;
    await page.fill({ label: 'Your message' }, 'Still there?');
    await page.click({ role: 'button', name: 'Encrypt and send' });
    await page.waitFor({ testId: 'followup-notice' });
    expect(await page.textOf({ testId: 'followup-notice' })).not.toBe('Sent.');
    expect(intake.storage.cases.objects(old.keys.caseId, ['followup'])).toHaveLength(followupsBefore);
  });
});
