/** Signing in, second factors, and the signed-in account's own settings and keys. */
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/browser';
import type { ConsoleHttp } from './http';
import type { AccountKey, Session, TotpSecret } from './types';

/** The session as it is, or null when there is none (signed out, expired). */
export async function currentSession(http: ConsoleHttp): Promise<Session | null> {
  try {
    return await http.get<Session>('/api/v1/session', { expectSession: false });
  } catch (error) {
    if ((error as { status?: unknown }).status === 401) return null;
    throw error;
  }
}

export const signIn = (http: ConsoleHttp, username: string, password: string) => http.send<Session>('POST', '/api/v1/session', { username, password }, { expectSession: false });
export const verifyTotp = (http: ConsoleHttp, code: string) => http.send<Session>('POST', '/api/v1/session/totp', { code }, { expectSession: false });
export const verifyRecoveryCode = (http: ConsoleHttp, code: string) => http.send<Session>('POST', '/api/v1/session/recovery-code', { code }, { expectSession: false });
export const securityKeySignInOptions = (http: ConsoleHttp) => http.send<PublicKeyCredentialRequestOptionsJSON>('POST', '/api/v1/session/webauthn/options');
export const verifySecurityKey = (http: ConsoleHttp, response: AuthenticationResponseJSON) =>
  http.send<Session>('POST', '/api/v1/session/webauthn', { response }, { expectSession: false });
export const signOut = (http: ConsoleHttp) => http.send<undefined>('DELETE', '/api/v1/session', undefined, { expectSession: false });

export const newTotpSecret = (http: ConsoleHttp) => http.get<TotpSecret>('/api/v1/account/totp/secret');
/** What enrolling a second factor answers: recovery codes (empty if the account still has some) and the new session. */
export interface Enrollment {
  readonly recoveryCodes: readonly string[];
  readonly session: Session;
}

export const enrollTotp = (http: ConsoleHttp, secret: string, code: string) => http.send<Enrollment>('POST', '/api/v1/account/totp', { secret, code });
export const securityKeyRegistrationOptions = (http: ConsoleHttp) => http.send<PublicKeyCredentialCreationOptionsJSON>('POST', '/api/v1/account/webauthn/options');
/** `currentPassword` is needed when a signed-in account adds a key (not at the first sign-in). */
export const registerSecurityKey = (http: ConsoleHttp, response: RegistrationResponseJSON, currentPassword?: string) =>
  http.send<Enrollment>('POST', '/api/v1/account/webauthn', currentPassword === undefined ? { response } : { response, currentPassword });
/** The session is replaced (and every other one of the account ended); the answer is the new one. */
export const changePassword = (http: ConsoleHttp, currentPassword: string, newPassword: string) =>
  http.send<{ session: Session }>('POST', '/api/v1/account/password', { currentPassword, newPassword });

export const accountKeys = async (http: ConsoleHttp) => (await http.get<{ keys: AccountKey[] }>('/api/v1/account/keys')).keys;
export const uploadAccountKey = (http: ConsoleHttp, publicKey: string, lockedPrivateKey: string) =>
  http.send<{ fingerprint: string }>('POST', '/api/v1/account/keys', { publicKey, lockedPrivateKey });
