import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The top level of the repository is fixed, so the test config lives with the harness.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['bench/**/*.test.ts', 'src/**/*.test.ts', 'scenarios/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start their own redis-server processes; two cores, so keep parallelism modest.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
