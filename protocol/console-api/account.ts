/** The signed-in account's password and OpenPGP keys (docs/console-api.md, "The signed-in account"). */
import { z } from 'zod';
import { daySchema } from '../wire';
import { fingerprintSchema } from './common';
import { sessionAnswerSchema, typedPasswordSchema } from './session';

/** `POST /account/password`; the new password's rule is protocol/password-policy.ts, checked by both sides. */
export const passwordChangeRequestSchema = z.strictObject({ currentPassword: typedPasswordSchema, newPassword: typedPasswordSchema });
export type PasswordChangeRequest = z.input<typeof passwordChangeRequestSchema>;

/** `POST /account/password`: the replaced session. */
export const passwordChangeAnswerSchema = z.strictObject({ session: sessionAnswerSchema });
export type PasswordChangeAnswer = z.infer<typeof passwordChangeAnswerSchema>;

/** An armored OpenPGP key; the largest thing outside cases that the console sends. */
const armoredKey = z.string().min(1).max(64 * 1024);

/** One of the account's keys; the private key only ever locked with the investigator's passphrase. */
export const accountKeySchema = z.strictObject({
  fingerprint: fingerprintSchema,
  publicKey: armoredKey,
  lockedPrivateKey: armoredKey,
  createdOn: daySchema,
  retiredOn: daySchema.nullable(),
});
export type AccountKey = z.infer<typeof accountKeySchema>;

/** `GET /account/keys`: newest first, retired keys included so old cases stay readable. */
export const accountKeysAnswerSchema = z.strictObject({ keys: z.array(accountKeySchema) });
export type AccountKeysAnswer = z.infer<typeof accountKeysAnswerSchema>;

/** `POST /account/keys`. */
export const newKeyRequestSchema = z.strictObject({ publicKey: armoredKey, lockedPrivateKey: armoredKey });
export type NewKeyRequest = z.input<typeof newKeyRequestSchema>;

/** `POST /account/keys`: the stored key's fingerprint. */
export const newKeyAnswerSchema = z.strictObject({ fingerprint: fingerprintSchema });
export type NewKeyAnswer = z.infer<typeof newKeyAnswerSchema>;

/**
 * The account's e-mail alerts (`POST /account/notifications`): the address, whether alerts are on,
 * whether each is encrypted to the account's current key, whether short case ids may appear in them.
 */
export const notificationSettingsRequestSchema = z.strictObject({
  // z.email() admits no spaces or line breaks: nothing can slip into a mail header.
  email: z.email().max(254),
  enabled: z.boolean(),
  encrypt: z.boolean(),
  showCaseIds: z.boolean(),
});
export type NotificationSettingsRequest = z.input<typeof notificationSettingsRequestSchema>;

/**
 * `GET` and `POST /account/notifications`: the account's own settings (`settings` null until first
 * saved; `suggested` is what the form starts from then), whether this server sends alerts at all,
 * whether the account has a key to encrypt to, and the server's interval and days before a deadline
 * (null while it sends none).
 */
export const notificationSettingsAnswerSchema = z.strictObject({
  available: z.boolean(),
  hasKey: z.boolean(),
  intervalMinutes: z.number().int().positive().nullable(),
  daysBeforeDeadline: z.number().int().nonnegative().nullable(),
  settings: notificationSettingsRequestSchema.nullable(),
  suggested: z.strictObject({ enabled: z.boolean(), encrypt: z.boolean(), showCaseIds: z.boolean() }),
});
export type NotificationSettingsAnswer = z.infer<typeof notificationSettingsAnswerSchema>;
