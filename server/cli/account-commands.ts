/** Bodies and console accounts: create a body, manage its investigators, sign its recipient directory. */
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { PinnedKeysVersion1Error, readDirectoryPins } from '../../tools/client-build/pinned-keys';
import { loadConfig } from '../../config/load';
import { checkDirectoryDocument, generateDirectoryKeyPair, isCryptoError, signDirectory, type Base64Url, type DirectoryDocument, type DirectoryDocumentV2, type SignedDirectory } from '../../crypto/index';
import { checkIntakeTexts, intakeTextsSchema, type IntakeTexts, type LocalizedText } from '../../protocol/body-directory';
import { usernameSchema } from '../../protocol/console-api/common';
import { directoryKeySchema, type DirectoryPin, type DirectoryPins } from '../../protocol/directory-pins';
import { DEFAULT_RECIPIENT_ROLE } from '../console/services/body-service';
import { pinDirectoryKey, type PinChange } from '../directory-pins-file';
import { bodyIdSchema } from '../../protocol/wire';
import { COMMAND_LINE, withServices } from './console-services';
import { terminalText } from './terminal-text';
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

/** The configured pinned-keys file (by default in the data directory). */
function configuredPinsFile(dataDir: string | undefined): string {
  const env = dataDir === undefined ? process.env : { ...process.env, CANDOR_DATA_DIR: dataDir };
  return loadConfig(env).config.intake.pinnedKeysFile;
}

/** The directory keys the client builds pin per body, from the configured file. */
function configuredPins(dataDir: string | undefined): DirectoryPins {
  try {
    return readDirectoryPins(configuredPinsFile(dataDir));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Pins `key` for `bodyId` in the configured file; a version 1 file must be upgraded by npm start first. */
function pinInConfiguredFile(dataDir: string | undefined, bodyId: string, key: string, change: PinChange): { path: string; pin: DirectoryPin } {
  const path = configuredPinsFile(dataDir);
  try {
    return { path, pin: pinDirectoryKey(path, bodyId, key, change) };
  } catch (error) {
    if (error instanceof PinnedKeysVersion1Error) throw new UsageError(`${path} pins keys for every body (version 1): run npm start once, which upgrades it, then run this again.`);
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

const REBUILD_NOTE = 'The clients are rebuilt for the new pins at the next npm start: restart the server.';

const ROLE_RULE = 'The role must have 1 to 100 characters.';

/** The body's policy for reporters, from a JSON file of {"<language>": "<text>"}. */
async function readPolicyFile(path: string): Promise<LocalizedText> {
  const problem = `${path} is not a policy file: JSON of {"en": "text", ...}, languages as two lower-case letters, each text 1 to 4000 characters.`;
  const policy = intakeTextsSchema.shape.policy.unwrap().safeParse(parsedJson(await readTextFile(path, 'policy'), problem));
  if (!policy.success || Object.keys(policy.data).length === 0) throw new UsageError(problem);
  return policy.data;
}

/** A directory request as sign-directory reads it: every part checked; `texts` is null for version 1, which is not signed any more. */
async function checkSigningRequest(contents: unknown): Promise<{ document: DirectoryDocumentV2; texts: IntakeTexts } | { document: DirectoryDocument; texts: null }> {
  const { document } = await checkDirectoryDocument(contents);
  if (document.version === 1) return { document, texts: null };
  // Null only for version 1.
  return { document, texts: checkIntakeTexts(document) as IntakeTexts };
}

/**
 * What sign-directory shows before signing: everything reporters' browsers will take from the
 * directory, in full and every language, each text quoted and escaped (terminalText), since the
 * server wrote the request: a key it slipped in must show, and so must every word reporters will read.
 */
function describeDirectory(document: DirectoryDocumentV2, texts: IntakeTexts): string[] {
  const languages = (prefix: string, text: Readonly<Record<string, string>> | undefined) =>
    Object.entries(text ?? {}).map(([language, words]) => `${prefix} (${language}): ${terminalText(words)}`);
  return [
    `Directory of ${document.body.id}, named ${terminalText(document.body.name)}, serial ${document.serial}, valid ${document.issuedOn} to ${document.expiresOn}.`,
    `Reports will be encrypted to these ${document.recipients.length} key(s), and no other (fingerprint, label, role reporters see as the author of replies):`,
    ...document.recipients.map((recipient) => `  ${recipient.fingerprint}  ${terminalText(recipient.label)}  ${terminalText(recipient.role)}`),
    `Questions reporters are asked (${texts.questionnaire.questions.length}), every text in every language:`,
    ...texts.questionnaire.questions.flatMap((question, index) => [
      `  ${index + 1}. ${question.id}: ${question.kind}, ${question.required ? 'required' : 'optional'}`,
      ...languages('     question', question.label),
      ...languages('     help', question.help),
      ...(question.choices ?? []).flatMap((choice) => languages(`     choice ${choice.id}`, choice.label)),
    ]),
    ...(texts.policy === undefined ? ['Policy shown to reporters: none.'] : ['Policy shown to reporters, in full:', ...languages('  policy', texts.policy)]),
  ];
}

export function registerAccountCommands(program: Command): void {
  program
    .command('create-body')
    .description('Create an anti-corruption body; with --key-out, also a new directory key pair (keep it offline), whose public half is pinned for the body in the pinned-keys file.')
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
        let pinsFile: string | null = null;
        bodies.create({ id, name: options.name.trim() }, COMMAND_LINE, () => {
          if (keyOut === undefined || keyPair === null) return;
          writeFileSync(keyOut, `${JSON.stringify(keyPair, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
          // A new body's directories start at serial 1: none older can be replayed to its reporters.
          pinsFile = pinInConfiguredFile(options.dataDir, id, keyPair.publicKey, { minimumSerial: 1 }).path;
        });
        if (keyPair === null) console.log(`Created ${id}. Sign its directory with the body's existing directory key, and pin that key for ${id} (pin-directory-key).`);
        else {
          console.log(`Created ${id}. Directory key pair written to ${keyOut}; keep it offline.`);
          console.log(`Pinned its public key for ${id} in ${String(pinsFile)}: ${keyPair.publicKey}`);
          console.log(REBUILD_NOTE);
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
    .option('--role <text>', `what reporters see as the author of every investigator's replies (edit each in the JSON before signing to differ)`, DEFAULT_RECIPIENT_ROLE)
    .option('--policy-file <file>', 'JSON of {"<language>": "<text>"}: the body\'s policy, shown to reporters before they write')
    .option('--out <file>', 'where to write it (default: standard output)')
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .action(async (options: { body: string; validDays: string; role: string; policyFile?: string; out?: string; dataDir?: string }) => {
      const validDays = Number(options.validDays);
      if (!Number.isInteger(validDays) || validDays < 1 || validDays > 3650) throw new UsageError('--valid-days must be a whole number from 1 to 3650.');
      const role = options.role.trim();
      if (role === '' || role.length > 100) throw new UsageError(ROLE_RULE);
      const policy = options.policyFile === undefined ? undefined : await readPolicyFile(options.policyFile);
      await withServices(dataDirOption(options.dataDir), ({ bodies }) => {
        const request = bodies.directoryRequest(parsed(bodyIdSchema, options.body, 'body id'), validDays, { role, ...(policy === undefined ? {} : { policy }) });
        writeJsonOutput(options.out, request);
        console.error(
          `Directory request for ${request.body.id}, serial ${request.serial} (${request.recipients.length} investigator key(s), role "${role}", the body's questionnaire${policy === undefined ? '' : ' and policy'}): sign it offline with sign-directory, then import-directory.`,
        );
      });
    });

  program
    .command('sign-directory')
    .description('Offline, where the directory key is kept: show a directory request, and with --yes sign it.')
    .requiredOption('--request <file>', 'the directory request (from directory-request)')
    .requiredOption('--key <directory-key.json>', 'JSON file with the directory key pair ({"publicKey", "secretKey"})')
    .option('--yes', 'sign: each label and fingerprint shown was compared with what that investigator reads in their console, and the serial, roles, questions and policy are as intended')
    .option('--out <file>', 'where to write the signed directory (default: standard output)')
    .action(async (options: { request: string; key: string; yes?: boolean; out?: string }) => {
      const secretKey = await readDirectorySecretKey(options.key);
      const contents = parsedJson(await readTextFile(options.request, 'directory request'), `${options.request} is not a directory request (JSON, as directory-request writes it).`);
      const { document, texts } = await checkSigningRequest(contents).catch((error: unknown) => {
        if (isCryptoError(error)) throw new UsageError(`${options.request} cannot be signed: ${error.message}`);
        throw error;
      });
      if (texts === null) throw new UsageError(`${options.request} is a version 1 directory, which signs no serial, roles or questionnaire: make a new directory-request.`);
      for (const line of describeDirectory(document, texts)) console.error(line);
      if (options.yes !== true) {
        throw new UsageError('Nothing signed. Compare each fingerprint with the one its investigator reads in their console (Account page), check the roles, questions and policy, then run again with --yes.');
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
    .description("On the server: store a directory signed offline, once it verifies with the key pinned for the body and its serial is above the stored one's; the intake serves it at once.")
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
        console.log(`Imported the directory of ${bodyId}, serial ${document.version === 1 ? 0 : document.serial}, valid until ${document.expiresOn}:`);
        for (const recipient of document.recipients) console.log(`  ${recipient.label}  ${recipient.fingerprint}`);
      });
    });

  program
    .command('pin-directory-key')
    .description('Pin a directory key for a body in the pinned-keys file that both clients are built with (they trust only the keys pinned for the body chosen).')
    .requiredOption('--body <id>', 'body id')
    .requiredOption('--key <key>', 'the public directory key (base64url, as create-body --key-out writes it)')
    .option(
      '--minimum-serial <n>',
      'the lowest directory serial the clients accept for the body: raise it to the serial of a directory just imported (after a re-signing that removed a key, say), and the clients refuse older directories that the server could replay',
    )
    .option('--replace', "make this the body's only pinned key (a key that signed before is trusted no more)")
    .option(
      '--unsigned-cases <accept|refuse>',
      "whether the console takes an unsigned report as a case of this body: accept while it has cases sent before protocol version 2 (npm start sets this when it upgrades an old pins file), refuse once they are closed or for a new body, so that a server cannot pass off a report of its own as one of them",
    )
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .addHelpText('after', `\nThe clients compile the pins in: they must be rebuilt, which npm start does when the pins changed. Until then they keep the pins they were built with.`)
    .action(async (options: { body: string; key: string; minimumSerial?: string; replace?: boolean; unsignedCases?: string; dataDir?: string }) => {
      const bodyId = parsed(bodyIdSchema, options.body, 'body id');
      const key = parsed(directoryKeySchema, options.key, 'directory key (32 bytes in base64url)');
      const minimumSerial = options.minimumSerial === undefined ? undefined : Number(options.minimumSerial);
      if (minimumSerial !== undefined && (!Number.isInteger(minimumSerial) || minimumSerial < 0 || minimumSerial > 2 ** 31 - 1)) throw new UsageError('--minimum-serial must be a whole number, 0 or more.');
      if (options.unsignedCases !== undefined && options.unsignedCases !== 'accept' && options.unsignedCases !== 'refuse') throw new UsageError('--unsigned-cases must be accept or refuse.');
      await withServices(dataDirOption(options.dataDir), ({ bodies }) => {
        const stored = bodies.storedSerial(bodyId);
        if (minimumSerial !== undefined && stored !== null && minimumSerial > stored) {
          throw new UsageError(`The directory of ${bodyId} in use has serial ${stored}: with --minimum-serial ${minimumSerial} the clients would refuse it. Import the newer directory first.`);
        }
        const change = {
          ...(minimumSerial === undefined ? {} : { minimumSerial }),
          ...(options.unsignedCases === undefined ? {} : { unsignedCases: options.unsignedCases === 'accept' }),
          replace: options.replace === true,
        };
        const { path, pin } = pinInConfiguredFile(options.dataDir, bodyId, key, change);
        console.log(`Pinned for ${bodyId} in ${path}: ${pin.keys.join(', ')}; the clients accept its directories from serial ${pin.minimumSerial}.`);
        console.log(pin.unsignedCases === true ? 'The console takes unsigned reports (sent before protocol version 2) as its cases.' : 'The console refuses unsigned reports as its cases.');
        console.log(REBUILD_NOTE);
      });
    });
}
