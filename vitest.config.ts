import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/support/globalSetup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Test files run two at a time (the machine has two cores); each gets its own database.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
