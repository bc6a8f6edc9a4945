/** The shapes of every intake request, parsed with zod into typed values. */
import { z } from 'zod';
import { fromBase64Url, parseEnvelopeHeader, type EnvelopeKind } from '../../crypto/index';

export const caseIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a case id is 64 lower-case hex characters');
export const blobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'an id is 22 base64url characters');
export const bodyIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a body id is a lower-case slug');

const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/, 'base64url without padding');

/** Decodes base64url inside a zod transform: a bad encoding is an issue for the client, not a crash. */
function decoded(text: string, context: z.RefinementCtx, message: string): Uint8Array {
  try {
    return fromBase64Url(text);
  } catch {
    context.addIssue({ code: 'custom', message });
    return new Uint8Array(0);
  }
}

export const publicKeySchema = base64url.transform((text, context) => {
  const bytes = decoded(text, context, 'a public key is 32 bytes in canonical base64url');
  if (bytes.length !== 32) context.addIssue({ code: 'custom', message: 'a public key has 32 bytes' });
  return bytes;
});

/** Ciphertext in a Candor envelope of the given kind; only the header is checked, never the content. */
export function envelopeSchema(kind: EnvelopeKind, maxBytes: number) {
  const message = `must be a ${kind} envelope in canonical base64url`;
  return base64url.max(Math.ceil((maxBytes * 4) / 3)).transform((text, context) => {
    const bytes = decoded(text, context, message);
    let found: EnvelopeKind | undefined;
    try {
      found = parseEnvelopeHeader(bytes);
    } catch {
      found = undefined;
    }
    if (found !== kind) context.addIssue({ code: 'custom', message });
    return bytes;
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
export const completeUploadSchema = z
  .object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 as lower-case hex'),
    /** The exact size; may be less than the size declared at the start, which is an upper bound. */
    size: z.number().int().positive().optional(),
  })
  .strict();
export const offsetSchema = z.object({ offset: z.string().regex(/^(0|[1-9][0-9]{0,14})$/, 'a byte offset in decimal').transform(Number) });
export const challengeRequestSchema = z.object({ caseId: caseIdSchema }).strict();
