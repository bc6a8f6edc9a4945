/** Signing in, second factors, and the signed-in account's own settings and keys. */
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/browser';
import {
  accountKeysAnswerSchema,
  enrollmentAnswerSchema,
  newKeyAnswerSchema,
  passwordChangeAnswerSchema,
  sessionAnswerSchema,
  totpSecretAnswerSchema,
  webAuthnRegistrationOptionsSchema,
  webAuthnSignInOptionsSchema,
  type CodeRequest,
  type NewKeyRequest,
  type PasswordChangeRequest,
  type SessionAnswer,
  type SignInRequest,
  type TotpEnrollRequest,
} from '../../../protocol/console-api/index';
import type { ConsoleHttp } from './http';

/** The session as it is, or null when there is none (signed out, expired). */
export async function currentSession(http: ConsoleHttp): Promise<SessionAnswer | null> {
  try {
    return await http.get('/api/v1/session', sessionAnswerSchema, { expectSession: false });
  } catch (error) {
    if ((error as { status?: unknown }).status === 401) return null;
    throw error;
  }
}

const firstSteps = { expectSession: false };

export const signIn = (http: ConsoleHttp, username: string, password: string) =>
  http.send('POST', '/api/v1/session', sessionAnswerSchema, { username, password } satisfies SignInRequest, firstSteps);
export const verifyTotp = (http: ConsoleHttp, code: string) => http.send('POST', '/api/v1/session/totp', sessionAnswerSchema, { code } satisfies CodeRequest, firstSteps);
export const verifyRecoveryCode = (http: ConsoleHttp, code: string) =>
  http.send('POST', '/api/v1/session/recovery-code', sessionAnswerSchema, { code } satisfies CodeRequest, firstSteps);
export const securityKeySignInOptions = (http: ConsoleHttp) => http.send('POST', '/api/v1/session/webauthn/options', webAuthnSignInOptionsSchema);
export const verifySecurityKey = (http: ConsoleHttp, response: AuthenticationResponseJSON) =>
  http.send('POST', '/api/v1/session/webauthn', sessionAnswerSchema, { response }, firstSteps);
export const signOut = (http: ConsoleHttp) => http.sendWithoutAnswer('DELETE', '/api/v1/session', undefined, firstSteps);

export const newTotpSecret = (http: ConsoleHttp) => http.get('/api/v1/account/totp/secret', totpSecretAnswerSchema);
/** Answers recovery codes (empty if the account still has some) and the new session. */
export const enrollTotp = (http: ConsoleHttp, secret: string, code: string) =>
  http.send('POST', '/api/v1/account/totp', enrollmentAnswerSchema, { secret, code } satisfies TotpEnrollRequest);
export const securityKeyRegistrationOptions = (http: ConsoleHttp) => http.send('POST', '/api/v1/account/webauthn/options', webAuthnRegistrationOptionsSchema);
/** `currentPassword` is needed when a signed-in account adds a key (not at the first sign-in). */
export const registerSecurityKey = (http: ConsoleHttp, response: RegistrationResponseJSON, currentPassword?: string) =>
  http.send('POST', '/api/v1/account/webauthn', enrollmentAnswerSchema, currentPassword === undefined ? { response } : { response, currentPassword });
/** The session is replaced (and every other one of the account ended); the answer is the new one. */
export const changePassword = (http: ConsoleHttp, currentPassword: string, newPassword: string) =>
  http.send('POST', '/api/v1/account/password', passwordChangeAnswerSchema, { currentPassword, newPassword } satisfies PasswordChangeRequest);

export const accountKeys = async (http: ConsoleHttp) => (await http.get('/api/v1/account/keys', accountKeysAnswerSchema)).keys;
export const uploadAccountKey = (http: ConsoleHttp, publicKey: string, lockedPrivateKey: string) =>
  http.send('POST', '/api/v1/account/keys', newKeyAnswerSchema, { publicKey, lockedPrivateKey } satisfies NewKeyRequest);
