import { defineConfig } from 'vitest/config';

// One `vitest run` at the root runs every package's unit tests and the
// cross-package suite in test/. Workspace packages resolve to their sources
// through the `source` export condition, so tests never see a stale build.
// Redis servers are started once per run by test/harness/global-setup.ts.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    globalSetup: ['./test/harness/global-setup.ts'],
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts', 'examples/*/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
