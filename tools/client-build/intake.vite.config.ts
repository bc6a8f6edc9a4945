/** `npm run build`: the intake client, for the pinned keys and output directory the configuration names. */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { loadConfig } from '../../config/load.ts';
import { intakeViteConfig } from './client-vite-config.ts';
import { readDirectoryPins } from './pinned-keys.ts';

export default defineConfig(() => {
  const { config } = loadConfig();
  return intakeViteConfig({ outDir: config.intake.clientDir, pins: readDirectoryPins(resolve(config.intake.pinnedKeysFile)) });
});
