/**
 * The report document, version 1: what a whistleblower's browser encrypts for the body's
 * investigators (client/intake/submit.ts writes it) and what the console reads back after
 * decryption (client/console/case-crypto.ts). Its text comes from anyone on the internet: it is
 * checked, never trusted. One definition for both, so that writer and reader cannot drift apart.
 */
import { z } from 'zod';
import { utf8Decode } from '../crypto/index';

/** A file as the report names it; follow-up documents name their files with the same rules. */
export const attachmentEntrySchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'an attachment id'),
  name: z.string().max(1024),
  type: z.string().max(255),
  size: z.number().int().nonnegative(),
});

const reportDocumentV1 = z
  .object({
    format: z.literal('candor-report'),
    version: z.literal(1),
    bodyId: z.string(),
    answers: z.record(z.string(), z.string()),
    attachments: z.array(attachmentEntrySchema),
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
