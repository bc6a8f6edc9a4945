/** Bodies and console accounts: create a body, manage its investigators, sign its recipient directory. */
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { readDirectoryPins } from '../../tools/client-build/pinned-keys';
import { loadConfig } from '../../config/load';
import { checkDirectoryDocument, generateDirectoryKeyPair, isCryptoError, signDirectory, type Base64Url, type SignedDirectory } from '../../crypto/index';
import { usernameSchema } from '../../protocol/console-api/common';
import type { DirectoryPins } from '../../protocol/directory-pins';
import { bodyIdSchema } from '../../protocol/wire';
import { COMMAND_LINE, withServices } from './console-services';
import { dataDirOption, readTextFile, UsageError } from './usage';

function parsed<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`${String(value)} is not a valid ${what}.`);
  return result.data;
}

/** The secret half of a key pair file written by `create-body --key-out`. */
async function readDirectorySecretKey(path: string): Promise<Base64Url> {
  const text = await readTextFile(path, 'directory key');
  const keyFile = parsedJson(text, `${path} is not a directory key file (JSON with "publicKey" and "secretKey", as create-body --key-out writes it).`);
  const secretKey = (keyFile as { secretKey?: unknown } | null)?.secretKey;
  if (typeof secretKey !== 'string') throw new UsageError(`${path} holds no "secretKey".`);
  return secretKey as Base64Url;
}

function parsedJson(text: string, problem: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(problem);
  }
}

/** JSON for another machine: to a new file (a typo must not overwrite a key file), or standard output. */
function writeJsonOutput(path: string | undefined, value: unknown): void {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (path === undefined) {
    process.stdout.write(text);
    return;
  }
  if (existsSync(path)) throw new UsageError(`${path} exists already; choose a new file.`);
  writeFileSync(path, text, { mode: 0o644, flag: 'wx' });
}

/** The directory keys the client builds pin per body, from the configured file (by default in the data directory). */
function configuredPins(dataDir: string | undefined): DirectoryPins {
  const env = dataDir === undefined ? process.env : { ...process.env, CANDOR_DATA_DIR: dataDir };
  const path = loadConfig(env).config.intake.pinnedKeysFile;
  try {
    return readDirectoryPins(path);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
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
      await withServices(dataDirOption(options.dataDir), ({ bodies }) => {
        // The server never needs the directory key: it is used only to sign, by the admin, offline.
        const keyPair = keyOut === undefined ? null : generateDirectoryKeyPair();
        bodies.create({ id, name: options.name.trim() }, COMMAND_LINE, () => {
          if (keyOut !== undefined && keyPair !== null) writeFileSync(keyOut, `${JSON.stringify(keyPair, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
        });
        if (keyPair === null) console.log(`Created ${id}. Sign its directory with the body's existing directory key.`);
        else {
          console.log(`Created ${id}. Directory key pair written to ${keyOut}; keep it offline.`);
          console.log(`Pin this public key in the intake build (intake.pinnedKeysFile): ${keyPair.publicKey}`);
        }
        console.log('Reports can be sent once investigators have keys and the directory is signed: directory-request here, sign-directory offline, import-directory here.');
      });
    });

  program
    .command('list-bodies')
    .description('List the bodies: id, name, whether reporters can choose them, their directory and investigators.')
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .action(async (options: { dataDir?: string }) => {
      await withServices(dataDirOption(options.dataDir), async ({ bodies }) => {
        const listed = await bodies.list();
        if (listed.length === 0) console.log('No body yet: create one with create-body.');
        for (const body of listed) {
          const directory =
            body.signed === null
              ? 'not signed: reporters cannot choose it yet'
              : `signed until ${body.signed.expiresOn}, ${body.inSync ? "lists the investigators' current keys" : "out of date: make a new directory-request"}`;
          console.log(`${body.id}  ${body.name}`);
          console.log(`  directory: ${directory}`);
          console.log(`  investigators with a key: ${body.investigators.map((investigator) => investigator.username).join(', ') || 'none'}`);
        }
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
      await withServices(dataDirOption(options.dataDir), async ({ accounts }) => {
        const { oneTimePassword } = await accounts.create({ username, role, bodyIds: options.body ?? [] }, COMMAND_LINE);
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
      await withServices(dataDirOption(options.dataDir), ({ accounts }) => {
        accounts.disable(accounts.byUsername(options.username).id, COMMAND_LINE);
        console.log(`Disabled ${options.username}. Re-sign the directories of its bodies (directory-request, sign-directory, import-directory) so that new reports are no longer encrypted to it.`);
      });
    });

  program
    .command('reset-second-factor')
    .description('Remove every second factor of an account (lost phone or key) and issue a new one-time password.')
    .requiredOption('--username <name>', 'user name')
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .action(async (options: { username: string; dataDir?: string }) => {
      await withServices(dataDirOption(options.dataDir), async ({ accounts }) => {
        const { oneTimePassword } = await accounts.resetSecondFactor(accounts.byUsername(options.username).id, COMMAND_LINE);
        console.log(`Reset ${options.username}. New one-time password (shown once): ${oneTimePassword}`);
      });
    });

  program
    .command('directory-request')
    .description("On the server: write the directory to sign for a body, listing the current keys of its active investigators (sign it offline with sign-directory).")
    .requiredOption('--body <id>', 'body id')
    .option('--valid-days <n>', 'days the directory will stay valid', '365')
    .option('--out <file>', 'where to write it (default: standard output)')
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .action(async (options: { body: string; validDays: string; out?: string; dataDir?: string }) => {
      const validDays = Number(options.validDays);
      if (!Number.isInteger(validDays) || validDays < 1 || validDays > 3650) throw new UsageError('--valid-days must be a whole number from 1 to 3650.');
      await withServices(dataDirOption(options.dataDir), ({ bodies }) => {
        const request = bodies.directoryRequest(parsed(bodyIdSchema, options.body, 'body id'), validDays);
        writeJsonOutput(options.out, request);
        console.error(`Directory request for ${request.body.id} (${request.recipients.length} investigator key(s)): sign it offline with sign-directory, then import-directory.`);
      });
    });

  program
    .command('sign-directory')
    .description('Offline, where the directory key is kept: show a directory request, and with --yes sign it.')
    .requiredOption('--request <file>', 'the directory request (from directory-request)')
    .requiredOption('--key <directory-key.json>', 'JSON file with the directory key pair ({"publicKey", "secretKey"})')
    .option('--yes', 'sign: each label and fingerprint shown was compared with what that investigator reads in their console')
    .option('--out <file>', 'where to write the signed directory (default: standard output)')
    .action(async (options: { request: string; key: string; yes?: boolean; out?: string }) => {
      const secretKey = await readDirectorySecretKey(options.key);
      const contents = parsedJson(await readTextFile(options.request, 'directory request'), `${options.request} is not a directory request (JSON, as directory-request writes it).`);
      const { document } = await checkDirectoryDocument(contents).catch((error: unknown) => {
        if (isCryptoError(error)) throw new UsageError(`${options.request} cannot be signed: ${error.message}`);
        throw error;
      });
      console.error(`Directory of ${document.body.id} (${document.body.name}), valid ${document.issuedOn} to ${document.expiresOn}. Reports will be encrypted to:`);
      for (const recipient of document.recipients) console.error(`  ${recipient.label}  ${recipient.fingerprint}`);
      if (options.yes !== true) {
        throw new UsageError('Nothing signed. Compare each fingerprint with the one its investigator reads in their console (Account page), then run again with --yes.');
      }
      let signed: SignedDirectory;
      try {
        signed = signDirectory(document, secretKey);
      } catch (error) {
        if (isCryptoError(error, 'key-invalid') || isCryptoError(error, 'encoding-invalid')) throw new UsageError(`${options.key} holds no valid directory secret key.`);
        throw error;
      }
      writeJsonOutput(options.out, signed);
      console.error(`Signed with ${signed.signerKey}. On the server: import-directory --body ${document.body.id}.`);
    });

  program
    .command('import-directory')
    .description('On the server: store a directory signed offline, once it verifies; the intake serves it at once.')
    .requiredOption('--body <id>', 'body id')
    .requiredOption('--in <file>', 'the signed directory (- for standard input)')
    .option('--new-signer', 'accept a key other than the one that signed before (only once the intake build pins the new key)')
    .option('--allow-outdated', "accept a directory that no longer lists exactly the investigators' current keys")
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .action(async (options: { body: string; in: string; newSigner?: boolean; allowOutdated?: boolean; dataDir?: string }) => {
      const signed = parsedJson(await readTextFile(options.in, 'signed directory'), `${options.in} is not a signed directory (JSON, as sign-directory writes it).`);
      const bodyId = parsed(bodyIdSchema, options.body, 'body id');
      const pins = configuredPins(options.dataDir);
      await withServices(dataDirOption(options.dataDir), async ({ bodies }) => {
        const rules = { pins, newSigner: options.newSigner === true, allowOutdated: options.allowOutdated === true };
        const { document } = await bodies.importSignedDirectory({ bodyId, signed, ...rules }, COMMAND_LINE);
        console.log(`Imported the directory of ${bodyId}, valid until ${document.expiresOn}:`);
        for (const recipient of document.recipients) console.log(`  ${recipient.label}  ${recipient.fingerprint}`);
      });
    });
}
