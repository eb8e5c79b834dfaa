// Issue 11: a lockfile that `npm ci` accepts on every platform. `npm install`
// rewrites an incomplete lockfile (e.g. one missing other platforms' optional
// binaries, which made `npm ci` fail on a clean clone); this test runs that
// rewrite on a copy of the manifests and fails when it would change anything.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

/** The root manifest, every workspace's manifest and the lockfile, relative to ROOT. */
function manifestPaths(): string[] {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
  const paths = ['package.json', 'package-lock.json'];
  for (const pattern of root.workspaces) {
    const dirs = pattern.endsWith('/*')
      ? readdirSync(join(ROOT, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
      : [pattern];
    for (const dir of dirs)
      if (existsSync(join(ROOT, dir, 'package.json'))) paths.push(`${dir}/package.json`);
  }
  return paths;
}

const scratch = mkdtempSync(join(tmpdir(), 'mfa-kit-lockfile-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('package-lock.json', () => {
  it('is exactly what `npm install` writes for the current manifests', async () => {
    for (const path of manifestPaths()) cpSync(join(ROOT, path), join(scratch, path));
    await run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: scratch,
      timeout: 120_000,
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    const committed = readFileSync(join(ROOT, 'package-lock.json'), 'utf8');
    const rewritten = readFileSync(join(scratch, 'package-lock.json'), 'utf8');
    const fix = 'run `npm install` and commit package-lock.json as npm writes it';
    expect(rewritten.split('\n').length - committed.split('\n').length, `lines added; ${fix}`).toBe(0);
    expect(rewritten === committed, fix).toBe(true);
  }, 150_000);
});
