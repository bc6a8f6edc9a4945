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
