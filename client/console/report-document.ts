/** A decrypted report document (protocol/report-document.ts) as the console shows it: answers under their questions. */
import type { Questionnaire } from '../../protocol/questionnaire';

export { parseReportDocument, ReportFormatError, type ReportDocument } from '../../protocol/report-document';

/** Console text is English: a question's English words, else its first language, else its id. */
function wordsOf(label: Readonly<Record<string, string>>, fallback: string): string {
  return label.en ?? Object.values(label)[0] ?? fallback;
}

/** Each answer under its question's words; a choice shown by its words, not its id. */
export function labelledAnswers(answers: Readonly<Record<string, string>>, questionnaire: Questionnaire | null): { id: string; question: string; answer: string }[] {
  const questions = new Map((questionnaire?.questions ?? []).map((question) => [question.id, question]));
  return Object.entries(answers).map(([id, answer]) => {
    const question = questions.get(id);
    if (question === undefined) return { id, question: id, answer };
    const choice = question.choices?.find((candidate) => candidate.id === answer);
    return { id, question: wordsOf(question.label, id), answer: choice === undefined ? answer : wordsOf(choice.label, answer) };
  });
}
