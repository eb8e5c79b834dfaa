/**
 * Runs the real `mfa-kit` binary in a child process.
 *
 * Prefers `@mfa-kit/cli`'s built `dist/main.js` (what `npm test` builds
 * first and what users run) when it is newer than every source file of
 * `@mfa-kit/cli` and `@mfa-kit/core`. Otherwise it builds the same entry
 * with tsup into `node_modules/.cache/mfa-kit-cli-test/` (core bundled from
 * its sources, ioredis external) instead of overwriting `dist/` under other
 * test runs; either way the child is a plain `node` process on a built file.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = join(ROOT, 'packages/cli/dist/main.js');
const CORE_DIST = join(ROOT, 'packages/core/dist/redis/index.js');
const CACHE_DIR = join(ROOT, 'node_modules/.cache/mfa-kit-cli-test');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Path of a built CLI for the current sources (builds one when `dist` is missing or stale). */
export async function prepareCli(): Promise<{ path: string; built: 'dist' | 'test-build' }> {
  const sources = Math.max(
    newestSource(join(ROOT, 'packages/cli/src')),
    newestSource(join(ROOT, 'packages/core/src')),
  );
  if (
    existsSync(DIST) &&
    existsSync(CORE_DIST) &&
    statSync(DIST).mtimeMs > sources &&
    statSync(CORE_DIST).mtimeMs > sources
  ) {
    return { path: DIST, built: 'dist' };
  }
  const { build } = await import('tsup');
  await build({
    entry: { main: join(ROOT, 'packages/cli/src/main.ts') },
    outDir: CACHE_DIR,
    format: ['esm'],
    outExtension: () => ({ js: '.mjs' }),
    target: 'node20',
    platform: 'node',
    dts: false,
    sourcemap: false,
    clean: false,
    silent: true,
    config: false,
    // The dev tsconfig: its paths (tsconfig.workspace.json) resolve @mfa-kit/core to its sources.
    tsconfig: join(ROOT, 'packages/cli/tsconfig.json'),
    noExternal: [/^@mfa-kit\//],
    external: ['ioredis', 'otplib'],
    banner: { js: '#!/usr/bin/env node' },
  });
  return { path: join(CACHE_DIR, 'main.mjs'), built: 'test-build' };
}

/** Result of one CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with `args`; stdin is a pipe (not a TTY), fed `input` when given. */
export function runCli(
  cliPath: string,
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; input?: string } = {},
): Promise<CliRun> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      process.execPath,
      [cliPath, ...args],
      {
        cwd: ROOT,
        timeout: 20_000,
        env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...options.env },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolvePromise({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}
