/** The intake app (composition root): everything a whistleblower and a reporter reach, and nothing else. */
import type { Express } from 'express';
import type { CandorConfig } from '../../config/schema';
import { systemClock, type Clock } from '../clock';
import { createAppShell } from '../http/app-shell';
import { RequestCounter } from '../http/request-log';
import { silentLogger, type Logger } from '../logger';
import { PublishedStatistics } from '../statistics/published-statistics';
import { StatisticsRepository } from '../statistics/statistics-repository';
import type { Storage } from '../storage/index';
import { IntakeService } from './intake-service';
import { ProofOfWorkDifficulty } from './proof-of-work-difficulty';
import { ProofOfWorkGate } from './proof-of-work-gate';
import { CaseChallenges } from './reporter-auth';
import { intakeApiRouter } from './routes';
import { ChallengeSigner } from './signed-challenges';

export interface IntakeDeps {
  readonly storage: Storage;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Where request counts go; whoever owns it flushes it (server/start.ts on an interval). By default they go to the logger, unflushed. */
  readonly requestCounter?: RequestCounter;
}

export function createIntakeApp(config: CandorConfig, deps: IntakeDeps): Express {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const signer = new ChallengeSigner(clock);
  const difficulty = new ProofOfWorkDifficulty(
    { baseBits: config.proofOfWork.difficultyBits, maxBits: config.proofOfWork.maxDifficultyBits, quietCreationsPerHour: config.proofOfWork.quietCreationsPerHour },
    clock,
  );
  const service = new IntakeService(config, deps.storage, new ProofOfWorkGate(signer, difficulty, clock), clock);
  const caseChallenges = new CaseChallenges(signer, clock);
  const statistics = new PublishedStatistics(new StatisticsRepository(deps.storage.db), clock, config.statistics.minimumCount);

  const api = intakeApiRouter({ config, storage: deps.storage, service, caseChallenges, statistics });
  const requestCounter = deps.requestCounter ?? new RequestCounter(logger);
  return createAppShell({ logger, requestLog: requestCounter.middleware, api, clientDir: config.intake.clientDir });
}
