/**
 * What `npm start` does once before serving, in a process of its own that exits afterwards
 * (server/start.ts runs it when there is something to do): on a first run with the demo on, creates
 * the demo body and pins its key; builds the clients with Vite for the pinned keys if they are not
 * built for them, and signs the demo's asset manifests. Generating keys and bundling leave hundreds of
 * MiB of heap behind, which the serving process never holds.
 */
import { existsSync } from 'node:fs';
import { loadConfigOrExit } from '../config/load';
import { signBuiltAssets } from '../tools/client-build/asset-manifest';
import { ClientBuildUnavailableError, ensureClientBuilt } from '../tools/client-build/build-clients';
import { systemClock } from './clock';
import { pinDemoKey } from './client-build';
import { DEMO_BODY_ID, DEMO_DIRECTORY_SERIAL, ensureDemoSetup, readDemoDirectoryKey, type DemoSetup } from './demo-setup';
import { createJsonLogger } from './logger';
import { upgradePinnedKeysFile } from './pinned-keys-upgrade';
import { openStorage } from './storage/index';

function printDemoBanner(demo: DemoSetup): void {
  console.log(
    [
      '',
      '################################################################################',
      '#  DEMO SETUP CREATED. FOR TRYING CANDOR OUT ONLY. NEVER USE IT FOR REAL REPORTS.',
      `#  Demo body: ${DEMO_BODY_ID} (npm run admin -- list-bodies)`,
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

async function main(): Promise<void> {
  const logger = createJsonLogger();
  const { config } = loadConfigOrExit();
  const storage = await openStorage(config.dataDir);
  try {
    const demo = config.demo ? await ensureDemoSetup(storage, config.dataDir, systemClock) : null;
    if (demo !== null) {
      pinDemoKey(config.intake.pinnedKeysFile, DEMO_BODY_ID, demo.directoryPublicKey, DEMO_DIRECTORY_SERIAL);
      // Before the build, which may fail: the passwords are printed only this once.
      printDemoBanner(demo);
    }
    if (existsSync(config.intake.pinnedKeysFile)) {
      const upgraded = upgradePinnedKeysFile(config.intake.pinnedKeysFile, storage.bodies.list());
      if (upgraded !== null) logger.info('pinned-keys-upgraded', { file: config.intake.pinnedKeysFile, bodies: upgraded.join(' ') });
    }
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
  } finally {
    storage.close();
  }
}

await main();
