/** Compiled in from the pinned-keys file by the build (tools/client-build/client-vite-config.ts). */
declare const __CANDOR_DIRECTORY_PINS__: import('../../protocol/directory-pins').DirectoryPins;
