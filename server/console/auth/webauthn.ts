/**
 * Security keys (WebAuthn) as a second factor, through @simplewebauthn/server. The relying party is
 * the console's own origin (an onion address in production), so a key works for this console only.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { AppError } from '../../errors';
import type { AccountRecord } from '../../storage/accounts-repository';
import type { WebAuthnCredentialRecord } from '../../storage/second-factors-repository';

export interface RelyingParty {
  readonly origin: string;
  readonly id: string;
  readonly name: string;
}

export function relyingPartyFor(origin: string): RelyingParty {
  return { origin, id: new URL(origin).hostname, name: 'Candor review console' };
}

const transportsOf = (credential: WebAuthnCredentialRecord) => credential.transports as AuthenticatorTransport[];
const refused = () => new AppError('unauthorized', 'The security key’s answer could not be verified.');

export function registrationOptions(rp: RelyingParty, account: AccountRecord, existing: readonly WebAuthnCredentialRecord[]) {
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: account.username,
    userID: new TextEncoder().encode(account.id),
    attestationType: 'none',
    excludeCredentials: existing.map((credential) => ({ id: credential.id, transports: transportsOf(credential) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
}

export async function verifyRegistration(rp: RelyingParty, response: unknown, expectedChallenge: string) {
  try {
    const result = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
    });
    if (!result.verified) throw refused();
    const { credential } = result.registrationInfo;
    return { id: credential.id, publicKey: credential.publicKey, counter: credential.counter, transports: credential.transports ?? [] };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw refused();
  }
}

export function authenticationOptions(rp: RelyingParty, credentials: readonly WebAuthnCredentialRecord[]) {
  return generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: credentials.map((credential) => ({ id: credential.id, transports: transportsOf(credential) })),
    userVerification: 'preferred',
  });
}

/** The credential used and its new signature counter, or an `unauthorized` AppError. */
export async function verifyAuthentication(rp: RelyingParty, response: unknown, expectedChallenge: string, credentials: readonly WebAuthnCredentialRecord[]) {
  const answer = response as AuthenticationResponseJSON;
  const credential = credentials.find((candidate) => candidate.id === answer.id);
  if (credential === undefined) throw refused();
  try {
    const result = await verifyAuthenticationResponse({
      response: answer,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: { id: credential.id, publicKey: new Uint8Array(credential.publicKey), counter: credential.counter, transports: credential.transports as string[] },
      requireUserVerification: false,
    });
    if (!result.verified) throw refused();
    return { credentialId: credential.id, newCounter: result.authenticationInfo.newCounter };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw refused();
  }
}
