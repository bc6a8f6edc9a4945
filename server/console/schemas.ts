/** Request shapes of the console API (docs/console-api.md). Everything from a browser passes one of these. */
import { z } from 'zod';
import { blobIdSchema, bodyIdSchema, caseIdSchema, envelopeSchema, objectSeqSchema } from '../../protocol/wire';
import { CASE_OUTCOMES, CASE_PRIORITIES, CASE_STATUSES } from '../storage/cases-repository';
import { PASSWORD_MAX_LENGTH } from './auth/password';
import { LABEL_PATTERN, LABEL_RULE, MAX_LABELS } from '../../protocol/case-labels';

export { blobIdSchema as attachmentIdSchema, bodyIdSchema, caseIdSchema, objectSeqSchema };

export const accountIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'an account id');
export const usernameSchema = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,63}$/, '2–64 lower-case letters, digits, dots or hyphens');

export const signInSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(PASSWORD_MAX_LENGTH * 4) }).strict();
export const codeSchema = z.object({ code: z.string().min(1).max(64) }).strict();
/** Adding a second factor to an account that has one needs the password again (`currentPassword`). */
const reauthentication = { currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH * 4).optional() };
export const totpEnrollSchema = z
  .object({ secret: z.string().regex(/^[A-Z2-7]{32}$/, '32 base32 characters'), code: z.string().regex(/^\d{6}$/, 'six digits'), ...reauthentication })
  .strict();
export const webAuthnResponseSchema = z.object({ response: z.record(z.string(), z.unknown()) }).strict();
export const webAuthnRegistrationSchema = z.object({ response: z.record(z.string(), z.unknown()), ...reauthentication }).strict();
export const passwordChangeSchema = z
  .object({ currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH * 4), newPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH * 4) })
  .strict();
export const newKeySchema = z.object({ publicKey: z.string().min(1).max(64 * 1024), lockedPrivateKey: z.string().min(1).max(64 * 1024) }).strict();

const label = z.string().trim().regex(LABEL_PATTERN, LABEL_RULE);
export const caseListQuerySchema = z
  .object({
    body: bodyIdSchema.optional(),
    status: z.enum(CASE_STATUSES).optional(),
    priority: z.enum(CASE_PRIORITIES).optional(),
    assignee: z.union([z.literal('me'), z.literal('none'), accountIdSchema]).optional(),
    label: label.optional(),
    due: z.enum(['overdue', 'soon']).optional(),
    cursor: z.string().regex(/^\d{4}-\d{2}-\d{2}\.[0-9a-f]{64}$/, 'a cursor from a previous page').optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const workflowChangeSchema = z
  .object({
    status: z.enum(CASE_STATUSES).optional(),
    outcome: z.enum(CASE_OUTCOMES).optional(),
    priority: z.enum(CASE_PRIORITIES).optional(),
    assigneeId: accountIdSchema.nullable().optional(),
    labels: z.array(label).max(MAX_LABELS).optional(),
  })
  .strict()
  .refine((change) => Object.keys(change).length > 0, 'nothing to change');

/** Replies and notes: only the envelope header is checked (kind, version), never the content. */
export const replySchema = (maxBytes: number) => z.object({ sealed: envelopeSchema('reply', maxBytes), copy: envelopeSchema('reply-copy', maxBytes) }).strict();
export const noteSchema = (maxBytes: number) => z.object({ message: envelopeSchema('note', maxBytes) }).strict();

export const newAccountSchema = z
  .object({
    username: usernameSchema,
    role: z.enum(['admin', 'investigator']),
    bodies: z
      .array(bodyIdSchema)
      .max(50)
      .refine((bodies) => new Set(bodies).size === bodies.length, 'each body is listed once')
      .default([]),
  })
  .strict();
export const auditQuerySchema = z.object({ beforeSeq: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();
