/** `npm run build`: the console client, for the pinned keys and output directory the configuration names. */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { loadConfig } from '../../config/load.ts';
import { consoleViteConfig } from './client-vite-config.ts';
import { readDirectoryPins } from './pinned-keys.ts';

export default defineConfig(() => {
  const { config } = loadConfig();
  return consoleViteConfig({ outDir: config.console.clientDir, pins: readDirectoryPins(resolve(config.intake.pinnedKeysFile)) });
});
