/** Administration and the audit log (docs/console-api.md, "Administration"); audit entries are also a case's history. */
import { z } from 'zod';
import { bodyIdSchema, daySchema } from '../wire';
import { accountIdSchema, accountRoleSchema, secondFactorsSchema, usernameSchema } from './common';

/** One account as the admin page lists it. */
export const adminAccountSchema = z.strictObject({
  id: accountIdSchema,
  username: z.string().min(1),
  role: accountRoleSchema,
  bodies: z.array(bodyIdSchema),
  disabledOn: daySchema.nullable(),
  secondFactors: secondFactorsSchema,
});
export type AdminAccount = z.infer<typeof adminAccountSchema>;

/** `GET /admin/accounts`. */
export const adminAccountsAnswerSchema = z.strictObject({ accounts: z.array(adminAccountSchema) });
export type AdminAccountsAnswer = z.infer<typeof adminAccountsAnswerSchema>;

/** `POST /admin/accounts`. */
export const newAccountRequestSchema = z
  .strictObject({
    username: usernameSchema,
    role: accountRoleSchema,
    bodies: z
      .array(bodyIdSchema)
      .max(50)
      .refine((bodies) => new Set(bodies).size === bodies.length, 'each body is listed once')
      .default([]),
  });
export type NewAccountRequest = z.input<typeof newAccountRequestSchema>;

/** A one-time password, shown once to the admin, to be replaced at the account's next sign-in. */
const oneTimePassword = z.string().min(1);

/** `POST /admin/accounts`. */
export const accountCreatedAnswerSchema = z.strictObject({ id: accountIdSchema, oneTimePassword });
export type AccountCreatedAnswer = z.infer<typeof accountCreatedAnswerSchema>;

/** `POST /admin/accounts/:accountId/reset-second-factor`. */
export const secondFactorResetAnswerSchema = z.strictObject({ oneTimePassword });
export type SecondFactorResetAnswer = z.infer<typeof secondFactorResetAnswerSchema>;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex characters');

/** Every action the audit log records; the server refuses any other, and the console names each one. */
export const AUDIT_ACTIONS = [
  'account.created',
  'account.disabled',
  'account.password-changed',
  'account.second-factor-reset',
  'account.totp-enrolled',
  'account.webauthn-registered',
  'account.recovery-code-used',
  'session.signed-in',
  'session.sign-in-failed',
  'session.signed-out',
  'key.added',
  'key.retired',
  'body.created',
  'directory.signed',
  'body.retention-changed',
  'body.statistics-changed',
  'case.viewed',
  'case.status-changed',
  'case.assigned',
  'case.priority-changed',
  'case.labels-changed',
  'case.replied',
  'case.note-added',
  'case.attachment-downloaded',
  'case.exported',
  'case.deleted',
  'cases.purged',
  'audit.verified',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What was done, by whom, when; `details` holds identifiers and workflow values only, never content or secrets. */
export const auditEntrySchema = z.strictObject({
  seq: z.number().int().positive(),
  /** ISO 8601 in UTC with milliseconds. */
  at: z.iso.datetime(),
  actor: z.string(),
  /** One of AUDIT_ACTIONS; kept open so that a console older than its server still shows an action it has no name for. */
  action: z.string().min(1),
  bodyId: bodyIdSchema.nullable(),
  caseId: z.string().nullable(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  /** The hash chain (docs/protocol.md §16): the previous entry's hash, and this one's. */
  prevHash: hex64,
  hash: hex64,
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** `GET /admin/audit` (newest first) and `GET /cases/:caseId/audit`. */
export const auditEntriesAnswerSchema = z.strictObject({ entries: z.array(auditEntrySchema) });
export type AuditEntriesAnswer = z.infer<typeof auditEntriesAnswerSchema>;

/** `GET /admin/audit`: pages by `beforeSeq`. */
export const auditQuerySchema = z.strictObject({ beforeSeq: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });
export type AuditQuery = z.input<typeof auditQuerySchema>;
