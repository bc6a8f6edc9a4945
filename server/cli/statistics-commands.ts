/** Statistics commands: whether the intake publishes a body's statistics (docs/statistics.md). */
import type { Command } from 'commander';
import { COMMAND_LINE, withServices } from './console-services';
import { dataDirOption, UsageError } from './usage';

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
      await withServices(
        dataDir,
        ({ bodies }) => {
          const body = bodies.find(options.body);
          if (body === undefined) throw new UsageError(`There is no body ${options.body} in ${dataDir}.`);
          if (publish !== undefined) bodies.setPublishStatistics(body.id, publish, COMMAND_LINE);
          const now = publish ?? bodies.publishesStatistics(body.id);
          console.log(
            now
              ? `The statistics of ${body.name} (${body.id}) are published: /api/v1/bodies/${body.id}/statistics and the intake's statistics page.`
              : `The statistics of ${body.name} (${body.id}) are not published, and not counted in the overall figures.`,
          );
        },
        { existing: true },
      );
    });
}
