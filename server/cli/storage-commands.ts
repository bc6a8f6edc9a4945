/** Storage commands: usage against the storage budgets, and deleting one case (spam, a flood) before its retention ends. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load';
import { addDays, dayOf, systemClock } from '../clock';
import { deleteCase, DELETION_REASON_MAX, deletionReason, describeCase, type CaseSummary } from '../operations/delete-case';
import { DATABASE_FILE, openStorage, type Storage } from '../storage/index';
import { COMMAND_LINE_ACTOR, dataDirOption, mib, UsageError } from './usage';

/** Opens an existing data directory: opening creates an empty database, which would show a store of nothing. */
async function withExistingStorage<T>(dataDir: string, work: (storage: Storage) => Promise<T>): Promise<T> {
  if (!existsSync(join(dataDir, DATABASE_FILE))) throw new UsageError(`There is no Candor database in ${dataDir}.`);
  const storage = await openStorage(dataDir);
  try {
    return await work(storage);
  } finally {
    storage.close();
  }
}

const bytes = (count: number) => `${mib(count)} (${count} bytes)`;
const share = (used: number, budget: number) => `${((100 * used) / budget).toFixed(1)}%`;

function summaryLine(caseId: string, summary: CaseSummary): string {
  return (
    `Case ${caseId} of ${summary.bodyId}, received ${summary.receivedOn}: ${summary.objects} objects, ` +
    `${summary.attachments} attachments, ${summary.uploads} unfinished uploads, ${bytes(summary.bytes)}.`
  );
}

export function registerStorageCommands(program: Command): void {
  program
    .command('storage')
    .description("Show the bytes stored against budgets.totalBytes, today's intake against budgets.dailyIntakeBytes, and the unfinished uploads.")
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .action(async (options: { dataDir?: string }) => {
      const { config } = loadConfig();
      const { totalBytes, dailyIntakeBytes } = config.budgets;
      await withExistingStorage(options.dataDir ?? config.dataDir, async (storage) => {
        const today = dayOf(systemClock.now());
        const stored = storage.usage.totalBytes();
        const intake = storage.usage.intakeBytesOn(today);
        const uploads = storage.usage.unfinishedUploads();
        console.log(`Stored: ${bytes(stored)} of ${bytes(totalBytes)} (budgets.totalBytes), ${share(stored, totalBytes)}.`);
        if (stored >= totalBytes) console.log('  Over the budget: the intake refuses new data until cases are purged or deleted.');
        console.log(`Taken in today (${today}, UTC): ${bytes(intake)} of ${bytes(dailyIntakeBytes)} (budgets.dailyIntakeBytes), ${share(intake, dailyIntakeBytes)}.`);
        if (intake >= dailyIntakeBytes) console.log('  Over the budget: follow-ups and files wait for the next day.');
        const days = config.limits.unfinishedUploadDays;
        console.log(
          `Unfinished uploads: ${uploads.count}, ${bytes(uploads.bytes)} received of ${bytes(uploads.declaredBytes)} declared; ` +
            `one started today is deleted on ${addDays(today, days + 1)} unless finished (limits.unfinishedUploadDays = ${days}).`,
        );
      });
    });

  program
    .command('delete-case')
    .description('Delete one case now (spam, a flood), with its files; shows the case, and deletes it only with --yes. Recorded in the audit log with the reason.')
    .requiredOption('--case <caseId>', 'the case id (64 hex characters)')
    .requiredOption('--reason <words>', `why, for the audit log, which outlives the case: one line of at most ${DELETION_REASON_MAX} characters, e.g. "spam"; no names, nothing the case says`)
    .option('--yes', 'delete: the case shown is the one to delete')
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .action(async (options: { case: string; reason: string; yes?: boolean; dataDir?: string }) => {
      const caseId = options.case;
      if (!/^[0-9a-f]{64}$/.test(caseId)) throw new UsageError('--case must be a case id: 64 lower-case hex characters.');
      let reason: string;
      try {
        reason = deletionReason(options.reason);
      } catch (error) {
        throw error instanceof RangeError ? new UsageError(`--reason: ${error.message}`) : error;
      }
      const dataDir = dataDirOption(options.dataDir);
      await withExistingStorage(dataDir, async (storage) => {
        const summary = describeCase(storage, caseId);
        if (summary === undefined) throw new UsageError(`There is no case ${caseId} in ${dataDir}.`);
        console.log(summaryLine(caseId, summary));
        if (options.yes !== true) throw new UsageError('Nothing deleted. If this is the case to delete, run again with --yes.');
        const result = await deleteCase({ storage, caseId, reason, now: systemClock.now(), actor: COMMAND_LINE_ACTOR });
        if (result.outcome === 'not-found') throw new UsageError(`The case ${caseId} was deleted meanwhile.`);
        console.log(`Deleted the case and its ${result.summary.attachments + result.summary.uploads} files; recorded in the audit log (case.deleted).`);
        if (result.workDirsRemoved > 0) console.log(`Removed ${result.workDirsRemoved} working directories left by interrupted backups or restores.`);
        if (!result.walTruncated) console.log('The write-ahead log was in use and could not be emptied; run purge when the intake is quiet to finish.');
      });
    });
}
