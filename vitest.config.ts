import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One `vitest run` at the root runs every package's unit tests and the
// cross-package suite in test/. Workspace packages resolve to their sources
// (the `paths` of tsconfig.workspace.json, which `tsc` uses too), so tests
// never see a stale build; the published packages point only at dist/.
// Redis servers are started once per run by test/harness/global-setup.ts.
const workspace = JSON.parse(readFileSync(new URL('./tsconfig.workspace.json', import.meta.url), 'utf8')) as {
  compilerOptions: { paths: Record<string, [string]> };
};
const alias = Object.entries(workspace.compilerOptions.paths).map(([name, [source]]) => ({
  find: new RegExp(`^${name.replace(/[/.]/g, '\\$&')}$`),
  replacement: fileURLToPath(new URL(source, import.meta.url)),
}));

export default defineConfig({
  resolve: { alias },
  test: {
    globalSetup: ['./test/harness/global-setup.ts'],
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts', 'examples/*/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
