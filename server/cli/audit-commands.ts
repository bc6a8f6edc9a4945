/** Audit log commands: verify the hash chain of the review console's audit log. */
import type { Command } from 'commander';
import { withServices } from './console-services';
import { dataDirOption } from './usage';

export function registerAuditCommands(program: Command): void {
  program
    .command('verify-audit')
    .description('Check the hash chain of the audit log and name the first broken entry; prints the head hash to record elsewhere.')
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .action(async (options: { dataDir?: string }) => {
      // Opening creates an empty database, which would verify as an intact log of nothing.
      await withServices(
        dataDirOption(options.dataDir),
        ({ audit }) => {
          const result = audit.verify();
          if (result.intact) {
            console.log(`audit log intact: ${result.entries} entries, head ${result.headHash}`);
          } else {
            console.log(`audit log BROKEN at entry ${result.firstBrokenSeq}: ${result.reason}`);
            process.exitCode = 1;
          }
        },
        { existing: true },
      );
    });
}
