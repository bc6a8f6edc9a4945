/**
 * The statistics the intake publishes: read the publishing bodies' workflow data, compute for
 * today. Computed once per granularity, day and change of the data (StatisticsRepository.changeMark)
 * and served from memory: computing them costs time in proportion to every case, which an
 * anonymous visitor must not be able to ask for again and again (issue 13).
 */
import type { Granularity, StatisticsDocument } from '../../protocol/statistics';
import { dayOf, type Clock, type Day } from '../clock';
import { bodyStatistics, computeStatistics } from './compute-statistics';
import type { StatisticsRepository } from './statistics-repository';

export class PublishedStatistics {
  private readonly computed = new Map<Granularity, { readonly day: Day; readonly mark: number; readonly document: StatisticsDocument }>();

  constructor(
    private readonly repository: StatisticsRepository,
    private readonly clock: Clock,
    private readonly minimumCount: number,
  ) {}

  /** Every publishing body, and all of them together. */
  all(granularity: Granularity): StatisticsDocument {
    const today = dayOf(this.clock.now());
    const mark = this.repository.changeMark();
    const cached = this.computed.get(granularity);
    if (cached?.day === today && cached.mark === mark) return cached.document;
    const { bodies, rows } = this.repository.snapshot();
    const document = computeStatistics({ bodies, rows, today, granularity, minimumCount: this.minimumCount });
    this.computed.set(granularity, { day: today, mark, document });
    return document;
  }

  /** One body's figures, exactly as in `all`; undefined when the body does not publish or does not exist. */
  ofBody(bodyId: string, granularity: Granularity): StatisticsDocument | undefined {
    return bodyStatistics(this.all(granularity), bodyId);
  }
}
