/** The wire's smallest parts, for every API: ids, base64url and Candor envelopes (only their header is checked). */
import { z } from 'zod';
import { fromBase64Url, parseEnvelopeHeader, type EnvelopeKind } from '../crypto/index';

export const caseIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a case id is 64 lower-case hex characters');
export const blobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'an id is 22 base64url characters');
export const bodyIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a body id is a lower-case slug');

/**
 * An object's number in its case, as a path segment: digits without sign or leading zero, so each
 * object has one address, and at most nine of them, far above any case's count of objects.
 */
export const objectSeqSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,8}$/, 'an object number is a whole number from 1 to 999999999')
  .transform(Number);

export const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/, 'base64url without padding');

/** Decodes base64url inside a zod transform: a bad encoding is an issue for the client, not a crash. */
export function decoded(text: string, context: z.RefinementCtx, message: string): Uint8Array {
  try {
    return fromBase64Url(text);
  } catch {
    context.addIssue({ code: 'custom', message });
    return new Uint8Array(0);
  }
}

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

/**
 * Every refusal of either API (docs/api.md, docs/console-api.md): a stable code for the client, a
 * message safe to show, and details naming what was wrong. Clients branch on `code`, never on `message`.
 */
export const errorAnswerSchema = z.object({
  error: z.object({ code: z.string().min(1), message: z.string(), details: z.array(z.string()).optional() }),
});
export type ErrorAnswer = z.infer<typeof errorAnswerSchema>;

/** A date as the APIs give it: a day, `YYYY-MM-DD` in UTC, never a time of day. */
export const daySchema = z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, 'a day as YYYY-MM-DD');

/** Every error code an API answers, with its HTTP status (docs/api.md §Conventions). */
export const API_ERROR_STATUSES = {
  'bad-request': 400,
  'proof-of-work-required': 400,
  'unauthorized': 401,
  'forbidden': 403,
  'not-found': 404,
  'conflict': 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'limit-reached': 422,
  'rate-limited': 429,
  'storage-full': 507,
  'internal': 500,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_STATUSES;
