import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fetchListedBodies, fetchVerifiedBody, MAX_LISTED_BODIES, pinnedBodyIds, questionnaireOf, textIn } from '../../../../client/intake/verified-body';
import { asyncErrorCodeOf, makeInvestigator, type TestInvestigator } from '../../../helpers/crypto';
import { generateDirectoryKeyPair, signDirectory, type DirectoryDocument } from '../../../../crypto/index';
import { verifyBodyDirectory } from '../../../../protocol/body-directory';
import { DEFAULT_QUESTIONNAIRE } from '../../../../protocol/default-questionnaire';
import type { DirectoryPins } from '../../../../protocol/directory-pins';
import type { Questionnaire } from '../../../../protocol/questionnaire';
import { testDirectoryDocument, TEST_BODY_ID, TEST_BODY_NAME } from '../../../helpers/intake';

const OTHER_BODY_ID = 'other-body';
const directoryKey = generateDirectoryKeyPair();
const otherKey = generateDirectoryKeyPair();
const pins: DirectoryPins = {
  [TEST_BODY_ID]: { keys: [directoryKey.publicKey], minimumSerial: 0 },
  [OTHER_BODY_ID]: { keys: [otherKey.publicKey], minimumSerial: 0 },
};
let investigator: TestInvestigator;

beforeAll(async () => {
  investigator = await makeInvestigator();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });

/** An intake in the page's fetch: the listed bodies, and each body's answer as the server gives it (its `name` the server's word). */
function serving(listed: readonly string[], directories: Readonly<Record<string, unknown>>) {
  vi.stubGlobal('fetch', async (input: string) => {
    if (input === '/api/v1/bodies') return json({ bodies: listed.map((id) => ({ id, name: `Server name of ${id}` })) });
    const id = decodeURIComponent(input.replace('/api/v1/bodies/', ''));
    return json({ id, name: `Server name of ${id}`, signedDirectory: directories[id] });
  });
}

const signedTestDirectory = (changes: Partial<Extract<DirectoryDocument, { version: 2 }>> = {}) => signDirectory({ ...testDirectoryDocument([investigator]), ...changes }, directoryKey.secretKey);

describe('the bodies the intake offers', () => {
  it('when the server lists bodies, then only those this build pins are offered, once each, at most a few', () => {
    expect(pinnedBodyIds([{ id: 'unpinned' }, { id: TEST_BODY_ID }, { id: OTHER_BODY_ID }, { id: TEST_BODY_ID }], pins)).toEqual([TEST_BODY_ID, OTHER_BODY_ID]);
    const many = Object.fromEntries(Array.from({ length: MAX_LISTED_BODIES + 3 }, (_, i) => [`body-${i}`, pins[TEST_BODY_ID]!]));
    expect(pinnedBodyIds(Object.keys(many).map((id) => ({ id })), many)).toHaveLength(MAX_LISTED_BODIES);
  });

  it('when a pinned body’s directory verifies, then it is offered under its signed name; one that does not is marked unverified; an unpinned one is absent', async () => {
    // The other body's "directory" is the test body's, signed with the test body's key: not its own.
    serving([TEST_BODY_ID, 'unpinned', OTHER_BODY_ID], { [TEST_BODY_ID]: signedTestDirectory(), unpinned: signedTestDirectory(), [OTHER_BODY_ID]: signedTestDirectory() });
    const listed = await fetchListedBodies(pins);
    expect(listed.map((body) => [body.id, body.verified])).toEqual([
      [TEST_BODY_ID, true],
      [OTHER_BODY_ID, false],
    ]);
    const [first] = listed;
    expect(first?.verified === true && first.body.directory.name).toBe(TEST_BODY_NAME);
  });

  it('when the server answers for the chosen id with another body’s directory, then it is refused as another body’s', async () => {
    const foreign = signDirectory({ ...testDirectoryDocument([investigator]), body: { id: OTHER_BODY_ID, name: 'Other' } }, otherKey.secretKey);
    serving([OTHER_BODY_ID], { [TEST_BODY_ID]: foreign });
    expect(await asyncErrorCodeOf(fetchVerifiedBody(TEST_BODY_ID, { ...pins, [TEST_BODY_ID]: { keys: [directoryKey.publicKey, otherKey.publicKey], minimumSerial: 0 } }))).toBe('directory-wrong-body');
  });

  it('when the directory is older than one the reporter saw before, then it is refused as outdated', async () => {
    serving([TEST_BODY_ID], { [TEST_BODY_ID]: signedTestDirectory({ serial: 2 }) });
    expect((await fetchVerifiedBody(TEST_BODY_ID, pins, 2)).directory.serial).toBe(2);
    expect(await asyncErrorCodeOf(fetchVerifiedBody(TEST_BODY_ID, pins, 3))).toBe('directory-outdated');
  });
});

describe('what the intake shows of a verified directory', () => {
  it('when the directory signs a questionnaire, then it is asked; a version 1 directory, which signs none, gets the built-in one', async () => {
    const own: Questionnaire = { ...DEFAULT_QUESTIONNAIRE, questions: DEFAULT_QUESTIONNAIRE.questions.slice(0, 1) };
    const v2 = await verifyBodyDirectory(signedTestDirectory({ intake: { questionnaire: own } }), { pins, bodyId: TEST_BODY_ID });
    expect(questionnaireOf(v2)).toEqual(own);
    const v2Document = testDirectoryDocument([investigator]);
    const v1Document: DirectoryDocument = {
      format: 'candor-directory',
      version: 1,
      body: v2Document.body,
      issuedOn: v2Document.issuedOn,
      expiresOn: v2Document.expiresOn,
      recipients: v2Document.recipients.map(({ label, fingerprint, publicKey }) => ({ label, fingerprint, publicKey })),
    };
    const v1 = await verifyBodyDirectory(signDirectory(v1Document, directoryKey.secretKey), { pins, bodyId: TEST_BODY_ID });
    expect(questionnaireOf(v1)).toBe(DEFAULT_QUESTIONNAIRE);
  });

  it('when a signed text is in the reporter’s language, then that one is shown, else English, else any; none is null', () => {
    expect(textIn({ en: 'Policy', fr: 'Politique' }, 'fr')).toBe('Politique');
    expect(textIn({ en: 'Policy', fr: 'Politique' }, 'de')).toBe('Policy');
    expect(textIn({ es: 'Política' }, 'de')).toBe('Política');
    expect(textIn(null, 'en')).toBeNull();
  });
});
