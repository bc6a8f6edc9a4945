/**
 * The report document a whistleblower's browser encrypts (client/intake/submit.ts, version 1), read
 * back after decryption. Its text comes from anyone on the internet: it is checked, never trusted.
 */
import { z } from 'zod';
import { utf8Decode } from '../../crypto/index';
import type { Questionnaire } from './api/types';

const reportDocumentV1 = z
  .object({
    format: z.literal('candor-report'),
    version: z.literal(1),
    bodyId: z.string(),
    answers: z.record(z.string(), z.string()),
    attachments: z.array(
      z.object({
        id: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'an attachment id'),
        name: z.string().max(1024),
        type: z.string().max(255),
        size: z.number().int().nonnegative(),
      }),
    ),
  })
  .strict();

export type ReportDocument = z.infer<typeof reportDocumentV1>;

export class ReportFormatError extends Error {
  override readonly name = 'ReportFormatError';
}

/** Parses decrypted report bytes; a document of an unknown format or version is refused, not guessed at. */
export function parseReportDocument(plaintext: Uint8Array): ReportDocument {
  let json: unknown;
  try {
    json = JSON.parse(utf8Decode(plaintext));
  } catch (cause) {
    throw new ReportFormatError('The decrypted report is not JSON.', { cause });
  }
  const header = z.object({ format: z.literal('candor-report'), version: z.number() }).safeParse(json);
  if (!header.success) throw new ReportFormatError('The decrypted report is not a Candor report document.');
  if (header.data.version !== 1) throw new ReportFormatError(`Report document version ${header.data.version} is not known to this console.`);
  const parsed = reportDocumentV1.safeParse(json);
  if (!parsed.success) throw new ReportFormatError(`The report document is malformed: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}

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
