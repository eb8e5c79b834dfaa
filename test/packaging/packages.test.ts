// Issue 11: the packages as a user gets them from npm. Every publishable
// workspace is packed (its prepack build included), the tarballs are installed
// into a fresh project outside the workspace together with the peers and
// @types/* that the package READMEs' install sections list, and then every
// export is imported (ESM and, where offered, CJS), a file using every public
// entry is typechecked (strict, skipLibCheck false, node16 and bundler),
// arethetypeswrong and publint check each tarball, and `npx mfa-kit --help`
// runs in a folder where only the CLI is installed. Needs only the npm
// registry (and its local cache).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'node_modules/.bin');

interface Manifest {
  name: string;
  private?: boolean;
  bin?: Record<string, string>;
  exports?: Record<string, string | Record<string, unknown>>;
  files?: string[];
  license?: string;
  engines?: { node?: string };
  repository?: { url?: string; directory?: string };
  publishConfig?: { access?: string };
  scripts?: Record<string, string>;
}

interface Workspace {
  dir: string;
  manifest: Manifest;
  tarball: string;
}

function run(command: string, args: readonly string[], cwd: string, timeout = 180_000): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      command,
      args,
      {
        cwd,
        timeout,
        maxBuffer: 32 * 1024 * 1024,
        env: { ...process.env, npm_config_update_notifier: 'false' },
      },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`));
        else resolvePromise(String(stdout));
      },
    );
  });
}

/** The publishable workspaces (non-private packages/*). */
function publishable(): { dir: string; manifest: Manifest }[] {
  return readdirSync(join(ROOT, 'packages'))
    .map((name) => join(ROOT, 'packages', name))
    .map((dir) => ({
      dir,
      manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest,
    }))
    .filter(({ manifest }) => manifest.private !== true);
}

/** Packages named on the `npm install` lines of a README's "Install" section (not the workspace's own). */
function readmeInstalls(dir: string): string[] {
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Install'));
  if (section === undefined) throw new Error(`${dir}/README.md has no "## Install" section`);
  return [...section.matchAll(/^npm install (.+)$/gm)].flatMap((match) =>
    (match[1] ?? '')
      .replace(/#.*$/, '')
      .trim()
      .split(/\s+/)
      .filter((word) => word !== '' && !word.startsWith('-') && !word.startsWith('@mfa-kit/')),
  );
}

/** `name@version` with the version the workspace's lockfile resolved, so the run uses the npm cache. */
function pinned(name: string): string {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const version = lock.packages[`node_modules/${name}`]?.version;
  return version === undefined ? name : `${name}@${version}`;
}

/** Subpaths of an export map that are code (not ./package.json), with whether they offer `require`. */
function entries(manifest: Manifest): { specifier: string; cjs: boolean }[] {
  return Object.entries(manifest.exports ?? {})
    .filter(([subpath]) => subpath !== './package.json')
    .map(([subpath, target]) => ({
      specifier: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
      cjs: typeof target === 'object' && 'require' in target,
    }));
}

/** Every file an export map points at (its leaves). */
function exportTargets(map: unknown): string[] {
  if (typeof map === 'string') return [map];
  if (map === null || typeof map !== 'object') return [];
  return Object.values(map).flatMap(exportTargets);
}

/** Typechecks `source` in `dir` with strict options and skipLibCheck false (`module` settings from `options`). */
async function typecheck(
  dir: string,
  source: string,
  options: Record<string, string>,
  cwd: string,
): Promise<void> {
  writeFileSync(join(dir, 'check.ts'), source);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        ...options,
        target: 'es2022',
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        types: ['node'],
      },
      files: ['check.ts'],
    }),
  );
  await run(join(BIN, 'tsc'), ['-p', join(dir, 'tsconfig.json')], cwd);
}

const scratch = mkdtempSync(join(tmpdir(), 'mfa-kit-packaging-'));
const app = join(scratch, 'app');
const cliOnly = join(scratch, 'cli-only');
const withoutRedis = join(scratch, 'without-redis');
const packs = join(scratch, 'packs');
let workspaces: Workspace[] = [];

beforeAll(async () => {
  for (const dir of [app, cliOnly, withoutRedis, packs]) mkdirSync(dir);
  const found = publishable();
  await run(
    'npm',
    ['pack', '--pack-destination', packs, ...found.flatMap(({ manifest }) => ['-w', manifest.name])],
    ROOT,
  );
  const tarballs = readdirSync(packs);
  workspaces = found.map(({ dir, manifest }) => {
    const file = `${manifest.name.replace('@', '').replace('/', '-')}-`;
    const tarball = tarballs.find((name) => name.startsWith(file) && name.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`no tarball for ${manifest.name} in ${tarballs.join(', ')}`);
    return { dir, manifest, tarball: join(packs, tarball) };
  });

  // What the READMEs list, and @types/node, which any TypeScript project on Node has.
  const readmeDeps = [
    ...new Set([...workspaces.flatMap(({ dir }) => readmeInstalls(dir)), '@types/node']),
  ].map(pinned);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  const install = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'];
  await run('npm', [...install, ...workspaces.map((w) => w.tarball), ...readmeDeps], app, 300_000);

  // The CLI alone: its tarball and the (unpublished here) core tarball it depends on.
  writeFileSync(join(cliOnly, 'package.json'), JSON.stringify({ name: 'operator', private: true }));
  const cliPackages = workspaces.filter((w) => ['@mfa-kit/cli', '@mfa-kit/core'].includes(w.manifest.name));
  await run('npm', [...install, ...cliPackages.map((w) => w.tarball)], cliOnly, 300_000);

  // An app on the memory backend: core + express and the README's lines without the Redis ones.
  writeFileSync(join(withoutRedis, 'package.json'), JSON.stringify({ name: 'no-redis', private: true }));
  const expressPackages = workspaces.filter((w) =>
    ['@mfa-kit/core', '@mfa-kit/express'].includes(w.manifest.name),
  );
  const expressDeps = readmeInstalls(join(ROOT, 'packages', 'express'))
    .filter((name) => !['ioredis', 'connect-redis'].includes(name))
    .concat('@types/node')
    .map(pinned);
  await run(
    'npm',
    [...install, ...expressPackages.map((w) => w.tarball), ...expressDeps],
    withoutRedis,
    300_000,
  );
}, 600_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('published packages', () => {
  it('each has a LICENSE, repository, engines, public access, a prepack build and only dist (and bin) files', async () => {
    expect(workspaces.map((w) => w.manifest.name).sort()).toEqual([
      '@mfa-kit/cli',
      '@mfa-kit/core',
      '@mfa-kit/express',
      '@mfa-kit/testing',
      '@mfa-kit/twilio-sms',
      '@mfa-kit/webauthn',
    ]);
    for (const { manifest, tarball } of workspaces) {
      expect(manifest.license, manifest.name).toBe('MIT');
      expect(manifest.engines?.node, manifest.name).toBe('>=20');
      expect(manifest.publishConfig?.access, manifest.name).toBe('public');
      expect(manifest.repository?.directory, manifest.name).toMatch(/^packages\//);
      expect(manifest.scripts?.['prepack'], manifest.name).toContain('build');
      const listing = (await run('tar', ['-tzf', tarball], packs)).split('\n').filter(Boolean);
      expect(listing, manifest.name).toContain('package/LICENSE');
      expect(listing, manifest.name).toContain('package/README.md');
      const unexpected = listing.filter(
        (path) =>
          !/^package\/(dist\/.+|bin\/.+|LICENSE|README\.md|package\.json)$/.test(path) ||
          path.endsWith('.test.js'),
      );
      expect(unexpected, manifest.name).toEqual([]);
      // Every file an export map or bin names is in the tarball.
      for (const target of [...exportTargets(manifest.exports), ...Object.values(manifest.bin ?? {})]) {
        if (target === './package.json') continue;
        expect(listing, `${manifest.name} ships ${target}`).toContain(`package/${target.slice(2)}`);
      }
    }
  });

  it('imports every export with ESM, and with CJS where the export offers require', async () => {
    const checks = workspaces.flatMap(({ manifest }) => entries(manifest));
    expect(checks.length).toBeGreaterThanOrEqual(5);
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const checks = ${JSON.stringify(checks)};
      const result = {};
      for (const { specifier, cjs } of checks) {
        const esm = Object.keys(await import(specifier)).filter((k) => k !== 'default').sort();
        result[specifier] = { esm, cjs: cjs ? Object.keys(require(specifier)).filter((k) => k !== '__esModule').sort() : null };
      }
      console.log(JSON.stringify(result));
    `;
    writeFileSync(join(app, 'import-all.mjs'), script);
    const result = JSON.parse(await run(process.execPath, ['import-all.mjs'], app)) as Record<
      string,
      { esm: string[]; cjs: string[] | null }
    >;
    for (const { specifier, cjs } of checks) {
      const got = result[specifier];
      expect(got?.esm.length, specifier).toBeGreaterThan(0);
      if (cjs) expect(got?.cjs, specifier).toEqual(got?.esm);
      else expect(got?.cjs, specifier).toBeNull();
    }
    expect(result['@mfa-kit/core']?.esm).toContain('createMfa');
    expect(result['@mfa-kit/express']?.esm).toContain('createMfaExpress');
    expect(result['@mfa-kit/webauthn']?.esm).toContain('createWebAuthnVerifier');
  });

  it('the testing helpers are ESM only: require() is refused by the export map', async () => {
    writeFileSync(join(app, 'require-testing.cjs'), "require('@mfa-kit/testing');\n");
    await expect(run(process.execPath, ['require-testing.cjs'], app)).rejects.toThrow(
      /ERR_PACKAGE_PATH_NOT_EXPORTED|ERR_REQUIRE_ESM/,
    );
  });

  it.each([
    ['node16', { module: 'node16', moduleResolution: 'node16' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ])(
    'typechecks a file using every public entry under %s resolution, strict, skipLibCheck false',
    async (name, options) => {
      const specifiers = workspaces.flatMap(({ manifest }) => entries(manifest).map((e) => e.specifier));
      const source = [
        ...specifiers.map((specifier, i) => `import * as entry${i} from '${specifier}';`),
        `import type { UserDirectory } from '@mfa-kit/express';`,
        `import { type MfaPolicy, createMfa, createMemoryBackend } from '@mfa-kit/core';`,
        `import { createMfaExpress } from '@mfa-kit/express';`,
        `import passport from 'passport';`,
        `export const used = [${specifiers.map((_, i) => `entry${i}`).join(', ')}];`,
        `const mfa = createMfa({ backend: createMemoryBackend(), encryption: { keys: { k1: Buffer.alloc(32) }, currentKeyId: 'k1' }, hashKey: Buffer.alloc(32), issuer: 'Acme' });`,
        `export const kit = createMfaExpress({ mfa, passport, loadUser: (id: string) => ({ id }), allowedOrigins: ['https://acme.example'] });`,
        `export const policy: MfaPolicy | null = null;`,
        `export type Directory = UserDirectory;`,
      ].join('\n');
      const dir = join(app, `types-${name}`);
      mkdirSync(dir, { recursive: true });
      await typecheck(dir, source, options, app);
    },
    240_000,
  );

  it('@mfa-kit/express typechecks strict, skipLibCheck false, without ioredis installed', async () => {
    expect(readdirSync(join(withoutRedis, 'node_modules'))).not.toContain('ioredis');
    await typecheck(
      withoutRedis,
      [
        `import { createMfa, createMemoryBackend } from '@mfa-kit/core';`,
        `import { createMfaExpress, type RedisSessionIndexOptions } from '@mfa-kit/express';`,
        `import passport from 'passport';`,
        `const mfa = createMfa({ backend: createMemoryBackend(), encryption: { keys: { k1: Buffer.alloc(32) }, currentKeyId: 'k1' }, hashKey: Buffer.alloc(32), issuer: 'Acme' });`,
        `export const kit = createMfaExpress({ mfa, passport, loadUser: (id: string) => ({ id }), allowedOrigins: ['https://acme.example'] });`,
        `export type IndexOptions = RedisSessionIndexOptions;`,
      ].join('\n'),
      { module: 'node16', moduleResolution: 'node16' },
      withoutRedis,
    );
  }, 240_000);

  it('arethetypeswrong finds no problem (testing: ESM-only profile) and publint none', async () => {
    for (const { manifest, tarball } of workspaces) {
      if (manifest.exports !== undefined) {
        const profile = entries(manifest).every((e) => !e.cjs) ? ['--profile', 'esm-only'] : [];
        await run(join(BIN, 'attw'), [tarball, ...profile, '--format', 'ascii'], packs);
      }
      const lint = await run(join(BIN, 'publint'), ['run', tarball, '--strict'], packs);
      expect(lint, manifest.name).toContain('All good!');
    }
  }, 240_000);

  it('`npx mfa-kit --help` runs in a folder where only @mfa-kit/cli (and its core) is installed', async () => {
    const installed = readdirSync(join(cliOnly, 'node_modules'));
    expect(installed).not.toContain('express');
    const help = await run('npx', ['--no', '--', 'mfa-kit', '--help'], cliOnly);
    expect(help).toMatch(/^Usage: mfa-kit <command>/m);
    expect(help).toMatch(/^ {2}reset /m);
  });
});
