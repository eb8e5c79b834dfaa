// Issue 6: the mfa-kit binary's help, usage errors (exit 2), unreachable
// Redis (exit 1, one clear line) and non-interactive refusal, run as a real
// child process.
import { createServer } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, uniquePrefix } from '../harness/index.js';
import { prepareCli, runCli } from './cli-binary.js';

let cli: string;

beforeAll(async () => {
  cli = (await prepareCli()).path;
});

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('mfa-kit help and usage', () => {
  it('prints the command list with --help and exits 0', async () => {
    const run = await runCli(cli, ['--help']);
    expect(run.code).toBe(0);
    for (const command of ['status', 'reset', 'lock', 'unlock', 'reset-cooldown', 'events', 'policy']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
  });

  it.each(['status', 'reset', 'lock', 'unlock', 'reset-cooldown', 'events', 'policy'])(
    '`%s --help` shows its usage and exits 0 without connecting',
    async (command) => {
      const run = await runCli(cli, [command, '--help', '--redis-url', 'redis://127.0.0.1:1']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: mfa-kit ${command}`);
      expect(run.stdout).toContain('--redis-url');
    },
  );

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [[], /missing command/],
    [['status'], /Missing <user>/],
    [['status', 'a', 'b'], /exactly one <user>/],
    [['events', '--limit', '0'], /--limit must be 1-500/],
    [['events', '--type', 'NOPE'], /Unknown event type: NOPE/],
    [['events', '--since', 'yesterday'], /--since: not a date/],
    [['status', 'u', '--bogus'], /Unknown option '--bogus'/],
    [['reset-cooldown', 'u', '--which', 'everything'], /--which must be one of/],
    [['policy', 'set', '--yes'], /needs at least one change/],
    [['policy', 'frob'], /Unknown policy subcommand/],
    [['status', 'u', '--redis-url', 'http://example.com'], /Not a redis:\/\/ or rediss:\/\/ URL/],
    [['status', 'u'], /No Redis to connect to/],
  ] as const)('%j is a usage error: exit 2', async (args, message) => {
    const run = await runCli(cli, args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('exits 1 with one clear line (no stack) when Redis is unreachable', async () => {
    const port = await closedPort();
    const run = await runCli(cli, ['status', 'alice', '--connect-timeout', '2000'], {
      env: { REDIS_URL: `redis://:s3cret@127.0.0.1:${port}` },
    });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      new RegExp(`Cannot connect to Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}`),
    );
    expect(run.stderr).toMatch(/ECONNREFUSED/);
    expect(run.stderr).not.toContain('s3cret');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it.each(['reset', 'lock', 'unlock'])(
    '`%s` refuses to run without --yes when stdin is not a terminal (exit 2)',
    async (command) => {
      const run = await runCli(cli, [command, 'alice', '--prefix', uniquePrefix('cli-usage')], {
        env: { REDIS_URL: redisUrl() },
        input: 'alice\n',
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/stdin is not a terminal: pass --yes/);
    },
  );

  it('`policy set` refuses without --yes on a non-terminal too', async () => {
    const run = await runCli(cli, ['policy', 'set', '--require-role', 'admin'], {
      env: { REDIS_URL: redisUrl() },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/pass --yes/);
  });
});
