/** The shapes of every intake request, parsed with zod into typed values. */
import { z } from 'zod';
import { fromBase64Url, parseEnvelopeHeader, type EnvelopeKind } from '../../crypto/index';

export const caseIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a case id is 64 lower-case hex characters');
export const blobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'an id is 22 base64url characters');
export const bodyIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a body id is a lower-case slug');

const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/, 'base64url without padding');

export const publicKeySchema = base64url.transform((text, context) => {
  const bytes = fromBase64Url(text);
  if (bytes.length !== 32) context.addIssue({ code: 'custom', message: 'a public key has 32 bytes' });
  return bytes;
});

/** Ciphertext in a Candor envelope of the given kind; only the header is checked, never the content. */
export function envelopeSchema(kind: EnvelopeKind, maxBytes: number) {
  return base64url.max(Math.ceil((maxBytes * 4) / 3)).transform((text, context) => {
    try {
      const bytes = fromBase64Url(text);
      if (parseEnvelopeHeader(bytes) !== kind) context.addIssue({ code: 'custom', message: `must be a ${kind} envelope` });
      return bytes;
    } catch {
      context.addIssue({ code: 'custom', message: `must be a ${kind} envelope` });
      return new Uint8Array(0);
    }
  });
}

export function createCaseSchema(maxObjectBytes: number) {
  return z
    .object({
      bodyId: bodyIdSchema,
      caseId: caseIdSchema,
      authPublicKey: publicKeySchema,
      replyPublicKey: publicKeySchema,
      report: envelopeSchema('report', maxObjectBytes),
      reporterCopy: envelopeSchema('reporter-copy', maxObjectBytes),
      proofOfWork: z.object({ challenge: base64url.max(64), nonce: z.string().max(16) }).strict(),
    })
    .strict();
}

export function followupSchema(maxObjectBytes: number) {
  return z
    .object({
      message: envelopeSchema('followup', maxObjectBytes),
      reporterCopy: envelopeSchema('reporter-copy', maxObjectBytes).optional(),
    })
    .strict();
}

export const startUploadSchema = z.object({ uploadId: blobIdSchema, size: z.number().int().positive() }).strict();
export const completeUploadSchema = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 as lower-case hex') }).strict();
export const offsetSchema = z.object({ offset: z.coerce.number().int().min(0) });
export const challengeRequestSchema = z.object({ caseId: caseIdSchema }).strict();
