/**
 * The body and account commands of `npm run admin` as an operator runs them, through tsx on a real
 * data directory: a body set up from nothing until the intake offers it, a lost second factor, an
 * investigator who leaves, a wrong directory key, and plain refusals of bad input.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDirectoryKeyPair, verifyDirectory } from '../../../crypto/index';
import type { Day } from '../../../server/clock';
import { verifyPassword } from '../../../server/console/auth/password';
import { acceptsReports } from '../../../server/storage/bodies-repository';
import { openStorage, type Storage } from '../../../server/storage/index';
import { makeInvestigator } from '../../helpers/crypto';

const BODY = 'city-integrity-office';

let workDir: string;
let dataDir: string;
let keyFile: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'candor-account-cli-'));
  dataDir = join(workDir, 'data');
  keyFile = join(workDir, 'directory-key.json');
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function admin(args: readonly string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args, '--data-dir', dataDir], { cwd: process.cwd(), encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

async function inStorage<T>(work: (storage: Storage) => T | Promise<T>): Promise<T> {
  const storage = await openStorage(dataDir);
  try {
    return await work(storage);
  } finally {
    storage.close();
  }
}

const oneTimePasswordIn = (stdout: string) => /\(shown once\): (\S+)/.exec(stdout)?.[1] ?? '';
const auditCount = () => inStorage((storage) => storage.audit.verify()).then((result) => (result.intact ? result.entries : -1));
const signedDirectoryOf = () => inStorage((storage) => storage.bodies.find(BODY)!.signedDirectory);

// The steps build on each other, as an operator's would: they run in order on one data directory.
describe('body and account commands', () => {
  let anaFingerprint: string;

  it('when a body is set up from nothing, then the intake offers it only once its directory is signed with the investigator’s key', async () => {
    const created = admin(['create-body', '--id', BODY, '--name', 'City Integrity Office', '--key-out', keyFile]);
    expect(created.status, created.stderr).toBe(0);
    const keyPair = JSON.parse(readFileSync(keyFile, 'utf8')) as { publicKey: string; secretKey: string };
    expect(created.stdout).toContain(keyPair.publicKey);
    expect(created.stdout).not.toContain(keyPair.secretKey);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(await inStorage((storage) => acceptsReports(storage.bodies.find(BODY)!))).toBe(false);

    const account = admin(['create-account', '--username', 'ana', '--role', 'investigator', '--body', BODY]);
    expect(account.status, account.stderr).toBe(0);
    const stored = await inStorage((storage) => storage.accounts.findByUsername('ana')!);
    expect(stored).toMatchObject({ role: 'investigator', mustChangePassword: true, bodyIds: [BODY] });
    expect(await verifyPassword(oneTimePasswordIn(account.stdout), stored.passwordHash)).toBe(true);

    const tooEarly = admin(['sign-directory', '--body', BODY, '--key', keyFile]);
    expect(tooEarly.status).toBe(1);
    expect(tooEarly.stderr).toContain(`No investigator of ${BODY} has a key yet`);

    // Ana creates her key in the console; the server stores it as the console's key route does.
    const ana = await makeInvestigator('ana');
    anaFingerprint = ana.recipient.fingerprint;
    await inStorage((storage) =>
      storage.accounts.addKey({ fingerprint: anaFingerprint, accountId: stored.id, publicKey: ana.generated.armoredPublicKey, lockedPrivateKey: ana.generated.armoredPrivateKey, createdOn: '2026-11-22' as Day }),
    );
    const signed = admin(['sign-directory', '--body', BODY, '--key', keyFile, '--valid-days', '30']);
    expect(signed.status, signed.stderr).toBe(0);
    expect(signed.stdout).toContain(`ana  ${anaFingerprint}`);
    const directory = await signedDirectoryOf();
    expect(await inStorage((storage) => acceptsReports(storage.bodies.find(BODY)!))).toBe(true);
    const { document } = await verifyDirectory(JSON.parse(directory), { pinnedKeys: [keyPair.publicKey] });
    expect(document.recipients.map((recipient) => recipient.fingerprint)).toEqual([anaFingerprint]);
  });

  it('when another key signs a directory signed before, then it is refused unless --new-signer says the intake pins the new key', async () => {
    const otherKeyFile = join(workDir, 'other-directory-key.json');
    const otherKeyPair = generateDirectoryKeyPair();
    writeFileSync(otherKeyFile, JSON.stringify(otherKeyPair), { mode: 0o600 });
    const before = await signedDirectoryOf();

    const refused = admin(['sign-directory', '--body', BODY, '--key', otherKeyFile]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('not the key that signed the directory');
    expect(await signedDirectoryOf()).toBe(before);

    const rotated = admin(['sign-directory', '--body', BODY, '--key', otherKeyFile, '--new-signer']);
    expect(rotated.status, rotated.stderr).toBe(0);
    await verifyDirectory(JSON.parse(await signedDirectoryOf()), { pinnedKeys: [otherKeyPair.publicKey] });
    const back = admin(['sign-directory', '--body', BODY, '--key', keyFile, '--new-signer']);
    expect(back.status, back.stderr).toBe(0);
  });

  it('when the input is bad, then each command says what is wrong, exits with 1 and changes nothing', async () => {
    const notJson = join(workDir, 'not-json.json');
    writeFileSync(notJson, 'publicKey=abc\n');
    const shortSecret = join(workDir, 'short-secret.json');
    writeFileSync(shortSecret, JSON.stringify({ publicKey: 'AAAA', secretKey: 'AAAA' }));
    const entriesBefore = await auditCount();
    const refusals: [readonly string[], string][] = [
      [['create-body', '--id', 'Not A Slug', '--name', 'X'], 'Not A Slug is not a valid body id'],
      [['create-body', '--id', BODY, '--name', 'Again'], `The body ${BODY} exists already`],
      [['create-body', '--id', 'another-body', '--name', 'X', '--key-out', keyFile], 'exists already; choose a new file'],
      [['create-body', '--id', 'another-body', '--name', ' '], 'The name must have 1 to 200 characters'],
      [['create-account', '--username', 'bo', '--role', 'boss'], '--role must be admin or investigator'],
      [['disable-account', '--username', 'nobody'], 'There is no account nobody'],
      [['reset-second-factor', '--username', 'nobody'], 'There is no account nobody'],
      [['sign-directory', '--body', BODY, '--key', join(workDir, 'missing.json')], 'does not exist'],
      [['sign-directory', '--body', BODY, '--key', notJson], 'is not a directory key file'],
      [['sign-directory', '--body', BODY, '--key', shortSecret], 'holds no valid directory secret key'],
      [['sign-directory', '--body', BODY, '--key', keyFile, '--valid-days', '0'], '--valid-days must be a whole number from 1 to 3650'],
      [['sign-directory', '--body', 'no-such-body', '--key', keyFile], 'There is no body no-such-body'],
    ];
    for (const [args, message] of refusals) {
      const run = admin(args);
      expect(run.stderr, args.join(' ')).toContain(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.status, args.join(' ')).toBe(1);
    }
    expect(await auditCount()).toBe(entriesBefore);
    expect(await inStorage((storage) => storage.bodies.find('another-body'))).toBeUndefined();
  });

  it('when an investigator loses their phone, then reset-second-factor removes it and issues a new one-time password', async () => {
    await inStorage((storage) => storage.accounts.setTotp(storage.accounts.findByUsername('ana')!.id, new Uint8Array(20).fill(7), 0));
    const reset = admin(['reset-second-factor', '--username', 'ana']);
    expect(reset.status, reset.stderr).toBe(0);
    const account = await inStorage((storage) => storage.accounts.findByUsername('ana')!);
    expect(account).toMatchObject({ totpSecret: null, mustChangePassword: true });
    expect(await verifyPassword(oneTimePasswordIn(reset.stdout), account.passwordHash)).toBe(true);
  });

  it('when an investigator leaves, then disable-account disables them and the next signature has nobody left to encrypt to', async () => {
    const disabled = admin(['disable-account', '--username', 'ana']);
    expect(disabled.status, disabled.stderr).toBe(0);
    expect(disabled.stdout).toContain('Re-sign the directories');
    expect((await inStorage((storage) => storage.accounts.findByUsername('ana')!)).disabledOn).not.toBeNull();
    const resign = admin(['sign-directory', '--body', BODY, '--key', keyFile]);
    expect(resign.status).toBe(1);
    expect(resign.stderr).toContain(`No investigator of ${BODY} has a key yet`);
  });
});
