/** Compiled in from the pinned-keys file by the build (tools/client-build/client-vite-config.ts). */
declare const __CANDOR_PINNED_KEYS__: readonly string[];
