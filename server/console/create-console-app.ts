/**
 * The review console app (composition root): everything investigators and admins reach, and nothing
 * of the intake. It runs on its own port (its own onion service, with client authorization).
 */
import express, { type Express } from 'express';
import type { CandorConfig } from '../../config/schema';
import { systemClock, type Clock } from '../clock';
import { createAppShell } from '../http/app-shell';
import { logEachRequest } from '../http/request-log';
import { silentLogger, type Logger } from '../logger';
import type { Storage } from '../storage/index';
import { requireCsrf, SessionManager } from './auth/sessions';
import { SignInGuard } from './auth/sign-in-guard';
import { relyingPartyFor } from './auth/webauthn';
import { accountRouter } from './routes/account-routes';
import { adminRouter, bodyRouter } from './routes/admin-routes';
import { caseRouter } from './routes/case-routes';
import type { ConsoleRouteDeps } from './routes/deps';
import { sessionRouter } from './routes/session-routes';
import { createConsoleServices } from './services/index';

/** Enough for an investigator's public and locked private key, the largest body outside cases. */
const SMALL_BODY_BYTES = 256 * 1024;

export interface ConsoleDeps {
  readonly storage: Storage;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export function createConsoleApp(config: CandorConfig, deps: ConsoleDeps): Express {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const sessions = new SessionManager(deps.storage, clock, config.console);
  const guard = new SignInGuard(deps.storage, clock, config.console.origin.startsWith('https:'));
  const routeDeps: ConsoleRouteDeps = { ...createConsoleServices(deps.storage, clock), config, sessions, relyingParty: relyingPartyFor(config.console.origin), guard };

  const api = express.Router();
  // Browsers never compress request bodies: refusing Content-Encoding also rules out decompression bombs.
  const json = (limit: number) => express.json({ limit, type: 'application/json', strict: true, inflate: false });
  // Replies and notes carry ciphertext up to the request limit; everything else, keys included, is
  // small, and is refused early, before any session is even looked up.
  api.use('/cases', json(config.limits.requestBodyBytes));
  api.use(json(SMALL_BODY_BYTES));
  api.use(sessions.load());
  api.use(requireCsrf);
  api.use(sessionRouter(routeDeps));
  api.use(accountRouter(routeDeps));
  api.use(caseRouter(routeDeps));
  api.use(adminRouter(routeDeps));
  api.use(bodyRouter(routeDeps));
  return createAppShell({ logger, requestLog: logEachRequest(logger), api, clientDir: config.console.clientDir });
}
