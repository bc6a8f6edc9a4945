/** Operations commands: encrypted backups and restore, the retention purge, signing and verifying served code. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load';
import { signBuiltAssets } from '../../tools/client-build/asset-manifest';
import { checkRecipientKey, unlockPrivateKey, type Base64Url } from '../../crypto/index';
import { systemClock } from '../clock';
import { createBackup, restoreBackup } from '../operations/backup/index';
import { purgeExpiredCases } from '../operations/purge';
import { verifyDeployment } from '../operations/verify-deployment';
import { openStorage } from '../storage/index';
import { COMMAND_LINE_ACTOR, dataDirOption, mib, readTextFile, UsageError, withKeyContext } from './usage';

export function registerOperationsCommands(program: Command): void {
  program
    .command('backup')
    .description('Write an encrypted backup of the data directory; safe while the intake runs.')
    .requiredOption('--out <file>', 'backup file to write (must not exist)')
    .requiredOption('--admin-key <public.asc>', "the administrator's armored OpenPGP public key")
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .action(async (options: { out: string; adminKey: string; dataDir?: string }) => {
      const armored = await readTextFile(options.adminKey, 'admin key');
      const adminKey = await withKeyContext(options.adminKey, () => checkRecipientKey(armored));
      const summary = await createBackup({ dataDir: dataDirOption(options.dataDir), adminKey, output: options.out });
      console.log(`Backup written to ${options.out}: ${summary.cases} cases, ${summary.files} files, ${mib(summary.bytes)} before encryption, encrypted to ${adminKey.fingerprint}.`);
    });

  program
    .command('restore')
    .description('Restore a backup into a new or empty data directory.')
    .requiredOption('--in <file>', 'backup file to read')
    .requiredOption('--admin-key <private.asc>', "the administrator's armored OpenPGP private key")
    .option('--passphrase-file <file>', 'file holding the private key passphrase (its first line)')
    .requiredOption('--data-dir <dir>', 'new or empty directory to restore into')
    .action(async (options: { in: string; adminKey: string; passphraseFile?: string; dataDir: string }) => {
      const armored = await readTextFile(options.adminKey, 'admin key');
      const passphrase = options.passphraseFile === undefined ? undefined : (await readTextFile(options.passphraseFile, 'passphrase')).split(/\r?\n/)[0];
      const adminKey = await withKeyContext(options.adminKey, () => unlockPrivateKey(armored, passphrase));
      const summary = await restoreBackup({ input: options.in, adminKey, dataDir: options.dataDir });
      console.log(`Restored the backup of ${summary.createdOn} into ${options.dataDir}: ${summary.files} files, ${mib(summary.bytes)}, checksums and database integrity check passed.`);
    });

  program
    .command('purge')
    .description("Delete cases closed longer ago than their body's retention (set-retention; else retention.days), with their files.")
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .action(async (options: { dataDir?: string }) => {
      const { config } = loadConfig();
      const storage = await openStorage(options.dataDir ?? config.dataDir);
      try {
        const result = await purgeExpiredCases({ storage, defaultRetentionDays: config.retention.days, now: systemClock.now(), actor: COMMAND_LINE_ACTOR });
        for (const body of result.bodies) console.log(`${body.bodyId}: ${body.casesPurged} cases closed before ${body.closedBefore} purged (retention ${body.retentionDays} days).`);
        console.log(`Purged ${result.casesPurged} cases: ${result.attachmentsRemoved} attachments and ${result.uploadsRemoved} unfinished uploads removed.`);
        if (result.workDirsRemoved > 0) console.log(`Removed ${result.workDirsRemoved} working directories left by interrupted backups or restores.`);
        if (!result.walTruncated) console.log('The write-ahead log was in use and could not be emptied; run the purge again when the intake is quiet.');
      } finally {
        storage.close();
      }
    });

  program
    .command('sign-assets')
    .description("Sign the built intake and console clients' asset manifests with the body's directory key.")
    .requiredOption('--key <directory-key.json>', 'JSON file with the directory key pair ({"publicKey", "secretKey"})')
    .option('--client <which>', 'intake, console or both', 'both')
    .action(async (options: { key: string; client: string }) => {
      const { config } = loadConfig();
      const dirs = { intake: [config.intake.clientDir], console: [config.console.clientDir], both: [config.intake.clientDir, config.console.clientDir] }[options.client];
      if (dirs === undefined) throw new UsageError('--client must be intake, console or both.');
      const keyFile = JSON.parse(await readTextFile(options.key, 'directory key')) as { secretKey?: unknown };
      if (typeof keyFile.secretKey !== 'string') throw new UsageError(`${options.key} holds no "secretKey".`);
      for (const clientDir of dirs) {
        if (!existsSync(join(clientDir, 'asset-manifest.json'))) throw new UsageError(`${clientDir} holds no asset-manifest.json: build the client first.`);
        signBuiltAssets(clientDir, keyFile.secretKey as Base64Url);
        console.log(`Signed the asset manifest in ${clientDir}; its app serves it at /asset-manifest.json.`);
      }
    });

  program
    .command('verify')
    .description("Check a running deployment's page and assets against its signed asset manifest.")
    .requiredOption('--url <url>', 'base address of the intake, e.g. http://xyz….onion/')
    .requiredOption('--pinned-key <key...>', 'directory public key(s) to trust, base64url')
    .option('--socks <host:port>', 'SOCKS5 proxy to connect through, e.g. 127.0.0.1:9050 for Tor')
    .action(async (options: { url: string; pinnedKey: string[]; socks?: string }) => {
      const socks = options.socks === undefined ? undefined : /^(.+):(\d+)$/.exec(options.socks);
      if (socks === null) throw new UsageError('--socks must be host:port.');
      const report = await verifyDeployment({
        baseUrl: options.url,
        pinnedKeys: options.pinnedKey,
        ...(socks === undefined ? {} : { socksProxy: { host: socks[1] ?? '', port: Number(socks[2]) } }),
      });
      if (report.problem !== undefined) console.log(`FAIL  ${report.problem}`);
      for (const file of report.files) console.log(`${file.ok ? 'ok  ' : 'FAIL'}  ${file.path}${file.problem === undefined ? '' : `: ${file.problem}`}`);
      console.log(report.ok ? `PASS  every served file matches the manifest built on ${report.manifest?.builtOn}.` : 'FAIL  this deployment does not serve what was signed.');
      if (!report.ok) process.exitCode = 1;
    });
}
