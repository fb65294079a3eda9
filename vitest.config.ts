import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One PostgreSQL server for the run: NFX_TEST_DATABASE_URL or a throwaway embedded one (test/helpers/pg.ts).
    globalSetup: ['test/helpers/pg-global-setup.ts'],
    // Integration tests run the CLI, DuckDB and PostgreSQL for real.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    // Child processes, not worker threads: DuckDB's native addon gets a process of its own.
    // Two workers fit the 2-core CI machine; the server and DuckDB take the rest of the CPU.
    pool: 'forks',
    maxWorkers: 2,
  },
});
