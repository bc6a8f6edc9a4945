/**
 * Signing in and out, and second factors: the session answer every step gives, the sign-in and code
 * requests, enrolling an authenticator app or a security key (docs/console-api.md, "Sessions" and
 * "The signed-in account").
 */
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '../password-policy';
import { base64url, bodyIdSchema } from '../wire';
import { accountIdSchema, accountRoleSchema, secondFactorsSchema } from './common';

/** A password as typed: the rule (protocol/password-policy.ts) counts characters, each up to 4 UTF-8 bytes. */
export const typedPasswordSchema = z.string().min(1).max(PASSWORD_MAX_LENGTH * 4);
/** Adding a second factor to an account that has one needs the password again (`currentPassword`). */
const reauthentication = { currentPassword: typedPasswordSchema.optional() };
/** An authenticator app's secret: 20 random bytes in unpadded base32, the form otpauth URIs carry. */
const totpSecret = z.string().regex(/^[A-Z2-7]{32}$/, '32 base32 characters');

export const SESSION_STAGES = ['password', 'complete'] as const;
export type SessionStage = (typeof SESSION_STAGES)[number];

/** `GET /session` and every step that starts or changes a session. */
export const sessionAnswerSchema = z.object({
  stage: z.enum(SESSION_STAGES),
  /** Sent back as `X-Candor-CSRF` with every change; replaced with the session's id. */
  csrfToken: z.string().min(1),
  /** The server ends the session after this many minutes without a request; the tab locks itself after as many without use. */
  idleMinutes: z.number().int().positive(),
  account: z.object({
    id: accountIdSchema,
    username: z.string().min(1),
    role: accountRoleSchema,
    bodies: z.array(z.object({ id: bodyIdSchema, name: z.string() })),
    mustChangePassword: z.boolean(),
    secondFactors: secondFactorsSchema,
  }),
});
export type SessionAnswer = z.infer<typeof sessionAnswerSchema>;
export type SessionAccount = SessionAnswer['account'];

/** `POST /session`. */
export const signInRequestSchema = z.object({ username: z.string().min(1).max(64), password: typedPasswordSchema }).strict();
export type SignInRequest = z.input<typeof signInRequestSchema>;

/** `POST /session/totp` and `/session/recovery-code`. */
export const codeRequestSchema = z.object({ code: z.string().min(1).max(64) }).strict();
export type CodeRequest = z.input<typeof codeRequestSchema>;

/**
 * A security key's answer (`AuthenticationResponseJSON` or `RegistrationResponseJSON`): only its
 * being an object is checked here; @simplewebauthn/server reads the rest and refuses what it cannot.
 */
const webAuthnResponse = z.record(z.string(), z.unknown());
/** `POST /session/webauthn`. */
export const webAuthnSignInRequestSchema = z.object({ response: webAuthnResponse }).strict();
/** `POST /account/webauthn`. */
export const webAuthnRegistrationRequestSchema = z.object({ response: webAuthnResponse, ...reauthentication }).strict();

// The options a browser passes to navigator.credentials (through @simplewebauthn/browser), as
// @simplewebauthn/server writes them: every field of its types today. A field a later version adds
// is dropped by the console's parse until it is added here.
const userVerification = z.enum(['required', 'preferred', 'discouraged']);
const hints = z.array(z.enum(['hybrid', 'security-key', 'client-device']));
const credentialDescriptor = z.object({ id: base64url.min(1), type: z.string(), transports: z.array(z.string()).optional() });
const extensions = z.object({ appid: z.string().optional(), credProps: z.boolean().optional() });

/** `POST /session/webauthn/options`: `PublicKeyCredentialRequestOptionsJSON`. */
export const webAuthnSignInOptionsSchema = z.object({
  challenge: base64url.min(1),
  timeout: z.number().optional(),
  rpId: z.string().optional(),
  allowCredentials: z.array(credentialDescriptor).optional(),
  userVerification: userVerification.optional(),
  hints: hints.optional(),
  extensions: extensions.optional(),
});
export type WebAuthnSignInOptions = z.infer<typeof webAuthnSignInOptionsSchema>;

/** `POST /account/webauthn/options`: `PublicKeyCredentialCreationOptionsJSON`. */
export const webAuthnRegistrationOptionsSchema = z.object({
  rp: z.object({ name: z.string(), id: z.string().optional() }),
  user: z.object({ id: base64url.min(1), name: z.string(), displayName: z.string() }),
  challenge: base64url.min(1),
  pubKeyCredParams: z.array(z.object({ alg: z.number().int(), type: z.literal('public-key') })),
  timeout: z.number().optional(),
  excludeCredentials: z.array(credentialDescriptor).optional(),
  authenticatorSelection: z
    .object({
      authenticatorAttachment: z.enum(['cross-platform', 'platform']).optional(),
      requireResidentKey: z.boolean().optional(),
      residentKey: z.enum(['discouraged', 'preferred', 'required']).optional(),
      userVerification: userVerification.optional(),
    })
    .optional(),
  hints: hints.optional(),
  attestation: z.enum(['direct', 'enterprise', 'indirect', 'none']).optional(),
  attestationFormats: z.array(z.enum(['fido-u2f', 'packed', 'android-safetynet', 'android-key', 'tpm', 'apple', 'none'])).optional(),
  extensions: extensions.optional(),
});
export type WebAuthnRegistrationOptions = z.infer<typeof webAuthnRegistrationOptionsSchema>;

/** `GET /account/totp/secret`: a proposed secret, stored nowhere until a code from it is confirmed. */
export const totpSecretAnswerSchema = z.object({ secret: totpSecret, otpauthUri: z.string().startsWith('otpauth://') });
export type TotpSecretAnswer = z.infer<typeof totpSecretAnswerSchema>;

/** `POST /account/totp`. */
export const totpEnrollRequestSchema = z
  .object({ secret: totpSecret, code: z.string().regex(/^\d{6}$/, 'six digits'), ...reauthentication })
  .strict();
export type TotpEnrollRequest = z.input<typeof totpEnrollRequestSchema>;

/** `POST /account/totp` and `/account/webauthn`: recovery codes (none while the account has some left) and the new session. */
export const enrollmentAnswerSchema = z.object({ recoveryCodes: z.array(z.string().min(1)), session: sessionAnswerSchema });
export type EnrollmentAnswer = z.infer<typeof enrollmentAnswerSchema>;
