/** Compiled in from the pinned-keys file by the build (tools/client-build/client-vite-config.ts). */
import type { DirectoryPins } from '../../protocol/directory-pins';

declare global {
  const __CANDOR_DIRECTORY_PINS__: DirectoryPins;
}
