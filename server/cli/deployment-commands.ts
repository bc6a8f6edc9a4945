/** Deployment commands: the image's client build, the torrc of the onion services, console client authorization keys, per-body retention. */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { loadConfig } from '../../config/load';
import { authorizedClientLine, clientAuthPrivateLine, generateOnionClientAuthKey, isCryptoError, parseOnionAddress, toBase32, type OnionAddress } from '../../crypto/index';
import { ensureClientBuilt } from '../../tools/client-build/build-clients';
import { bodyIdSchema } from '../../protocol/wire';
import { readTorrcTemplate, renderTorrc, TOR_IMAGE_DATA_DIRECTORY } from '../operations/torrc';
import { DATABASE_FILE } from '../storage/index';
import { COMMAND_LINE, withServices } from './console-services';
import { dataDirOption, UsageError } from './usage';

/** Parses one option with zod; the error names the option as the operator typed it. */
function parseOption<T extends z.ZodType>(schema: T, value: unknown, option: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`${option}: ${result.error.issues.map((issue) => issue.message).join('; ')}`);
  return result.data;
}

const clientNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a name of 1 to 64 letters, digits, "_" or "-" (it names the .auth file)');
const onionSchema = z.string().transform((text, context): OnionAddress => {
  try {
    return parseOnionAddress(text);
  } catch (error) {
    if (!isCryptoError(error)) throw error;
    context.addIssue({ code: 'custom', message: error.message });
    return z.NEVER;
  }
});
/** Up to a century: beyond that a date would leave the range the day arithmetic is meant for. */
const retentionSchema = z.union(
  [z.literal('default').transform(() => null), z.string().regex(/^\d{1,5}$/).transform(Number).pipe(z.int().max(36_500))],
  { error: 'a whole number of days from 0 to 36500, or "default"' },
);

/** Written beside the target and renamed over it, so a reader never sees half a file. */
function writeFileAtomically(path: string, content: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(temporary, content, { mode: 0o644 });
  renameSync(temporary, path);
}

export function registerDeploymentCommands(program: Command): void {
  program
    .command('build-clients')
    .description('Build the intake and console clients for the pinned directory keys, as npm start does on first run; npm run build and the image build run it.')
    .option('--force', 'build even if they are built for these keys (after their sources changed)')
    .action(async (options: { force?: boolean }) => {
      const { config } = loadConfig();
      const result = await ensureClientBuilt(config, { force: options.force === true });
      console.log(
        result === 'built'
          ? `Built the clients into ${config.intake.clientDir} and ${config.console.clientDir} for the keys in ${config.intake.pinnedKeysFile}.`
          : `The clients in ${config.intake.clientDir} and ${config.console.clientDir} are already built for the pinned keys.`,
      );
    });

  program
    .command('torrc')
    .description("Render config/torrc.template for the intake's and the console's onion services (targets from intake.host/port and console.host/port).")
    .requiredOption('--out <file>', 'torrc file to write')
    .option('--tor-data-dir <dir>', "tor's DataDirectory; the onion services' directories go inside it", TOR_IMAGE_DATA_DIRECTORY)
    .option('--without-console', "leave out the console's onion service (the tor image starts with this one until an investigator is authorized)")
    .action((options: { out: string; torDataDir: string; withoutConsole?: boolean }) => {
      const { config } = loadConfig();
      const torrc = renderTorrc(readTorrcTemplate(), {
        dataDirectory: options.torDataDir,
        intake: { address: config.intake.host, port: config.intake.port },
        console: { address: config.console.host, port: config.console.port },
        withConsole: options.withoutConsole !== true,
      });
      writeFileAtomically(options.out, torrc);
      console.log(`Wrote ${options.out}${options.withoutConsole === true ? ' (intake only)' : ''}; check it with: tor --verify-config -f ${options.out}`);
    });

  program
    .command('console-client-auth')
    .description("Make a Tor client authorization key for one investigator's access to the review console's onion service.")
    .requiredOption('--name <investigator>', 'whose key it is; names the .auth file')
    .option('--onion <address>', "the console's onion address (its hostname file in the tor volume), for the investigator's .auth_private line")
    .action((options: { name: string; onion?: string }) => {
      const name = parseOption(clientNameSchema, options.name, '--name');
      const address = options.onion === undefined ? undefined : parseOption(onionSchema, options.onion, '--onion');
      const key = generateOnionClientAuthKey();
      console.log(
        [
          `Client authorization for ${name} on the review console's onion service.`,
          '',
          `1. On the server, the file console/authorized_clients/${name}.auth in the tor volume holds this one line`,
          '   (then restart tor: docker compose restart tor):',
          '',
          authorizedClientLine(key),
          '',
          `2. For ${name} alone, over a channel you trust. Tor Browser asks for this key when the console's address`,
          '   is first opened (tick "Remember this key"):',
          '',
          toBase32(key.privateKey),
          '',
          `   A tor client with a ClientOnionAuthDir takes the file ${name}.auth_private with this line instead:`,
          '',
          address === undefined
            ? "   <console onion address>:descriptor:x25519:<the key above>\n\n   (the address is in the console's hostname file, without .onion, once tor has started with this client)"
            : clientAuthPrivateLine(address, key),
          '',
          'Nothing of this key is stored. To revoke it, delete the .auth file and restart tor.',
        ].join('\n'),
      );
    });

  program
    .command('set-retention')
    .description('Set how many days the closed cases of one body are kept before the purge deletes them.')
    .requiredOption('--body <id>', 'the body')
    .requiredOption('--days <n|default>', 'days after closing; "default" follows retention.days')
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .action(async (options: { body: string; days: string; dataDir?: string }) => {
      const bodyId = parseOption(bodyIdSchema, options.body, '--body');
      const days = parseOption(retentionSchema, options.days, '--days');
      const dataDir = dataDirOption(options.dataDir);
      // Opening would create an empty database, in which no body could be found anyway.
      if (!existsSync(join(dataDir, DATABASE_FILE))) throw new UsageError(`There is no Candor database in ${dataDir}.`);
      const { config } = loadConfig();
      await withServices(dataDir, ({ bodies }) => {
        if (!bodies.setRetention(bodyId, days, COMMAND_LINE)) throw new UsageError(`There is no body "${bodyId}".`);
        console.log(
          days === null
            ? `Closed cases of ${bodyId} are kept for the default retention.days (${config.retention.days} days).`
            : `Closed cases of ${bodyId} are kept for ${days} days; the next purge applies it.`,
        );
      });
    });
}
