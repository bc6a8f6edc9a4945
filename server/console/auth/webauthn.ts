/**
 * Security keys (WebAuthn) as a second factor, through @simplewebauthn/server. The relying party is
 * the console's own origin (an onion address in production), so a key works for this console only.
 */
import type { AuthenticationResponseJSON, AuthenticatorTransport, RegistrationResponseJSON } from '@simplewebauthn/server';
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

/**
 * Loaded at the first security-key ceremony, not at start-up: the process also serves the intake,
 * and this library and its dependencies weigh several MiB of resident memory that an idle intake
 * would otherwise hold (issue 14: idle RSS under 120 MiB).
 */
const webAuthn = () => import('@simplewebauthn/server');

const transportsOf = (credential: WebAuthnCredentialRecord) => credential.transports as AuthenticatorTransport[];
const refused = () => new AppError('unauthorized', 'The security key’s answer could not be verified.');

export async function registrationOptions(rp: RelyingParty, account: AccountRecord, existing: readonly WebAuthnCredentialRecord[]) {
  const { generateRegistrationOptions } = await webAuthn();
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
  const { verifyRegistrationResponse } = await webAuthn();
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

export async function authenticationOptions(rp: RelyingParty, credentials: readonly WebAuthnCredentialRecord[]) {
  const { generateAuthenticationOptions } = await webAuthn();
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
  const { verifyAuthenticationResponse } = await webAuthn();
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
