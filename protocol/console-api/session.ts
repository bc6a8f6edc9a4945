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
export const sessionAnswerSchema = z.strictObject({
  stage: z.enum(SESSION_STAGES),
  /** Sent back as `X-Candor-CSRF` with every change; replaced with the session's id. */
  csrfToken: z.string().min(1),
  /** The server ends the session after this many minutes without a request; the tab locks itself after as many without use. */
  idleMinutes: z.number().int().positive(),
  account: z.strictObject({
    id: accountIdSchema,
    username: z.string().min(1),
    role: accountRoleSchema,
    bodies: z.array(z.strictObject({ id: bodyIdSchema, name: z.string() })),
    mustChangePassword: z.boolean(),
    secondFactors: secondFactorsSchema,
  }),
});
export type SessionAnswer = z.infer<typeof sessionAnswerSchema>;
export type SessionAccount = SessionAnswer['account'];

/** `POST /session`. */
export const signInRequestSchema = z.strictObject({ username: z.string().min(1).max(64), password: typedPasswordSchema });
export type SignInRequest = z.input<typeof signInRequestSchema>;

/** `POST /session/totp` and `/session/recovery-code`. */
export const codeRequestSchema = z.strictObject({ code: z.string().min(1).max(64) });
export type CodeRequest = z.input<typeof codeRequestSchema>;

/**
 * A security key's answer (`AuthenticationResponseJSON` or `RegistrationResponseJSON`): only its
 * being an object is checked here; @simplewebauthn/server reads the rest and refuses what it cannot.
 */
const webAuthnResponse = z.record(z.string(), z.unknown());
/** `POST /session/webauthn`. */
export const webAuthnSignInRequestSchema = z.strictObject({ response: webAuthnResponse });
/** `POST /account/webauthn`. */
export const webAuthnRegistrationRequestSchema = z.strictObject({ response: webAuthnResponse, ...reauthentication });

// The options a browser passes to navigator.credentials (through @simplewebauthn/browser), as
// @simplewebauthn/server writes them: every field of its types today. A field a later version adds
// is dropped by the console's parse until it is added here. Optional fields are absent, never
// undefined, as the browser library's types (under exactOptionalPropertyTypes) require.
const userVerification = z.enum(['required', 'preferred', 'discouraged']);
const hints = z.array(z.enum(['hybrid', 'security-key', 'client-device']));
const credentialDescriptor = z.object({ id: base64url.min(1), type: z.string(), transports: z.array(z.string()).exactOptional() });
const extensions = z.object({ appid: z.string().exactOptional(), credProps: z.boolean().exactOptional() });

/** `POST /session/webauthn/options`: `PublicKeyCredentialRequestOptionsJSON`. */
export const webAuthnSignInOptionsSchema = z.object({
  challenge: base64url.min(1),
  timeout: z.number().exactOptional(),
  rpId: z.string().exactOptional(),
  allowCredentials: z.array(credentialDescriptor).exactOptional(),
  userVerification: userVerification.exactOptional(),
  hints: hints.exactOptional(),
  extensions: extensions.exactOptional(),
});
export type WebAuthnSignInOptions = z.infer<typeof webAuthnSignInOptionsSchema>;

/** `POST /account/webauthn/options`: `PublicKeyCredentialCreationOptionsJSON`. */
export const webAuthnRegistrationOptionsSchema = z.object({
  rp: z.object({ name: z.string(), id: z.string().exactOptional() }),
  user: z.object({ id: base64url.min(1), name: z.string(), displayName: z.string() }),
  challenge: base64url.min(1),
  pubKeyCredParams: z.array(z.object({ alg: z.number().int(), type: z.literal('public-key') })),
  timeout: z.number().exactOptional(),
  excludeCredentials: z.array(credentialDescriptor).exactOptional(),
  authenticatorSelection: z
    .object({
      authenticatorAttachment: z.enum(['cross-platform', 'platform']).exactOptional(),
      requireResidentKey: z.boolean().exactOptional(),
      residentKey: z.enum(['discouraged', 'preferred', 'required']).exactOptional(),
      userVerification: userVerification.exactOptional(),
    })
    .exactOptional(),
  hints: hints.exactOptional(),
  attestation: z.enum(['direct', 'enterprise', 'indirect', 'none']).exactOptional(),
  attestationFormats: z.array(z.enum(['fido-u2f', 'packed', 'android-safetynet', 'android-key', 'tpm', 'apple', 'none'])).exactOptional(),
  extensions: extensions.exactOptional(),
});
export type WebAuthnRegistrationOptions = z.infer<typeof webAuthnRegistrationOptionsSchema>;

/** `GET /account/totp/secret`: a proposed secret, stored nowhere until a code from it is confirmed. */
export const totpSecretAnswerSchema = z.strictObject({ secret: totpSecret, otpauthUri: z.string().startsWith('otpauth://') });
export type TotpSecretAnswer = z.infer<typeof totpSecretAnswerSchema>;

/** `POST /account/totp`. */
export const totpEnrollRequestSchema = z.strictObject({ secret: totpSecret, code: z.string().regex(/^\d{6}$/, 'six digits'), ...reauthentication });
export type TotpEnrollRequest = z.input<typeof totpEnrollRequestSchema>;

/** `POST /account/totp` and `/account/webauthn`: recovery codes (none while the account has some left) and the new session. */
export const enrollmentAnswerSchema = z.strictObject({ recoveryCodes: z.array(z.string().min(1)), session: sessionAnswerSchema });
export type EnrollmentAnswer = z.infer<typeof enrollmentAnswerSchema>;
