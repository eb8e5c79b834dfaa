import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttemptInput, MfaStore } from '@mfa-kit/core';
import { createRedisBackend } from '@mfa-kit/core/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateRedisServer, startRedisServer, trackProcess, uniquePrefix } from '../harness/index.js';
import {
  findFreePort,
  LOOPBACK,
  rawCommand,
  unwatchDir,
  waitFor,
  watchDir,
} from '../harness/redis-process.js';
import { LIMITS, LOCK, TOTP_FACTOR } from './fixtures.js';

/**
 * ARCHITECTURE.md: "Works … behind Sentinel through ioredis". A private
 * master and a private Sentinel (quorum 1) are started here; the client is
 * given only the Sentinel's address and the master's name, so every decision
 * below reached Redis through Sentinel's master discovery.
 */
const MASTER_NAME = 'mymaster';
const NOW = 1_760_000_000_000;

function input(check: AttemptInput['check'], family: AttemptInput['family'] = 'totp'): AttemptInput {
  return { family, check, limits: LIMITS, lock: LOCK, now: NOW };
}

let master: PrivateRedisServer;
let sentinel: ChildProcess | null = null;
let sentinelPort = 0;
let dir = '';
let client: Redis;
let store: MfaStore;

beforeAll(async () => {
  master = await startRedisServer();
  dir = mkdtempSync(join(tmpdir(), 'mfa-kit-sentinel-'));
  watchDir(dir);
  sentinelPort = await findFreePort();
  // Sentinel rewrites its config file, so it must be a writable file of its own.
  const config = join(dir, 'sentinel.conf');
  writeFileSync(
    config,
    [
      `port ${sentinelPort}`,
      `bind ${LOOPBACK}`,
      'protected-mode no',
      `dir ${dir}`,
      `logfile ${join(dir, 'sentinel.log')}`,
      `sentinel monitor ${MASTER_NAME} ${LOOPBACK} ${master.port} 1`,
      `sentinel down-after-milliseconds ${MASTER_NAME} 5000`,
      '',
    ].join('\n'),
  );
  sentinel = spawn('redis-server', [config, '--sentinel'], { stdio: 'ignore' });
  // The watchdog kills it if this run is SIGKILLed before afterAll.
  trackProcess(sentinel);
  await waitFor('redis sentinel', async () => {
    const reply = await rawCommand(
      sentinelPort,
      `SENTINEL get-master-addr-by-name ${MASTER_NAME}`,
      (r) => r.split('\r\n').length >= 5 || r.startsWith('*-1') || r.startsWith('-'),
    );
    return reply.includes(String(master.port));
  });
  client = new Redis({ sentinels: [{ host: LOOPBACK, port: sentinelPort }], name: MASTER_NAME });
  store = createRedisBackend({ client, prefix: uniquePrefix('sentinel') }).store;
});

afterAll(async () => {
  await client?.quit().catch(() => undefined);
  if (sentinel !== null && sentinel.exitCode === null && sentinel.signalCode === null) {
    const exited = new Promise<void>((resolve) => sentinel?.once('exit', () => resolve()));
    sentinel.kill('SIGTERM');
    await exited;
  }
  if (dir !== '') {
    rmSync(dir, { recursive: true, force: true });
    unwatchDir(dir);
  }
  await master?.stop();
});

describe('Redis backend behind Sentinel', () => {
  it('the client found the master through Sentinel (it was never given its port)', async () => {
    const info = await client.info('server');
    expect(info).toMatch(new RegExp(`tcp_port:${master.port}\\r?\\n`));
    const role = (await client.call('ROLE')) as unknown[];
    expect(role[0]).toBe('master');
  });

  it('verification decision: a TOTP step is accepted once, replays and wrong codes are counted', async () => {
    const user = 'totp-user';
    await store.setTotp(user, TOTP_FACTOR);
    expect(await store.attempt(user, input({ type: 'totp', step: 58_666_001 }))).toEqual({
      ok: true,
      evaluated: true,
    });
    expect(await store.attempt(user, input({ type: 'totp', step: 58_666_001 }))).toMatchObject({
      ok: false,
      code: 'INVALID_CODE',
      reason: 'replay',
      failures: 1,
      remaining: 4,
    });
    expect(await store.attempt(user, input({ type: 'totp', step: null }))).toMatchObject({
      code: 'INVALID_CODE',
      reason: 'mismatch',
      failures: 2,
    });
    const status = await store.getLimiterStatus(user, NOW);
    expect(status).toMatchObject({
      locked: false,
      consecutiveFailures: 2,
      families: { totp: { failures: 2 } },
    });
  });

  it('30 parallel attempts with one recovery code → exactly one success', async () => {
    const user = 'recovery-user';
    await store.replaceRecoveryCodes(user, ['hash-a', 'hash-b']);
    const limits = { ...LIMITS, maxFailures: 100 };
    const lock = { ...LOCK, maxConsecutiveFailures: 100 };
    const decisions = await Promise.all(
      Array.from({ length: 30 }, () =>
        store.attempt(user, { ...input({ type: 'recovery', hash: 'hash-a' }, 'recovery'), limits, lock }),
      ),
    );
    expect(decisions.filter((decision) => decision.ok)).toHaveLength(1);
    expect(
      decisions.filter((d) => !d.ok && d.code === 'INVALID_CODE' && d.reason === 'mismatch'),
    ).toHaveLength(29);
    const record = await store.getRecord(user);
    expect(record?.recoveryCodesRemaining).toBe(1);
  });

  it('30 parallel wrong codes → exactly maxFailures evaluated, then the cooldown refuses the rest', async () => {
    const user = 'brute-user';
    const decisions = await Promise.all(
      Array.from({ length: 30 }, () => store.attempt(user, input({ type: 'totp', step: null }))),
    );
    const evaluated = decisions.filter((decision) => decision.evaluated);
    expect(evaluated).toHaveLength(LIMITS.maxFailures);
    expect(decisions.filter((d) => !d.ok && d.code === 'COOLDOWN' && d.started)).toHaveLength(1);
    expect(decisions.filter((d) => !d.ok && d.code === 'COOLDOWN' && !d.evaluated)).toHaveLength(
      30 - LIMITS.maxFailures,
    );
    expect(decisions.some((decision) => decision.ok)).toBe(false);
  });
});
