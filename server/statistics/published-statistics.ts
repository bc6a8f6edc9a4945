/** The statistics the intake publishes: read the publishing bodies' workflow data, compute for today. */
import { z } from 'zod';
import { dayOf, type Clock } from '../clock';
import { bodyStatistics, computeStatistics } from './compute-statistics';
import { GRANULARITIES, type Granularity } from './periods';
import type { StatisticsDocument } from './statistics-format';
import type { StatisticsRepository } from './statistics-repository';

/** `?period=month|quarter`; quarters when absent. Nothing else is accepted. */
export const statisticsQuerySchema = z
  .object({ period: z.enum(GRANULARITIES, { error: 'period is "month" or "quarter"' }).default('quarter') })
  .strict();

export class PublishedStatistics {
  constructor(
    private readonly repository: StatisticsRepository,
    private readonly clock: Clock,
    private readonly minimumCount: number,
  ) {}

  /** Every publishing body, and all of them together. */
  all(granularity: Granularity): StatisticsDocument {
    const { bodies, rows } = this.repository.snapshot();
    return computeStatistics({ bodies, rows, today: dayOf(this.clock.now()), granularity, minimumCount: this.minimumCount });
  }

  /** One body's figures, exactly as in `all`; undefined when the body does not publish or does not exist. */
  ofBody(bodyId: string, granularity: Granularity): StatisticsDocument | undefined {
    return bodyStatistics(this.all(granularity), bodyId);
  }
}
