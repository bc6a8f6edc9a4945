/**
 * The review console app (composition root): everything investigators and admins reach, and nothing
 * of the intake. It runs on its own port (its own onion service, with client authorization).
 */
import express, { type Express } from 'express';
import type { CandorConfig } from '../../config/schema';
import { systemClock, type Clock } from '../clock';
import { createAppShell } from '../http/app-shell';
import { silentLogger, type Logger } from '../logger';
import type { Storage } from '../storage/index';
import { requireCsrf, SessionManager } from './auth/sessions';
import { relyingPartyFor } from './auth/webauthn';
import { accountRouter } from './routes/account-routes';
import { adminRouter, bodyRouter } from './routes/admin-routes';
import { caseRouter } from './routes/case-routes';
import type { ConsoleRouteDeps } from './routes/deps';
import { sessionRouter } from './routes/session-routes';

export interface ConsoleDeps {
  readonly storage: Storage;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export function createConsoleApp(config: CandorConfig, deps: ConsoleDeps): Express {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const sessions = new SessionManager(deps.storage, clock, config.console);
  const routeDeps: ConsoleRouteDeps = { config, storage: deps.storage, clock, sessions, relyingParty: relyingPartyFor(config.console.origin) };

  const api = express.Router();
  // Browsers never compress request bodies: refusing Content-Encoding also rules out decompression bombs.
  api.use(express.json({ limit: config.limits.requestBodyBytes, type: 'application/json', strict: true, inflate: false }));
  api.use(sessions.load());
  api.use(requireCsrf);
  api.use(sessionRouter(routeDeps));
  api.use(accountRouter(routeDeps));
  api.use(caseRouter(routeDeps));
  api.use(adminRouter(routeDeps));
  api.use(bodyRouter(routeDeps));
  return createAppShell({ logger, api, clientDir: config.console.clientDir });
}
