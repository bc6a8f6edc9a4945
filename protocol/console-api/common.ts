/** What several areas of the console API share: account ids, user names, fingerprints, roles, second factors. */
import { z } from 'zod';

export const accountIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'an account id');
/** A user name as an admin chooses it; answers name accounts by whatever name they have. */
export const usernameSchema = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,63}$/, '2–64 lower-case letters, digits, dots or hyphens');
/** An OpenPGP fingerprint as OpenPGP.js writes it: lower-case hex (v4 keys: 40 digits, v6: 64). */
export const fingerprintSchema = z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'an OpenPGP fingerprint');

export const ACCOUNT_ROLES = ['admin', 'investigator'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];
export const accountRoleSchema = z.enum(ACCOUNT_ROLES);

export const secondFactorsSchema = z.strictObject({
  totp: z.boolean(),
  /** How many security keys. */
  webauthn: z.number().int().nonnegative(),
  recoveryCodesLeft: z.number().int().nonnegative(),
});
export type SecondFactors = z.infer<typeof secondFactorsSchema>;
