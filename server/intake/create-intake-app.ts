/** The intake app (composition root): everything a whistleblower and a reporter reach, and nothing else. */
import type { Express } from 'express';
import type { CandorConfig } from '../../config/schema';
import { systemClock, type Clock } from '../clock';
import { createAppShell } from '../http/app-shell';
import { silentLogger, type Logger } from '../logger';
import { PublishedStatistics } from '../statistics/published-statistics';
import { StatisticsRepository } from '../statistics/statistics-repository';
import type { Storage } from '../storage/index';
import { ChallengeStore } from './challenge-store';
import { IntakeService } from './intake-service';
import { intakeApiRouter } from './routes';

export interface IntakeDeps {
  readonly storage: Storage;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** Challenges for reporters live a minute; proof-of-work challenges ten, time enough to solve one. */
const CASE_CHALLENGE_TTL_MS = 60_000;
const PROOF_OF_WORK_TTL_MS = 600_000;
const CHALLENGE_CAPACITY = 50_000;

export function createIntakeApp(config: CandorConfig, deps: IntakeDeps): Express {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const caseChallenges = new ChallengeStore(CASE_CHALLENGE_TTL_MS, CHALLENGE_CAPACITY, clock);
  const proofOfWork = new ChallengeStore(PROOF_OF_WORK_TTL_MS, CHALLENGE_CAPACITY, clock);
  const service = new IntakeService(config, deps.storage, proofOfWork, clock);
  const statistics = new PublishedStatistics(new StatisticsRepository(deps.storage.db), clock, config.statistics.minimumCount);

  const api = intakeApiRouter({ config, storage: deps.storage, service, caseChallenges, statistics });
  return createAppShell({ logger, api, clientDir: config.intake.clientDir });
}
