/** Reading a decrypted report document: version 1 only, every field checked. */
import { describe, expect, it } from 'vitest';
import { utf8Encode } from '../../../../crypto/index';
import { labelledAnswers, parseReportDocument, ReportFormatError } from '../../../../client/console/report-document';
import { DEFAULT_QUESTIONNAIRE } from '../../../../protocol/default-questionnaire';

const DOCUMENT = {
  format: 'candor-report',
  version: 1,
  bodyId: 'body',
  answers: { what: 'The tender was rigged.' },
  attachments: [{ id: 'A'.repeat(22), name: 'invoice.pdf', type: 'application/pdf', size: 1234 }],
};

const bytes = (value: unknown) => utf8Encode(JSON.stringify(value));

describe('parseReportDocument', () => {
  it('when the document is a version 1 report, then it is read as it was written', () => {
    expect(parseReportDocument(bytes(DOCUMENT))).toEqual(DOCUMENT);
  });

  it('when the version is unknown, then it is refused by name, not guessed at', () => {
    expect(() => parseReportDocument(bytes({ ...DOCUMENT, version: 3 }))).toThrow(/version 3/);
  });

  it('when it is not a report document, then it is refused', () => {
    expect(() => parseReportDocument(bytes({ answers: {} }))).toThrow(ReportFormatError);
  });

  it('when it is not JSON or not UTF-8, then it is refused', () => {
    expect(() => parseReportDocument(utf8Encode('plain text'))).toThrow(ReportFormatError);
    expect(() => parseReportDocument(Uint8Array.of(0xff, 0xfe))).toThrow(ReportFormatError);
  });

  it('when an attachment lacks its size or has an extra field, then the field is named', () => {
    expect(() => parseReportDocument(bytes({ ...DOCUMENT, attachments: [{ id: 'A'.repeat(22), name: 'x', type: '' }] }))).toThrow(/attachments\.0\.size/);
    expect(() => parseReportDocument(bytes({ ...DOCUMENT, extra: true }))).toThrow(ReportFormatError);
  });
});

describe('answers under their questions', () => {
  it('when the questionnaire knows a question, then its English words and the chosen option’s words are shown; unknown ids stay as they are', () => {
    const choice = DEFAULT_QUESTIONNAIRE.questions.find((question) => question.kind === 'choice')!;
    const option = choice.choices![0]!;
    const shown = labelledAnswers({ what: 'the text', [choice.id]: option.id, 'removed-question': 'old answer' }, DEFAULT_QUESTIONNAIRE);
    expect(shown).toEqual([
      { id: 'what', question: DEFAULT_QUESTIONNAIRE.questions.find((question) => question.id === 'what')!.label.en, answer: 'the text' },
      { id: choice.id, question: choice.label.en, answer: option.label.en },
      { id: 'removed-question', question: 'removed-question', answer: 'old answer' },
    ]);
    expect(labelledAnswers({ what: 'x' }, null)).toEqual([{ id: 'what', question: 'what', answer: 'x' }]);
  });
});
