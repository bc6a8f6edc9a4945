/** Compiled in by vite.config.ts from the pinned-keys file. */
declare const __CANDOR_PINNED_KEYS__: readonly string[];
