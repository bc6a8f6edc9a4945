/**
 * First run without any body: creates a DEMO body with a demo investigator and a signed directory,
 * so that `npm start` on a fresh clone gives a working intake. Its secrets sit in plain files under
 * the data directory and the passphrase is printed: it is for trying Candor out, never for real reports.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDirectoryKeyPair, generateInvestigatorKey, randomBytes, signDirectory, toBase64Url, type Base64Url } from '../crypto/index';
import { addDays, dayOf, type Clock } from './clock';
import { hashPassword } from './console/auth/password';
import { AccountService } from './console/services/account-service';
import { DEFAULT_QUESTIONNAIRE } from '../protocol/default-questionnaire';
import type { Storage } from './storage/index';

export const DEMO_BODY_ID = 'demo-anti-corruption-office';
const DEMO_BODY_NAME = 'Demo Anti-Corruption Office (DEMO ONLY)';
export const DEMO_DIRECTORY_VALID_DAYS = 365;
/** The demo's one directory; its pin asks for this serial or later (server/client-build.ts). */
export const DEMO_DIRECTORY_SERIAL = 1;
/** The policy the demo directory signs for reporters to read before they write. */
const DEMO_POLICY = {
  en: 'This is a demonstration: never send a real report here. Reports are encrypted in your browser for the demo investigator alone, who reads them and answers through this site.',
};

export interface DemoSetup {
  readonly directoryPublicKey: string;
  readonly investigatorPassphrase: string;
  readonly secretsDir: string;
  /** Console sign-in of the demo investigator and admin; each enrolls a second factor at first sign-in. */
  readonly investigatorLogin: DemoLogin;
  readonly adminLogin: DemoLogin;
}

export interface DemoLogin {
  readonly username: string;
  readonly password: string;
}

/** The demo's directory secret key, if this data directory holds a demo. */
export function readDemoDirectoryKey(dataDir: string): Base64Url | null {
  const path = join(dataDir, 'demo-secrets', 'directory-key.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { secretKey: Base64Url }).secretKey : null;
}

/** Creates the demo body when the database has no body at all; returns what it made, or null. */
export async function ensureDemoSetup(storage: Storage, dataDir: string, clock: Clock): Promise<DemoSetup | null> {
  if (storage.bodies.list().length > 0) return null;
  const directoryKey = generateDirectoryKeyPair();
  const investigatorPassphrase = toBase64Url(randomBytes(12));
  const investigator = await generateInvestigatorKey({ name: 'Demo Investigator', passphrase: investigatorPassphrase });
  const today = dayOf(clock.now());
  const signed = signDirectory(
    {
      format: 'candor-directory',
      version: 2,
      body: { id: DEMO_BODY_ID, name: DEMO_BODY_NAME },
      serial: DEMO_DIRECTORY_SERIAL,
      issuedOn: today,
      expiresOn: addDays(today, DEMO_DIRECTORY_VALID_DAYS),
      recipients: [{ label: 'Demo Investigator', role: 'Investigator', fingerprint: investigator.fingerprint, publicKey: investigator.armoredPublicKey }],
      intake: { questionnaire: DEFAULT_QUESTIONNAIRE, policy: DEMO_POLICY },
    },
    directoryKey.secretKey,
  );
  const secretsDir = join(dataDir, 'demo-secrets');
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const write = (name: string, content: string) => writeFileSync(join(secretsDir, name), `${content}\n`, { mode: 0o600 });
  write('README.txt', 'DEMO ONLY. These secrets were generated on first run for trying Candor out. Never use them for real reports.');
  write('directory-key.json', JSON.stringify(directoryKey, null, 2));
  write('investigator-private-key.asc', investigator.armoredPrivateKey);
  write('investigator-passphrase.txt', investigatorPassphrase);
  storage.bodies.save({
    id: DEMO_BODY_ID,
    name: DEMO_BODY_NAME,
    signedDirectory: JSON.stringify(signed),
    questionnaire: JSON.stringify(DEFAULT_QUESTIONNAIRE),
    updatedOn: today,
    createdOn: today,
  });
  const investigatorLogin = await demoAccount(storage, clock, 'demo-investigator', 'investigator', [DEMO_BODY_ID]);
  const adminLogin = await demoAccount(storage, clock, 'demo-admin', 'admin', []);
  storage.investigatorKeys.add({
    fingerprint: investigator.fingerprint,
    accountId: investigatorLogin.id,
    publicKey: investigator.armoredPublicKey,
    lockedPrivateKey: investigator.armoredPrivateKey,
    createdOn: today,
  });
  write('console-logins.txt', [investigatorLogin, adminLogin].map((login) => `${login.username} ${login.password}`).join('\n'));
  return { directoryPublicKey: directoryKey.publicKey, investigatorPassphrase, secretsDir, investigatorLogin, adminLogin };
}

/** A demo console account whose password is printed rather than one-time, to try things quickly. */
async function demoAccount(storage: Storage, clock: Clock, username: string, role: 'admin' | 'investigator', bodyIds: string[]) {
  const { id } = await new AccountService(storage, clock).create({ username, role, bodyIds }, { username: 'demo-setup' });
  const password = toBase64Url(randomBytes(12));
  storage.accounts.setPassword(id, await hashPassword(password), false);
  return { id, username, password };
}
