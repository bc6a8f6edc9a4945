/**
 * The reporter's own view and the directive's deadlines, in Chromium (issue 17): the reporter's page
 * shows what they sent, decrypted from their own copies (answers under the signed questions, in their
 * language; file names and sizes); the investigator declares a reply a plain message, the
 * acknowledgment of receipt or the feedback, and the console and the reporter's page then show the
 * same states and days, a plain reply changing neither, and the reporter's page marks the signed
 * acknowledgment and feedback as such.
 */
import { describe, expect, it } from 'vitest';
import type { TestPage } from '../helpers/browser';
import { changeOneTimePassword, createConsoleAccount, enrollAuthenticatorApp, signInWithPassword, unlockKeys, withBrowserConsole } from '../helpers/browser-console';
import { FILES_INPUT, openCase, sendReportAndReadToken, TEST_BODY_NAME } from '../helpers/browser-intake';
import { TEST_PASSPHRASE } from '../helpers/crypto';

const suite = withBrowserConsole();
const REPORT_FILE = { name: 'tender-minutes.txt', mimeType: 'text/plain', buffer: Buffer.alloc(3000, 'm') };
const FOLLOWUP_FILE = { name: 'invoice-scan.csv', mimeType: 'text/csv', buffer: Buffer.alloc(700, 'i') };

/** A deadline fact as a page shows it: its term and the day it names (the `<time datetime>`). */
interface ShownFact {
  readonly term: string;
  readonly day: string;
}

/** The acknowledgment and feedback facts of the open case, read the same way on both pages. */
function deadlineFacts(page: TestPage): Promise<{ acknowledgment: ShownFact; feedback: ShownFact }> {
  return page.evaluate(() => {
    const fact = (testId: string) => {
      const value = document.querySelector(`[data-testid="${testId}"]`);
      return { term: value?.previousElementSibling?.textContent ?? '', day: value?.querySelector('time')?.getAttribute('datetime') ?? '' };
    };
    return { acknowledgment: fact('case-acknowledgment'), feedback: fact('case-feedback') };
  }, null);
}

/** The marks on the replies of the reporter's page, oldest first: the purpose a verified signature declares, or none. */
function replyMarks(page: TestPage): Promise<(string | null)[]> {
  return page.evaluate(
    () => [...document.querySelectorAll('[data-testid="replies"] > li')].map((item) => item.querySelector('[data-testid="reply-purpose"]')?.textContent ?? null),
    null,
  );
}

const ACKNOWLEDGMENT_DUE = { console: 'Acknowledge by', reporter: 'Acknowledgment due by' };
const ACKNOWLEDGED = { console: 'Acknowledged on', reporter: 'Acknowledged on' };
const FEEDBACK_DUE = { console: 'Feedback due by', reporter: 'Feedback due by' };
const FEEDBACK_GIVEN = { console: 'Feedback given on', reporter: 'Feedback given on' };

describe('the reporter’s view and the agreed deadlines', () => {
  let token = '';
  let consolePage: TestPage;

  /** Opens the case afresh on the reporter's page and returns the page, left open for the caller to read. */
  const reporterPage = async () => {
    const page = await suite.browser.newPage({ locale: 'en-GB' });
    await openCase(page, suite.site.site.baseUrl, token);
    await page.waitFor({ testId: 'sent-messages' });
    return page;
  };

  /** Both pages' facts agree: the same day each, and the terms of the same state. */
  const expectAgreement = async (acknowledgment: typeof ACKNOWLEDGED, feedback: typeof FEEDBACK_DUE) => {
    const page = await reporterPage();
    const [onConsole, onReporterPage] = [await deadlineFacts(consolePage), await deadlineFacts(page)];
    expect(onConsole.acknowledgment.term).toBe(acknowledgment.console);
    expect(onReporterPage.acknowledgment.term).toBe(acknowledgment.reporter);
    expect(onConsole.feedback.term).toBe(feedback.console);
    expect(onReporterPage.feedback.term).toBe(feedback.reporter);
    expect(onReporterPage.acknowledgment.day).toBe(onConsole.acknowledgment.day);
    expect(onReporterPage.feedback.day).toBe(onConsole.feedback.day);
    expect(onConsole.acknowledgment.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(onConsole.feedback.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    return { page, days: onConsole };
  };

  const sendReply = async (choice: string, text: string, button: string) => {
    await consolePage.check({ label: choice });
    await consolePage.fill({ label: 'Your reply' }, text);
    await consolePage.click({ role: 'button', name: button });
    await consolePage.waitFor({ text: 'The reply was sent.' });
  };

  it('when a reporter sends a report with a choice answered and a file, then a follow-up with a file, then their page shows each under its question, by its words, with the files’ names and sizes', async () => {
    const page = await suite.browser.newPage({ locale: 'en-GB' });
    await page.goto(suite.site.site.baseUrl);
    await page.click({ role: 'button', name: TEST_BODY_NAME });
    await page.click({ role: 'button', name: 'I understand, continue' });
    await page.fill({ label: 'What happened?' }, 'The tender was split to stay under the threshold.');
    await page.check({ label: 'Yes', exact: true });
    await page.click({ role: 'button', name: 'Continue' });
    await page.setFiles(FILES_INPUT, [REPORT_FILE]);
    await page.waitFor({ text: REPORT_FILE.name });
    token = await sendReportAndReadToken(page);
    await page.close();

    const back = await reporterPage();
    await back.fill({ label: 'Your message' }, 'The invoice is attached.');
    await back.setFiles({ css: '#more-files' }, [FOLLOWUP_FILE]);
    await back.waitFor({ text: FOLLOWUP_FILE.name });
    await back.click({ role: 'button', name: 'Encrypt and send' });
    await back.waitFor({ text: 'Sent.' });
    const sent = await back.evaluate(
      () =>
        [...document.querySelectorAll('[data-testid="sent-messages"] > li')].map((item) => ({
          kind: item.getAttribute('data-kind'),
          answers: [...item.querySelectorAll('[data-testid="sent-answers"] > div')].map((row) => [row.querySelector('dt')?.textContent, row.querySelector('dd')?.textContent]),
          files: [...item.querySelectorAll('[data-testid="sent-files"] li')].map((file) => file.textContent),
          text: item.querySelector('.text')?.textContent ?? null,
        })),
      null,
    );
    expect(sent).toEqual([
      {
        kind: 'report',
        answers: [
          ['What happened?', 'The tender was split to stay under the threshold.'],
          ['Is it still going on?', 'Yes'],
        ],
        files: [`${REPORT_FILE.name} (2.9 KiB)`],
        text: null,
      },
      { kind: 'followup', answers: [], files: [`${FOLLOWUP_FILE.name} (700 B)`], text: 'The invoice is attached.' },
    ]);
    // Nothing raw: no JSON and no question ids.
    const shown = await back.textOf({ testId: 'sent-messages' });
    expect(shown).not.toMatch(/[{}"]|candor-|ongoing/);
    await back.close();

    // In the reporter's language: the signed questionnaire's German words and the choice's.
    const german = await suite.browser.newPage({ locale: 'de-DE' });
    await german.goto(suite.site.site.baseUrl);
    await german.click({ role: 'button', name: 'Eine abgegebene Meldung abrufen' });
    await german.fill({ label: 'Fallcode' }, token);
    await german.click({ role: 'button', name: 'Öffnen' });
    await german.waitFor({ testId: 'sent-messages' });
    const answers = await german.textOf({ testId: 'sent-answers' });
    expect(answers).toContain('Was ist passiert?');
    expect(answers).toContain('Dauert es noch an?');
    expect(answers).toContain('Ja');
    expect(await german.textOf({ testId: 'sent-messages' })).toContain('Gesendete Dateien: 1');
    await german.close();
  });

  it('when the investigator sends a plain reply, then the acknowledgment, another plain reply and the feedback, then the console and the reporter’s page show the same states and days after each, and mark the acknowledgment and the feedback', async () => {
    const account = await createConsoleAccount(suite.site, 'deadlines', { testKey: true });
    consolePage = await suite.browser.newPage({ locale: 'en-GB' });
    await signInWithPassword(consolePage, suite.site.consoleUrl, account.username, account.oneTimePassword);
    await enrollAuthenticatorApp(consolePage);
    await changeOneTimePassword(consolePage, account.oneTimePassword, 'a long enough new password');
    await unlockKeys(consolePage, TEST_PASSPHRASE);
    await consolePage.waitFor({ testId: 'case-table' });
    await consolePage.click({ testId: 'case-table', css: 'tbody tr button' });
    await consolePage.waitFor({ testId: 'report-answers' });

    // A new case: the acknowledgment is offered first, and said so on the button.
    const checkedChoice = () => consolePage.evaluate(() => document.querySelector<HTMLInputElement>('input[name="reply-purpose"]:checked')?.value ?? null, null);
    expect(await checkedChoice()).toBe('acknowledgment');
    expect(await consolePage.count({ role: 'button', name: 'Encrypt and send acknowledgment' })).toBe(1);
    const initial = await expectAgreement(ACKNOWLEDGMENT_DUE, FEEDBACK_DUE);
    await initial.page.close();

    // A plain first reply acknowledges nothing.
    await sendReply('A message (changes no deadline)', 'Which department was it?', 'Encrypt and send reply');
    const afterMessage = await expectAgreement(ACKNOWLEDGMENT_DUE, FEEDBACK_DUE);
    expect(afterMessage.days).toEqual(initial.days);
    expect(await replyMarks(afterMessage.page)).toEqual([null]);
    expect(await afterMessage.page.textOf({ testId: 'case-status' })).toBe('Received');
    expect(await consolePage.textOf({ testId: 'case-status' })).toBe('Received');
    await afterMessage.page.close();

    await sendReply('The acknowledgment of receipt (due within 7 days of receipt)', 'We have received your report.', 'Encrypt and send acknowledgment');
    const afterAcknowledgment = await expectAgreement(ACKNOWLEDGED, FEEDBACK_DUE);
    expect(afterAcknowledgment.days.acknowledgment.day).not.toBe(initial.days.acknowledgment.day);
    expect(await replyMarks(afterAcknowledgment.page)).toEqual([null, 'Acknowledgment of receipt']);
    expect(await afterAcknowledgment.page.textOf({ testId: 'case-status' })).toBe('Acknowledged');
    expect(await consolePage.textOf({ testId: 'case-status' })).toBe('Acknowledged');
    await afterAcknowledgment.page.close();
    // Once acknowledged, a plain message is offered first.
    expect(await checkedChoice()).toBe('message');

    // Another plain reply: no feedback.
    await sendReply('A message (changes no deadline)', 'Thank you for the invoice.', 'Encrypt and send reply');
    const afterThanks = await expectAgreement(ACKNOWLEDGED, FEEDBACK_DUE);
    expect(afterThanks.days).toEqual(afterAcknowledgment.days);
    expect(await replyMarks(afterThanks.page)).toEqual([null, 'Acknowledgment of receipt', null]);
    await afterThanks.page.close();

    await sendReply('The feedback: the action envisaged or taken (due within 3 months)', 'We referred the tender to the audit office.', 'Encrypt and send feedback');
    const afterFeedback = await expectAgreement(ACKNOWLEDGED, FEEDBACK_GIVEN);
    expect(afterFeedback.days.acknowledgment).toEqual(afterAcknowledgment.days.acknowledgment);
    expect(afterFeedback.days.feedback.day).toBe(afterAcknowledgment.days.acknowledgment.day);
    expect(await replyMarks(afterFeedback.page)).toEqual([null, 'Acknowledgment of receipt', null, 'Feedback on your report']);
    await afterFeedback.page.close();

    // The case's history says what each reply was.
    const audit = await consolePage.textOf({ testId: 'audit-table' });
    expect(audit).toContain('sent as the acknowledgment of receipt');
    expect(audit).toContain('sent as the feedback');
    await consolePage.close();
  });
});
