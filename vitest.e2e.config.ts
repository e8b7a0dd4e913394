import { defineConfig } from 'vitest/config';

// Browser journeys: the real server and Debian's Chromium; run by `npm run test:e2e` (and by CI).
export default defineConfig({
  test: {
    include: ['e2e/**/*.spec.ts'],
    globalSetup: ['e2e/support/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 90_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
