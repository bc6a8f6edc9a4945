/**
 * `npm start` runs this, compiled (dist/server/start.js): loads the configuration, opens storage, has
 * server/prepare.ts create the demo and build the clients if either is due, and serves the intake
 * and the review console on loopback until SIGTERM.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { extname, join } from 'node:path';
import { loadConfigOrExit } from '../config/load';
import { systemClock } from './clock';
import { clientsBuiltForPinnedKeys } from './client-build';
import { createConsoleApp } from './console/create-console-app';
import { createLimitedServer } from './http/limited-server';
import { RequestCounter } from './http/request-log';
import { createIntakeApp } from './intake/create-intake-app';
import { createJsonLogger } from './logger';
import { createNotificationSender } from './notifications/index';
import { runIntakeMaintenance } from './operations/intake-maintenance';
import { openStorage } from './storage/index';

const MAINTENANCE_INTERVAL_MS = 3_600_000;

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

/**
 * Runs server/prepare.ts (prepare.js when compiled) beside this file in a child process with the
 * same Node options, and waits for it; exits with its status if it fails.
 */
async function prepare(): Promise<void> {
  const script = join(import.meta.dirname, `prepare${extname(import.meta.filename)}`);
  const child = spawn(process.execPath, [...process.execArgv, script], { stdio: 'inherit' });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) {
    console.error(`The preparation before serving failed (${signal ?? `exit code ${code}`}).`);
    process.exit(code === null || code === 0 ? 1 : code);
  }
}

async function main(): Promise<void> {
  const logger = createJsonLogger();
  const { config } = loadConfigOrExit();
  const storage = await openStorage(config.dataDir);
  // Creating the demo's keys and building the clients run in a process of their own, so that this
  // one never holds what they leave behind (Vite, some 400 MiB of heap).
  if ((config.demo && storage.bodies.list().length === 0) || !clientsBuiltForPinnedKeys(config)) await prepare();
  if (storage.bodies.list().length === 0) {
    console.log('No body yet: create one with `npm run admin -- create-body` (README.md, "Setting up a body").');
  }
  // At start-up, then hourly: unfinished uploads expire, file times are cut to the day (each file's
  // ctime then shows the sweep, not its write), old intake counts go.
  const maintain = () =>
    runIntakeMaintenance(storage, config, systemClock.now()).then(
      // Not how many file times were settled: hour by hour, that count follows the uploads.
      ({ uploadsExpired, intakeDaysPruned }) => {
        if (uploadsExpired + intakeDaysPruned > 0) logger.info('maintenance', { uploadsExpired, intakeDaysPruned });
      },
      (error: unknown) => logger.error('maintenance-failed', { cause: String((error as Error | null)?.name ?? 'unknown') }),
    );
  await maintain();
  const maintenance = setInterval(() => void maintain(), MAINTENANCE_INTERVAL_MS);
  maintenance.unref();
  const requestCounter = new RequestCounter(logger);
  requestCounter.start(config.logging.requestCountsMinutes * 60_000);
  // Investigators' e-mail alerts, sent in the background, never on a request's path; made before
  // listening, so that an unreadable SMTP password file stops the start.
  const notifications = createNotificationSender(config, { storage, clock: systemClock, logger });
  // Two servers on two ports: the intake and the console share storage, never routes.
  const intake = createLimitedServer(createIntakeApp(config, { storage, logger, requestCounter }), config.limits);
  const consoleServer = createLimitedServer(createConsoleApp(config, { storage, logger }), config.limits);
  await listen(intake, config.intake.port, config.intake.host);
  await listen(consoleServer, config.console.port, config.console.host);
  notifications?.start();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutdown', { signal });
    let open = 2;
    const closed = () => {
      open -= 1;
      if (open > 0) return;
      clearInterval(maintenance);
      requestCounter.stop();
      void (notifications?.stop() ?? Promise.resolve()).finally(() => {
        storage.close();
        process.exit(0);
      });
    };
    for (const server of [intake, consoleServer]) {
      server.close(closed);
      server.closeIdleConnections();
    }
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  console.log(`Candor review console: ${config.console.origin}/ (listening on ${config.console.host}:${config.console.port})`);
  // Printed last: whoever waits for this line may send SIGTERM at once.
  console.log(`Candor intake: http://${config.intake.host}:${config.intake.port}/`);
}

await main();
