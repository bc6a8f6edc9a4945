/**
 * A real console app over the storage of a test intake (one body, a signed directory), with a clock
 * the test moves, ready accounts (password + TOTP; investigators with a key the body's signed directory
 * lists, so they reach its cases), and signed-in supertest agents.
 */
import request from 'supertest';
import type { Express } from 'express';
import { readSignedDirectoryDocument, signDirectory, signedDirectorySchema } from '../../crypto/index';
import { dayOf, type Clock } from '../../server/clock';
import { hashPassword } from '../../server/console/auth/password';
import { base32Decode, newTotpSecret, totpCode, totpStep } from '../../server/console/auth/totp';
import { createConsoleApp } from '../../server/console/create-console-app';
import { AccountService } from '../../server/console/services/account-service';
import { BodyService } from '../../server/console/services/body-service';
import { createJsonLogger } from '../../server/logger';
import { makeInvestigator, type TestInvestigator } from './crypto';
import { startTestIntake, TEST_BODY_ID, TEST_ROLE, type TestIntake, type TestIntakeOptions } from './intake';

/** Fast scrypt for test accounts only: the stored hash names its own parameters. */
const FAST_SCRYPT = { log2N: 10, r: 8, p: 1 };
export const TEST_PASSWORD = 'a long test password';

export class TestClock implements Clock {
  constructor(private current: number) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

export interface TestAccount {
  readonly id: string;
  readonly username: string;
  readonly password: string;
  readonly totpSecret: string;
  /** An investigator's current key, listed in the test body's signed directory; null for admins and `key: 'none'`. */
  readonly key: TestInvestigator | null;
}

export interface TestAccountOptions {
  /**
   * `listed` (the default for an investigator of the test body): a key of their own, listed in the
   * body's signed directory, so they reach its cases. `none`: no key, as an admin creates an account.
   */
  readonly key?: 'listed' | 'none';
}

/**
 * Test investigators' keys, made once per test file (each file loads its own copy of this module):
 * the first is the test intake's, which its directory lists from the start.
 */
const testKeys: Promise<TestInvestigator>[] = [];
function testKey(index: number): Promise<TestInvestigator> {
  testKeys[index] ??= makeInvestigator(`Test Investigator ${index}`);
  return testKeys[index];
}

export interface TestConsole {
  readonly intake: TestIntake;
  readonly app: Express;
  readonly clock: TestClock;
  readonly logLines: string[];
  /** Creates an account that has chosen its password and enrolled TOTP. */
  account(username: string, role: 'admin' | 'investigator', bodyIds?: readonly string[], options?: TestAccountOptions): Promise<TestAccount>;
  /**
   * As the admin does offline: signs the directory the server proposes for the test body (every
   * investigator's current key, the serial after the stored one) and imports it.
   */
  signDirectory(): Promise<void>;
  /** Signs in with password and TOTP; the clock moves one TOTP step first, so codes are never reused. */
  signIn(account: TestAccount): Promise<SignedIn>;
  close(): void;
}

export interface SignedIn {
  readonly agent: ReturnType<typeof request.agent>;
  csrfToken: string;
  get(path: string): request.Test;
  send(method: 'post' | 'patch' | 'delete', path: string, body?: object): request.Test;
}

export function signedIn(app: Express, csrfToken: string, agent = request.agent(app)): SignedIn {
  const session: SignedIn = {
    agent,
    csrfToken,
    get: (path) => agent.get(path),
    send: (method, path, body) => {
      const pending = agent[method](path).set('X-Candor-CSRF', session.csrfToken);
      return body === undefined ? pending : pending.send(body);
    },
  };
  return session;
}

export async function startTestConsole(options: TestIntakeOptions & { start?: Date } = {}): Promise<TestConsole> {
  const clock = new TestClock((options.start ?? new Date()).getTime());
  const intake = await startTestIntake({ ...options, clock, investigator: options.investigator ?? (await testKey(0)) });
  const logLines: string[] = [];
  const app = createConsoleApp(intake.config, { storage: intake.storage, clock, logger: createJsonLogger((line) => logLines.push(line)) });
  const { storage } = intake;
  let keyed = 0;

  /** The first keyed investigator holds the key the test directory lists already; each next one's is added to it. */
  const giveListedKey = async (accountId: string, label: string): Promise<TestInvestigator> => {
    const key = keyed === 0 ? intake.investigator : await testKey(keyed);
    keyed += 1;
    const { generated } = key;
    storage.investigatorKeys.add({ fingerprint: generated.fingerprint, accountId, publicKey: generated.armoredPublicKey, lockedPrivateKey: generated.armoredPrivateKey, createdOn: dayOf(clock.now()) });
    const body = storage.bodies.find(TEST_BODY_ID)!;
    const document = readSignedDirectoryDocument(signedDirectorySchema.parse(JSON.parse(body.signedDirectory)));
    if (document.version !== 2) throw new Error('The test body has a version 1 directory.');
    if (!document.recipients.some((recipient) => recipient.fingerprint === generated.fingerprint)) {
      // Signed again under the same serial: what the clients pin or saw before stays accepted.
      const recipients = [...document.recipients, { label, role: TEST_ROLE, fingerprint: generated.fingerprint, publicKey: generated.armoredPublicKey }];
      storage.bodies.save({ ...body, signedDirectory: JSON.stringify(signDirectory({ ...document, recipients }, intake.directoryKey.secretKey)) });
    }
    return key;
  };

  return {
    intake,
    app,
    clock,
    logLines,
    async account(username, role, bodyIds = role === 'investigator' ? [TEST_BODY_ID] : [], accountOptions = {}) {
      const { id } = await new AccountService(storage, clock).create({ username, role, bodyIds }, { username: 'test' });
      storage.accounts.setPassword(id, await hashPassword(TEST_PASSWORD, FAST_SCRYPT), false);
      const totpSecret = newTotpSecret();
      storage.secondFactors.setTotp(id, base32Decode(totpSecret)!, totpStep(clock.now()) - 2);
      const listed = role === 'investigator' && bodyIds.includes(TEST_BODY_ID) && accountOptions.key !== 'none';
      return { id, username, password: TEST_PASSWORD, totpSecret, key: listed ? await giveListedKey(id, username) : null };
    },
    async signDirectory() {
      const bodies = new BodyService(storage, clock);
      const signed = signDirectory(bodies.directoryRequest(TEST_BODY_ID, 30), intake.directoryKey.secretKey);
      await bodies.importSignedDirectory({ bodyId: TEST_BODY_ID, signed, pins: intake.pins }, { username: 'test' });
    },
    async signIn(account) {
      clock.advance(30_000);
      const agent = request.agent(app);
      const first = await agent.post('/api/v1/session').send({ username: account.username, password: account.password });
      if (first.status !== 200) throw new Error(`sign-in failed: ${first.status} ${JSON.stringify(first.body)}`);
      const second = await agent.post('/api/v1/session/totp').set('X-Candor-CSRF', first.body.csrfToken).send({ code: totpCode(account.totpSecret, clock.now()) });
      if (second.status !== 200) throw new Error(`second factor failed: ${second.status} ${JSON.stringify(second.body)}`);
      return signedIn(app, second.body.csrfToken as string, agent);
    },
    close: () => intake.close(),
  };
}

export const today = (clock: Clock) => dayOf(clock.now());
