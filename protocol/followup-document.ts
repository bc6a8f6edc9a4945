/**
 * The follow-up document: what a reporter's browser encrypts for the investigators when they come
 * back with the token (client/intake/pages/check-case.tsx writes it) and what the console and the
 * reporter's own copy read back (docs/protocol.md §7.1). Version 1 is the follow-up's plain UTF-8
 * text, as written before files were named; version 2 is JSON with the text and the name, type and
 * size of each file sent with it; version 3, signed with the case key (protocol/reporter-messages.ts),
 * adds each file's digest and, optionally, what the browser cleaned from it. Its content comes from anyone on the internet: checked, never trusted.
 */
import { z } from 'zod';
import { utf8Decode } from '../crypto/index';
import { attachmentEntrySchema, fileCleaningSchema, plaintextDigestSchema } from './report-document';

export const FOLLOWUP_FORMAT = 'candor-followup';

const followupDocumentV2 = z
  .object({
    format: z.literal(FOLLOWUP_FORMAT),
    version: z.literal(2),
    text: z.string(),
    files: z.array(
      z
        .object({
          attachmentId: attachmentEntrySchema.shape.id,
          name: attachmentEntrySchema.shape.name,
          type: attachmentEntrySchema.shape.type,
          size: attachmentEntrySchema.shape.size,
        })
        .strict(),
    ),
  })
  .strict();

const followupDocumentV3 = followupDocumentV2.extend({
  version: z.literal(3),
  files: z.array(followupDocumentV2.shape.files.element.extend({ blockSha256: plaintextDigestSchema, cleaning: fileCleaningSchema.optional() }).strict()),
});

export type FollowupDocumentV2 = z.infer<typeof followupDocumentV2>;
export type FollowupDocumentV3 = z.infer<typeof followupDocumentV3>;
/** A file as a follow-up names it; from version 3 with the digest of its plaintext. */
export type FollowupFile = FollowupDocumentV2['files'][number] | FollowupDocumentV3['files'][number];

/** A follow-up as read: version 1 carries only text (its files, if any, were sent unnamed). */
export type FollowupDocument = { readonly version: 1; readonly text: string; readonly files: readonly [] } | FollowupDocumentV2 | FollowupDocumentV3;

export class FollowupFormatError extends Error {
  override readonly name = 'FollowupFormatError';
}

/** A follow-up as a browser writes it now (version 3), to be signed and encrypted. */
export function followupDocument(text: string, files: readonly FollowupDocumentV3['files'][number][]): FollowupDocumentV3 {
  return { format: FOLLOWUP_FORMAT, version: 3, text, files: [...files] };
}

/**
 * Parses decrypted follow-up bytes. Plaintext that is not a JSON object naming the `candor-followup`
 * format is a version 1 follow-up, its text as it is (a message may itself be JSON). A document that
 * names the format but has an unknown version or a malformed body is refused, never guessed at.
 */
export function parseFollowupDocument(plaintext: Uint8Array): FollowupDocument {
  const text = utf8Decode(plaintext);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { version: 1, text, files: [] };
  }
  const header = z.object({ format: z.literal(FOLLOWUP_FORMAT), version: z.unknown() }).safeParse(json);
  if (!header.success) return { version: 1, text, files: [] };
  if (header.data.version !== 2 && header.data.version !== 3) throw new FollowupFormatError(`Follow-up document version ${String(header.data.version)} is not known here.`);
  const parsed = (header.data.version === 2 ? followupDocumentV2 : followupDocumentV3).safeParse(json);
  if (!parsed.success) throw new FollowupFormatError(`The follow-up document is malformed: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}
