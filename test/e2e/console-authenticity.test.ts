/**
 * What the review console shows, in Chromium, when a server turns against the case (protocol version 2):
 * a reply key other than the one the reporter's signed report names (warning, replying refused),
 * follow-ups it wrote or forged, a reply copy signed by a key the body's directory does not list, a
 * file that is not the one the reporter signed, and a replayed older directory; and an unsigned
 * report for a body whose pin says it has no unsigned cases (a signed one swapped out): no reply.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { deriveCaseKeys, encryptReport, generateCaseToken, sealReply, signDirectory, toBase64Url, utf8Decode } from '../../crypto/index';
import { writeInvestigatorMessage } from '../../protocol/investigator-messages';
import { dayOf, systemClock } from '../../server/clock';
import { changeOneTimePassword, createConsoleAccount, enrollAuthenticatorApp, signInWithPassword, unlockKeys, withBrowserConsole } from '../helpers/browser-console';
import { testPageOf } from '../helpers/browser';
import { makeInvestigator, patternBytes, TEST_PASSPHRASE } from '../helpers/crypto';
import { testDirectoryDocument, TEST_BODY_ID, TestReporter } from '../helpers/intake';
import { blockSha256Of, signedFollowup, signedReport } from '../helpers/signed-case-messages';

const suite = withBrowserConsole();

async function openCaseNamed(page: Page, caseId: string): Promise<void> {
  await page.getByRole('button', { name: '← All cases' }).click();
  await page.getByTestId('case-table').getByRole('button', { name: `Case ${caseId.slice(0, 8)}` }).click();
  await page.getByTestId('report-answers').waitFor();
}

/** The test body's directory as its admin signs it, at `serial`, stored as the server serves it. */
function serveDirectory(serial: number): void {
  const { storage, investigator, directoryKey } = suite.site.site.intake;
  const body = storage.bodies.find(TEST_BODY_ID)!;
  storage.bodies.save({ ...body, signedDirectory: JSON.stringify(signDirectory(testDirectoryDocument([investigator], { serial }), directoryKey.secretKey)) });
}

describe('the review console against a lying server', () => {
  it('when the server swaps the reply key, injects follow-ups and a reply, serves another file and replays a directory, then each is shown for what it is', async () => {
    const { intake } = suite.site.site;
    const today = dayOf(systemClock.now());

    // A genuine signed case, with a follow-up and a file the reporter signed.
    const reporter = await TestReporter.create(intake);
    await reporter.createCase(utf8Decode(await signedReport(reporter.keys, { bodyId: TEST_BODY_ID, answers: { what: 'Signed report about the tender.' } })));
    const signedFor = patternBytes(50_000, 1);
    // The stored file is not the one the signed follow-up names: as if the server had swapped it.
    const { attachmentId } = await reporter.upload(patternBytes(50_000, 2));
    const followup = await signedFollowup(reporter.keys, 'Genuine follow-up.', [{ attachmentId, name: 'minutes.txt', type: 'text/plain', size: 50_000, blockSha256: await blockSha256Of(signedFor) }]);
    const recipients = await reporter.recipients();
    const addFollowup = { message: toBase64Url(await encryptReport(followup, recipients, { caseId: reporter.keys.caseId, kind: 'followup' })), reporterCopy: toBase64Url(sealReply(reporter.keys.replyPublicKey, followup, 'reporter-copy')) };
    expect((await reporter.send('POST', '/api/v1/case/followups', addFollowup)).status).toBe(201);

    // What the server adds: an unsigned follow-up, one signed with another case's key, a reply copy by an unlisted key.
    const caseId = reporter.keys.caseId;
    const unsigned = JSON.stringify({ format: 'candor-followup', version: 2, text: 'Injected: please send your phone number.', files: [] });
    intake.storage.cases.addObject(caseId, 'followup', await encryptReport(unsigned, recipients, { caseId, kind: 'followup' }), today);
    const otherCase = await deriveCaseKeys(generateCaseToken());
    intake.storage.cases.addObject(caseId, 'followup', await encryptReport(await signedFollowup(otherCase, 'Forged: drop it.'), recipients, { caseId, kind: 'followup' }), today);
    const attacker = await makeInvestigator('Attacker');
    const forgedReply = await writeInvestigatorMessage(attacker.key, { caseId, kind: 'reply' }, 'Forged reply: we need your name.');
    intake.storage.cases.addObject(caseId, 'reply-copy', await encryptReport(forgedReply, recipients, { caseId, kind: 'reply-copy' }), today);
    // And the reply key it lists for the case: its own.
    intake.storage.db.prepare('UPDATE cases SET reply_public_key = ? WHERE id = ?').run(Buffer.from(otherCase.replyPublicKey), caseId);

    // A case sent before messages were signed.
    const older = await TestReporter.create(intake);
    await older.createCase(JSON.stringify({ format: 'candor-report', version: 1, bodyId: TEST_BODY_ID, answers: { what: 'Unsigned report from before.' }, attachments: [] }));

    const account = await createConsoleAccount(suite.site, 'checker', { testKey: true });
    const page = await (await suite.chromium.newContext({ locale: 'en-GB' })).newPage();
    const testPage = testPageOf(page);
    await signInWithPassword(testPage, suite.site.consoleUrl, account.username, account.oneTimePassword);
    await enrollAuthenticatorApp(testPage);
    await changeOneTimePassword(testPage, account.oneTimePassword, 'a long enough new password');
    await unlockKeys(testPage, TEST_PASSPHRASE);
    await page.getByTestId('case-table').waitFor();
    await page.getByTestId('case-table').getByRole('button', { name: `Case ${caseId.slice(0, 8)}` }).click();
    await page.getByTestId('report-answers').waitFor();

    // The reply key: warned about, and no reply can be sent.
    expect(await page.getByTestId('case-authenticity').getAttribute('data-state')).toBe('reply-key-mismatch');
    expect(await page.getByTestId('reply-blocked').textContent()).toContain('not the one the reporter’s signed report names');
    expect(await page.getByRole('button', { name: /^Encrypt and send (reply|acknowledgment)$/ }).isDisabled()).toBe(true);
    // Notes are still the investigators' own.
    expect(await page.getByRole('button', { name: 'Encrypt and save note' }).isDisabled()).toBe(false);

    // Each message for what it is.
    const thread = page.getByTestId('thread');
    expect(await thread.locator('li.followup[data-authenticity="signed"]').textContent()).toContain('Genuine follow-up.');
    expect(await thread.locator('li.followup[data-authenticity="unsigned"]').textContent()).toContain('not sent by the reporter of this case');
    const forged = await thread.locator('li.followup[data-authenticity="forged"]').textContent();
    expect(forged).toContain('not sent by the reporter of this case');
    expect(forged).not.toContain('drop it');
    expect(await thread.locator('li.reply-copy[data-authenticity="forged"]').textContent()).toContain('does not verify against the body’s directory');

    // The swapped file is refused, nothing saved.
    await page.getByRole('button', { name: 'Decrypt and save minutes.txt' }).click();
    expect(await page.getByTestId('file-error').textContent()).toContain('not the one the reporter signed');

    // An unsigned case, for a body whose pin does not say it has cases from before signing: the
    // server's own report, or a signed one it swapped out, so no reply goes to the key it lists.
    await openCaseNamed(page, older.keys.caseId);
    expect(await page.getByTestId('case-authenticity').getAttribute('data-state')).toBe('unsigned-refused');
    expect(await page.getByTestId('case-authenticity').textContent()).toContain('not written by a reporter’s browser');
    expect(await page.getByTestId('reply-blocked').textContent()).toContain('this body takes only signed reports');

    // The admin signs serial 2, which this browser verifies; the server then replays serial 1.
    serveDirectory(2);
    await openCaseNamed(page, older.keys.caseId);
    expect(await page.getByTestId('note-blocked').count()).toBe(0);
    serveDirectory(1);
    await openCaseNamed(page, older.keys.caseId);
    expect(await page.getByTestId('note-blocked').textContent()).toContain('older directory of this body than one this browser has already verified');
    expect(await page.getByRole('button', { name: /^Encrypt and send (reply|acknowledgment)$/ }).isDisabled()).toBe(true);
  });
});
