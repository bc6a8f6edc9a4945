/** The review console client's Vite configuration, for the CLI build and for the build `npm start` runs. */
import type { UserConfig } from 'vite';
import { clientViteConfig, type ClientBuildOptions } from './client-vite-config.ts';

export function consoleViteConfig(options: ClientBuildOptions): UserConfig {
  return clientViteConfig('console', options);
}
