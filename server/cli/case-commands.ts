/** Case commands: export a case for offline decryption with GnuPG. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CaseExportError, writeCaseExportFile } from '../console/case-export';
import { DATABASE_FILE, openStorage } from '../storage/index';
import { COMMAND_LINE_ACTOR, dataDirOption, mib, UsageError } from './usage';

/** Who the audit log names for what the command line does: not an account, and no username can look like it. */

export function registerCaseCommands(program: Command): void {
  program
    .command('export-case')
    .description('Write a case as a tar of OpenPGP files with a manifest, to decrypt offline with gpg.')
    .requiredOption('--case <caseId>', 'the case id (64 hex characters)')
    .requiredOption('--out <file.tar>', 'archive to write (must not exist)')
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .action(async (options: { case: string; out: string; dataDir?: string }) => {
      if (!/^[0-9a-f]{64}$/.test(options.case)) throw new UsageError('--case must be a case id: 64 lower-case hex characters.');
      const dataDir = dataDirOption(options.dataDir);
      if (!existsSync(join(dataDir, DATABASE_FILE))) throw new UsageError(`There is no Candor database in ${dataDir}.`);
      const storage = await openStorage(dataDir);
      try {
        const bodyId = storage.cases.find(options.case)?.bodyId;
        if (bodyId === undefined) throw new UsageError(`There is no case ${options.case} in ${dataDir}.`);
        const summary = await writeCaseExportFile(storage, options.case, options.out).catch((error: unknown) => {
          throw error instanceof CaseExportError ? new UsageError(error.message) : error;
        });
        storage.audit.append(
          { actor: COMMAND_LINE_ACTOR, action: 'case.exported', bodyId, caseId: options.case, details: { files: summary.files, attachments: summary.attachments } },
          new Date(),
        );
        console.log(
          `Exported case ${options.case} to ${options.out}: ${summary.files} OpenPGP files (${summary.attachments} attachments), ${mib(summary.bytes)}. ` +
            `Extract it and read ${summary.root}/README.txt.`,
        );
      } finally {
        storage.close();
      }
    });
}
