import { defineConfig } from 'vitest/config';

// Three projects for the server tests (STYLE.md): unit, integration on PGlite, integration on PostgreSQL;
// plus the browser end-to-end tests in real Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/src/**/*.test.tsx'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          environment: 'node',
          // several unit tests read the real corpora; on a busy CI machine they may take seconds
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'int:pglite',
          include: ['packages/server/src/**/*.int.test.ts', 'packages/cli/src/**/*.int.test.ts'],
          env: { MEDSEC_TEST_DB: 'pglite' },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'int:postgres',
          // the CLI's tests open their own embedded data directories; this one also runs on a cloned database
          include: [
            'packages/server/src/**/*.int.test.ts',
            'packages/cli/src/sbom-explorer-charts.int.test.ts',
          ],
          env: { MEDSEC_TEST_DB: 'postgres' },
          globalSetup: ['packages/server/src/testing/postgres-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.spec.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
