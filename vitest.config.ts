import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources, never a stale dist/.
    alias: {
      // Listed before '@capstan/server', whose path would otherwise take the subpaths as a suffix.
      '@capstan/server/model-server': fileURLToPath(new URL('./packages/server/src/model-server.ts', import.meta.url)),
      '@capstan/server/monitoring-report': fileURLToPath(new URL('./packages/server/src/monitoring-report.ts', import.meta.url)),
      '@capstan/server/table-files': fileURLToPath(new URL('./packages/server/src/table-files.ts', import.meta.url)),
      '@capstan/contracts': src('contracts'),
      '@capstan/sdk': src('sdk'),
      '@capstan/server': src('server'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // CI asks for a machine-readable report to check that the PostgreSQL suites really ran.
    reporters: process.env.CAPSTAN_TEST_REPORT
      ? ['default', ['json', { outputFile: process.env.CAPSTAN_TEST_REPORT }]]
      : ['default'],
  },
});
