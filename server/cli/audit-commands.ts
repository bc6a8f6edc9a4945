/** Audit log commands: verify the hash chain of the review console's audit log. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DATABASE_FILE, openStorage } from '../storage/index';
import { dataDirOption, UsageError } from './usage';

export function registerAuditCommands(program: Command): void {
  program
    .command('verify-audit')
    .description('Check the hash chain of the audit log and name the first broken entry; prints the head hash to record elsewhere.')
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .action(async (options: { dataDir?: string }) => {
      const dataDir = dataDirOption(options.dataDir);
      // Opening creates an empty database, which would verify as an intact log of nothing.
      if (!existsSync(join(dataDir, DATABASE_FILE))) throw new UsageError(`There is no Candor database in ${dataDir}.`);
      const storage = await openStorage(dataDir);
      try {
        const result = storage.audit.verify();
        if (result.intact) {
          console.log(`audit log intact: ${result.entries} entries, head ${result.headHash}`);
        } else {
          console.log(`audit log BROKEN at entry ${result.firstBrokenSeq}: ${result.reason}`);
          process.exitCode = 1;
        }
      } finally {
        storage.close();
      }
    });
}
