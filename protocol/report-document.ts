/**
 * The report document: what a whistleblower's browser encrypts for the body's investigators
 * (client/intake/submit.ts writes it) and what the console reads back after decryption
 * (client/console/case-crypto.ts). Version 2 (docs/protocol.md §7.1) is signed with the case key
 * (protocol/reporter-messages.ts) and names the case's public keys, the directory it was encrypted
 * under and each file's digest; version 1 reports, unsigned, still open. Its text comes from anyone
 * on the internet: it is checked, never trusted. One definition for both, so that writer and reader
 * cannot drift apart.
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

/** The two ways a PDF can be cleaned in the reporter's browser (docs/protocol.md §7.1). */
export const CLEANING_MODES = ['hidden-information', 'pages-only'] as const;
export type CleaningMode = (typeof CLEANING_MODES)[number];

/**
 * What the reporter's browser did to a file before encrypting it (docs/protocol.md §7.1): its status
 * and the kinds of hidden information removed, as codes the console turns into words. Optional: older
 * reports do not carry it. The codes are only bounded, not listed, so that a console older than the
 * intake still opens a report naming a new kind.
 */
export const fileCleaningSchema = z
  .object({
    status: z.enum(['cleaned', 'nothing-found', 'not-checked', 'could-not-clean']),
    removed: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'a removed-item code')).max(64),
    mode: z.enum(CLEANING_MODES).optional(),
  })
  .strict();
export type FileCleaning = z.infer<typeof fileCleaningSchema>;

/** The block SHA-256 (docs/protocol.md §9.6) of a file's plaintext, as encrypted: the console checks the file it decrypts against it. */
export const plaintextDigestSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a block SHA-256 in lower-case hex');

const caseKeySchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a 32-byte key in base64url');

const reportDocumentV1 = z
  .object({
    format: z.literal('candor-report'),
    version: z.literal(1),
    bodyId: z.string(),
    answers: z.record(z.string(), z.string()),
    attachments: z.array(attachmentEntrySchema),
  })
  .strict();

const reportDocumentV2 = z
  .object({
    format: z.literal('candor-report'),
    version: z.literal(2),
    bodyId: z.string(),
    /** The serial of the directory the report was encrypted under: a follow-up is never encrypted under an older one. */
    directorySerial: z.number().int().nonnegative(),
    /** The case's public keys, as derived from the token: the console refuses any other the server names. */
    caseKeys: z.object({ auth: caseKeySchema, reply: caseKeySchema }).strict(),
    answers: z.record(z.string(), z.string()),
    attachments: z.array(attachmentEntrySchema.extend({ blockSha256: plaintextDigestSchema, cleaning: fileCleaningSchema.optional() }).strict()),
  })
  .strict();

export type ReportDocumentV2 = z.infer<typeof reportDocumentV2>;
export type ReportDocument = z.infer<typeof reportDocumentV1> | ReportDocumentV2;

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
  if (header.data.version !== 1 && header.data.version !== 2) throw new ReportFormatError(`Report document version ${header.data.version} is not known here.`);
  const parsed = (header.data.version === 1 ? reportDocumentV1 : reportDocumentV2).safeParse(json);
  if (!parsed.success) throw new ReportFormatError(`The report document is malformed: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}
