/** Bodies and console accounts: create a body, manage its investigators, sign its recipient directory. */
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { generateDirectoryKeyPair, isCryptoError, type Base64Url } from '../../crypto/index';
import { dayOf, systemClock } from '../clock';
import { createAccount, disableAccount, resetSecondFactor } from '../console/accounts-service';
import { directoryStatus, signBodyDirectory } from '../console/directory';
import { bodyIdSchema, usernameSchema } from '../console/schemas';
import { AppError } from '../errors';
import { DEFAULT_QUESTIONNAIRE } from '../questionnaire';
import { UNSIGNED_DIRECTORY } from '../storage/bodies-repository';
import { openStorage, type Storage } from '../storage/index';
import { COMMAND_LINE_ACTOR, dataDirOption, readTextFile, UsageError } from './usage';

async function withStorage<T>(dataDir: string | undefined, work: (storage: Storage) => Promise<T> | T): Promise<T> {
  const storage = await openStorage(dataDirOption(dataDir));
  try {
    return await work(storage);
  } catch (error) {
    if (error instanceof AppError) throw new UsageError(`${error.publicMessage}${error.details.length > 0 ? ` (${error.details.join('; ')})` : ''}`);
    throw error;
  } finally {
    storage.close();
  }
}

function parsed<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`${String(value)} is not a valid ${what}.`);
  return result.data;
}

/** The secret half of a key pair file written by `create-body --key-out`. */
async function readDirectorySecretKey(path: string): Promise<Base64Url> {
  const text = await readTextFile(path, 'directory key');
  let secretKey: unknown;
  try {
    secretKey = (JSON.parse(text) as { secretKey?: unknown } | null)?.secretKey;
  } catch {
    throw new UsageError(`${path} is not a directory key file (JSON with "publicKey" and "secretKey", as create-body --key-out writes it).`);
  }
  if (typeof secretKey !== 'string') throw new UsageError(`${path} holds no "secretKey".`);
  return secretKey as Base64Url;
}

function accountByName(storage: Storage, username: string) {
  const account = storage.accounts.findByUsername(username);
  if (account === undefined) throw new UsageError(`There is no account ${username}.`);
  return account;
}

export function registerAccountCommands(program: Command): void {
  program
    .command('create-body')
    .description('Create an anti-corruption body; with --key-out, also a new directory key pair (keep it offline; pin its public half in the intake).')
    .requiredOption('--id <slug>', 'body id: lower-case letters, digits and hyphens')
    .requiredOption('--name <name>', 'public name')
    .option('--key-out <file>', 'where to write a new directory key pair (JSON; must not exist); leave out when the body already has a directory key')
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .action(async (options: { id: string; name: string; keyOut?: string; dataDir?: string }) => {
      const id = parsed(bodyIdSchema, options.id, 'body id');
      if (options.name.trim() === '' || options.name.length > 200) throw new UsageError('The name must have 1 to 200 characters.');
      const { keyOut } = options;
      if (keyOut !== undefined && existsSync(keyOut)) throw new UsageError(`${keyOut} exists already; choose a new file.`);
      await withStorage(options.dataDir, (storage) => {
        if (storage.bodies.find(id) !== undefined) throw new UsageError(`The body ${id} exists already.`);
        // The server never needs the directory key: it is used only to sign, by the admin, offline.
        const keyPair = keyOut === undefined ? null : generateDirectoryKeyPair();
        if (keyOut !== undefined && keyPair !== null) writeFileSync(keyOut, `${JSON.stringify(keyPair, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
        const now = systemClock.now();
        storage.db.transaction(() => {
          storage.bodies.save({ id, name: options.name.trim(), signedDirectory: UNSIGNED_DIRECTORY, questionnaire: JSON.stringify(DEFAULT_QUESTIONNAIRE), updatedOn: dayOf(now) });
          storage.audit.append({ actor: COMMAND_LINE_ACTOR, action: 'body.created', bodyId: id, details: { name: options.name.trim() } }, now);
        })();
        if (keyPair === null) console.log(`Created ${id}. Sign its directory with the body's existing directory key.`);
        else {
          console.log(`Created ${id}. Directory key pair written to ${keyOut}; keep it offline.`);
          console.log(`Pin this public key in the intake build (intake.pinnedKeysFile): ${keyPair.publicKey}`);
        }
        console.log('Reports can be sent once investigators have keys and the directory is signed (sign-directory).');
      });
    });

  program
    .command('create-account')
    .description('Create a console account; prints a one-time password to hand over in person.')
    .requiredOption('--username <name>', 'user name: lower-case letters, digits, dots or hyphens')
    .requiredOption('--role <role>', 'admin or investigator')
    .option('--body <id...>', 'bodies an investigator works for')
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .action(async (options: { username: string; role: string; body?: string[]; dataDir?: string }) => {
      const username = parsed(usernameSchema, options.username, 'user name');
      if (options.role !== 'admin' && options.role !== 'investigator') throw new UsageError('--role must be admin or investigator.');
      const role = options.role;
      await withStorage(options.dataDir, async (storage) => {
        const { oneTimePassword } = await createAccount(storage, systemClock, { username, role, bodyIds: options.body ?? [], actor: COMMAND_LINE_ACTOR });
        console.log(`Created ${role} ${username}. One-time password (shown once): ${oneTimePassword}`);
        console.log('At first sign-in they enroll an authenticator app or security key, then choose their own password.');
      });
    });

  program
    .command('disable-account')
    .description('Disable a console account and end its sessions (its keys leave the directory at the next signature).')
    .requiredOption('--username <name>', 'user name')
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .action(async (options: { username: string; dataDir?: string }) => {
      await withStorage(options.dataDir, (storage) => {
        disableAccount(storage, systemClock, accountByName(storage, options.username).id, COMMAND_LINE_ACTOR);
        console.log(`Disabled ${options.username}. Re-sign the directories of its bodies so that new reports are no longer encrypted to it.`);
      });
    });

  program
    .command('reset-second-factor')
    .description('Remove every second factor of an account (lost phone or key) and issue a new one-time password.')
    .requiredOption('--username <name>', 'user name')
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .action(async (options: { username: string; dataDir?: string }) => {
      await withStorage(options.dataDir, async (storage) => {
        const { oneTimePassword } = await resetSecondFactor(storage, systemClock, accountByName(storage, options.username).id, COMMAND_LINE_ACTOR);
        console.log(`Reset ${options.username}. New one-time password (shown once): ${oneTimePassword}`);
      });
    });

  program
    .command('sign-directory')
    .description("Sign a body's recipient directory with the current keys of its active investigators.")
    .requiredOption('--body <id>', 'body id')
    .requiredOption('--key <directory-key.json>', 'JSON file with the directory key pair ({"publicKey", "secretKey"})')
    .option('--valid-days <n>', 'days the directory stays valid', '365')
    .option('--new-signer', 'sign with a key other than the one that signed before (only once the intake build pins the new key)')
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .action(async (options: { body: string; key: string; validDays: string; newSigner?: boolean; dataDir?: string }) => {
      const validDays = Number(options.validDays);
      if (!Number.isInteger(validDays) || validDays < 1 || validDays > 3650) throw new UsageError('--valid-days must be a whole number from 1 to 3650.');
      const secretKey = await readDirectorySecretKey(options.key);
      await withStorage(options.dataDir, async (storage) => {
        const signing = { bodyId: parsed(bodyIdSchema, options.body, 'body id'), secretKey, validDays, actor: COMMAND_LINE_ACTOR, newSigner: options.newSigner === true };
        try {
          signBodyDirectory(storage, systemClock, signing);
        } catch (error) {
          if (isCryptoError(error, 'key-invalid') || isCryptoError(error, 'encoding-invalid')) throw new UsageError(`${options.key} holds no valid directory secret key.`);
          throw error;
        }
        const status = await directoryStatus(storage, options.body, systemClock.now());
        console.log(`Signed the directory of ${options.body}, valid until ${status.signed?.expiresOn}:`);
        for (const recipient of status.signed?.recipients ?? []) console.log(`  ${recipient.label}  ${recipient.fingerprint}`);
      });
    });
}
