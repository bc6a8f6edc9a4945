/**
 * `npm run admin -- <command>`: the operator's command line. Each area registers its commands from
 * its own module under server/cli/.
 */
import { Command } from 'commander';
import { isCryptoError } from '../crypto/index';
import { registerAccountCommands } from './cli/account-commands';
import { registerAuditCommands } from './cli/audit-commands';
import { registerCaseCommands } from './cli/case-commands';
import { registerDeploymentCommands } from './cli/deployment-commands';
import { registerOperationsCommands } from './cli/operations-commands';
import { registerStatisticsCommands } from './cli/statistics-commands';
import { registerStorageCommands } from './cli/storage-commands';
import { UsageError } from './cli/usage';
import { OperationError } from './operations/operation-error';

const program = new Command()
  .name('npm run admin --')
  .description('Candor administration: operations (backups, purge, storage budgets, served code), bodies, accounts and the audit log.')
  .showHelpAfterError();

registerOperationsCommands(program);
registerDeploymentCommands(program);
registerAccountCommands(program);
registerAuditCommands(program);
registerCaseCommands(program);
registerStorageCommands(program);
registerStatisticsCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof UsageError || error instanceof OperationError) {
    console.error(`Error: ${error.message}`);
  } else if (isCryptoError(error, 'decryption-failed')) {
    console.error('Error: the backup cannot be decrypted with this key, or it was altered.');
  } else if (isCryptoError(error)) {
    console.error(`Error: the backup is damaged or was altered (${error.message})`);
  } else {
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exitCode = 1;
}
