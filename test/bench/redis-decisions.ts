/**
 * Verification decisions per second on a single Redis, and Redis commands per
 * decision: round trips (top-level EVALSHA calls) and the commands the
 * attempt script runs inside Redis, from `INFO commandstats` deltas.
 *
 * Uses `REDIS_URL` when set (keys under a unique prefix, never flushed);
 * otherwise starts a private redis-server through the test harness.
 *
 * Run alone: `npx tsx test/bench/redis-decisions.ts`, or through `npm run bench`.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { createRedisBackend } from '../../packages/core/src/redis/index.js';
import type { AttemptInput } from '../../packages/core/src/types.js';
import { type PrivateRedisServer, startRedisServer } from '../harness/index.js';
import { LIMITS, LOCK } from '../redis/fixtures.js';
import type { BenchResult } from './totp.js';

const USERS = 1_000;
const SEQUENTIAL = 5_000;
const CONCURRENT = 20_000;
const IN_FLIGHT = 64;

async function commandCalls(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1]!, Number(match[2]));
  return calls;
}

/** The i-th decision: a fresh valid TOTP step (success) or a wrong code (failure), alternating per user. */
function input(i: number, now: number): AttemptInput {
  const step = Math.floor(i / USERS) + 1;
  return {
    family: 'totp',
    check: { type: 'totp', step: step % 2 === 0 ? null : step },
    limits: LIMITS,
    lock: LOCK,
    now,
  };
}

/** Runs the benchmark, printing progress through `log`. */
export async function runRedisDecisionsBench(log: (line: string) => void): Promise<BenchResult> {
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    log(line);
  };
  let server: PrivateRedisServer | null = null;
  let url = process.env['REDIS_URL'];
  if (!url) {
    log('starting a private redis-server…');
    server = await startRedisServer();
    url = server.url;
  }
  const client = new Redis(url);
  const stats = new Redis(url);
  try {
    const prefix = `bench:${randomBytes(4).toString('hex')}:`;
    const { store } = createRedisBackend({ client, prefix });
    const now = Date.now();
    const user = (i: number) => `user-${i % USERS}`;
    await store.attempt('warm-up', input(0, now)); // loads the script (NOSCRIPT → EVAL once)

    log(`sequential: ${SEQUENTIAL} decisions, one at a time…`);
    const before = await commandCalls(stats);
    let started = performance.now();
    let ok = 0;
    for (let i = 0; i < SEQUENTIAL; i++) if ((await store.attempt(user(i), input(i, now))).ok) ok++;
    const sequentialMs = performance.now() - started;
    const after = await commandCalls(stats);

    log(`concurrent: ${CONCURRENT} decisions, ${IN_FLIGHT} in flight…`);
    let next = SEQUENTIAL;
    const end = SEQUENTIAL + CONCURRENT;
    started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < end) {
          const i = next++;
          if ((await store.attempt(user(i), input(i, now))).ok) ok++;
        }
      }),
    );
    const concurrentMs = performance.now() - started;

    const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    let inner = 0;
    for (const name of after.keys()) if (name !== 'evalsha' && name !== 'info') inner += delta(name);
    say(
      `redis ${url.replace(/\/\/[^@]*@/, '//')}, ${USERS} users, half successes (new TOTP step), half wrong codes`,
    );
    say(
      `sequential:     ${Math.round(SEQUENTIAL / (sequentialMs / 1000))} decisions/s (${SEQUENTIAL} in ${sequentialMs.toFixed(0)} ms)`,
    );
    say(
      `${IN_FLIGHT} in flight:   ${Math.round(CONCURRENT / (concurrentMs / 1000))} decisions/s (${CONCURRENT} in ${concurrentMs.toFixed(0)} ms)`,
    );
    say(
      `round trips per decision (top-level EVALSHA): ${(delta('evalsha') / SEQUENTIAL).toFixed(2)}; EVAL: ${delta('eval')}`,
    );
    say(`commands run inside the script per decision: ${(inner / SEQUENTIAL).toFixed(2)}`);
    say(`accepted: ${ok} of ${SEQUENTIAL + CONCURRENT}`);
    return { name: 'redis decisions', lines, ok: delta('evalsha') === SEQUENTIAL && delta('eval') === 0 };
  } finally {
    client.disconnect();
    stats.disconnect();
    if (server !== null) await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runRedisDecisionsBench((line) => console.log(line));
  if (!result.ok) process.exitCode = 1;
}
