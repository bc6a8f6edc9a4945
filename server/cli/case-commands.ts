/** Case commands: export a case for offline decryption with GnuPG. */
import type { Command } from 'commander';
import { OperationError } from '../operations/operation-error';
import { COMMAND_LINE, withServices } from './console-services';
import { dataDirOption, mib, UsageError } from './usage';

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
      await withServices(
        dataDir,
        async ({ cases }) => {
          const summary = await cases.exportToFile(options.case, options.out, COMMAND_LINE).catch((error: unknown) => {
            // Any other OperationError reaches the command line's handler, which prints its message.
            if (error instanceof OperationError && error.code === 'case-not-found') throw new UsageError(`There is no case ${options.case} in ${dataDir}.`);
            throw error;
          });
          console.log(
            `Exported case ${options.case} to ${options.out}: ${summary.files} OpenPGP files (${summary.attachments} attachments), ${mib(summary.bytes)}. ` +
              `Extract it and read ${summary.root}/README.txt.`,
          );
        },
        { existing: true },
      );
    });
}
