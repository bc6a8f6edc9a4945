/** `npm start`: loads the configuration, opens storage, and serves the intake and the review console on loopback until SIGTERM. */
import type { Server } from 'node:http';
import { loadConfig } from '../config/load';
import { ConfigError } from '../config/schema';
import { systemClock } from './clock';
import { ClientBuildUnavailableError, ensureClientBuilt, writePinnedKeys } from './client-build';
import { signBuiltAssets } from '../tools/client-build/asset-manifest';
import { createConsoleApp } from './console/create-console-app';
import { ensureDemoSetup, readDemoDirectoryKey } from './demo-setup';
import { createLimitedServer } from './http/limited-server';
import { RequestCounter } from './http/request-log';
import { createIntakeApp } from './intake/create-intake-app';
import { createJsonLogger } from './logger';
import { runIntakeMaintenance } from './operations/intake-maintenance';
import { openStorage } from './storage/index';

const MAINTENANCE_INTERVAL_MS = 3_600_000;

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

async function main(): Promise<void> {
  const logger = createJsonLogger();
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const { config } = loaded;
  const storage = await openStorage(config.dataDir);
  const demo = config.demo ? await ensureDemoSetup(storage, config.dataDir, systemClock) : null;
  if (storage.bodies.list().length === 0) {
    console.log('No body yet: create one with `npm run admin -- create-body` (README.md, "Setting up a body").');
  }
  if (demo !== null) writePinnedKeys(config.intake.pinnedKeysFile, [demo.directoryPublicKey], { overwrite: false });
  const clientBuild = await ensureClientBuilt(config).catch((error: unknown) => {
    if (!(error instanceof ClientBuildUnavailableError)) throw error;
    console.error(error.message);
    process.exit(1);
  });
  if (clientBuild === 'built') {
    logger.info('client-built', { clientDir: config.intake.clientDir });
    // The demo holds its directory key, so it can sign its own asset manifest; a real body signs offline.
    const demoKey = readDemoDirectoryKey(config.dataDir);
    if (demoKey !== null) for (const clientDir of [config.intake.clientDir, config.console.clientDir]) signBuiltAssets(clientDir, demoKey);
  }
  if (demo !== null) {
    console.log(
      [
        '',
        '################################################################################',
        '#  DEMO SETUP CREATED. FOR TRYING CANDOR OUT ONLY. NEVER USE IT FOR REAL REPORTS.',
        `#  Demo secrets (directory key, investigator key): ${demo.secretsDir}`,
        `#  Review console, demo investigator: ${demo.investigatorLogin.username} / ${demo.investigatorLogin.password}`,
        `#    (first sign-in: enroll an authenticator app or security key; key passphrase below)`,
        `#  Demo investigator key passphrase (printed once): ${demo.investigatorPassphrase}`,
        `#  Review console, demo admin: ${demo.adminLogin.username} / ${demo.adminLogin.password}`,
        `#  Pinned directory key of the demo body: ${demo.directoryPublicKey}`,
        '################################################################################',
        '',
      ].join('\n'),
    );
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
  // Two servers on two ports: the intake and the console share storage, never routes.
  const intake = createLimitedServer(createIntakeApp(config, { storage, logger, requestCounter }), config.limits);
  const consoleServer = createLimitedServer(createConsoleApp(config, { storage, logger }), config.limits);
  await listen(intake, config.intake.port, config.intake.host);
  await listen(consoleServer, config.console.port, config.console.host);
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
      storage.close();
      process.exit(0);
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
