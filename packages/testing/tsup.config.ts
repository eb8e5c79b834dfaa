import { defineConfig } from 'tsup';

// ESM only: the suites register vitest tests, and vitest is ESM only.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
});
