/** Statistics commands: whether the intake publishes a body's statistics (docs/statistics.md). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { StatisticsRepository } from '../statistics/statistics-repository';
import { DATABASE_FILE, openStorage } from '../storage/index';
import { COMMAND_LINE_ACTOR, dataDirOption, UsageError } from './usage';

function parsePublish(value: string): boolean {
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new UsageError('--publish must be "on" or "off".');
}

export function registerStatisticsCommands(program: Command): void {
  program
    .command('statistics')
    .description("Show or set whether the intake publishes a body's statistics.")
    .requiredOption('--body <id>', 'the body id')
    .option('--publish <on|off>', 'publish the statistics, or stop; without it, show the current setting')
    .option('--data-dir <dir>', 'data directory (default: the configured dataDir)')
    .action(async (options: { body: string; publish?: string; dataDir?: string }) => {
      const publish = options.publish === undefined ? undefined : parsePublish(options.publish);
      const dataDir = dataDirOption(options.dataDir);
      if (!existsSync(join(dataDir, DATABASE_FILE))) throw new UsageError(`There is no Candor database in ${dataDir}.`);
      const storage = await openStorage(dataDir);
      try {
        const body = storage.bodies.find(options.body);
        if (body === undefined) throw new UsageError(`There is no body ${options.body} in ${dataDir}.`);
        const statistics = new StatisticsRepository(storage.db);
        const published = statistics.publishes(body.id);
        if (publish !== undefined && publish !== published) {
          // The change and its audit entry are one transaction: there is never one without the other.
          storage.db.transaction(() => {
            storage.bodies.setPublishStatistics(body.id, publish);
            storage.audit.append({ actor: COMMAND_LINE_ACTOR, action: 'body.statistics-changed', bodyId: body.id, details: { publish } }, new Date());
          })();
        }
        const now = publish ?? published;
        console.log(
          now
            ? `The statistics of ${body.name} (${body.id}) are published: /api/v1/bodies/${body.id}/statistics and the intake's statistics page.`
            : `The statistics of ${body.name} (${body.id}) are not published, and not counted in the overall figures.`,
        );
      } finally {
        storage.close();
      }
    });
}
