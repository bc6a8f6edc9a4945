/** The shapes of every intake request, parsed with zod into typed values. */
import { z } from 'zod';
import { base64url, blobIdSchema, bodyIdSchema, caseIdSchema, decoded, envelopeSchema, objectSeqSchema } from '../../protocol/wire';

export { blobIdSchema, bodyIdSchema, caseIdSchema, objectSeqSchema };

export const publicKeySchema = base64url.transform((text, context) => {
  const bytes = decoded(text, context, 'a public key is 32 bytes in canonical base64url');
  if (bytes.length !== 32) context.addIssue({ code: 'custom', message: 'a public key has 32 bytes' });
  return bytes;
});

export function createCaseSchema(maxObjectBytes: number) {
  return z
    .object({
      bodyId: bodyIdSchema,
      caseId: caseIdSchema,
      authPublicKey: publicKeySchema,
      replyPublicKey: publicKeySchema,
      report: envelopeSchema('report', maxObjectBytes),
      reporterCopy: envelopeSchema('reporter-copy', maxObjectBytes),
    })
    .strict();
}

/**
 * `Candor-Proof-Of-Work: <challenge>.<nonce>` and `Candor-Case-Id` on case creation: the work is
 * checked from the headers, so that a request without it is refused before its body is read.
 */
export const proofOfWorkHeadersSchema = z.object({
  proofOfWork: z.string().regex(/^[A-Za-z0-9_-]{1,64}\.[0-9a-z]{1,7}$/, 'challenge.nonce, as docs/api.md says').transform((value) => {
    const [challenge = '', nonce = ''] = value.split('.');
    return { challenge, nonce };
  }),
  caseId: caseIdSchema,
});

export function followupSchema(maxObjectBytes: number) {
  return z
    .object({
      message: envelopeSchema('followup', maxObjectBytes),
      reporterCopy: envelopeSchema('reporter-copy', maxObjectBytes).optional(),
    })
    .strict();
}

export const startUploadSchema = z.object({ uploadId: blobIdSchema, size: z.number().int().positive() }).strict();
export const completeUploadSchema = z
  .object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 as lower-case hex'),
    /** The exact size; may be less than the size declared at the start, which is an upper bound. */
    size: z.number().int().positive().optional(),
  })
  .strict();
export const offsetSchema = z.object({ offset: z.string().regex(/^(0|[1-9][0-9]{0,14})$/, 'a byte offset in decimal').transform(Number) });
export const challengeRequestSchema = z.object({ caseId: caseIdSchema }).strict();

/** Every page of a reporter's status is exactly this long (docs/protocol.md §8). */
export const STATUS_ANSWER_BYTES = 8192;

/** `after`: the last message number of the previous page; 0, or absent, for the first page. */
export const statusQuerySchema = z.object({ after: z.union([z.literal('0').transform(Number), objectSeqSchema]).default(0) }).strict();
