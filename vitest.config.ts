import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/server/ when its sources changed, for the tests that start the compiled server.
    globalSetup: ['test/helpers/compiled-server.ts'],
    // Crypto tests generate keys and stream megabytes; the defaults are tuned for faster unit tests.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
