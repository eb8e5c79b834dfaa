/**
 * Issue 10 ("no enumeration"): do wrong-password answers for a username that
 * exists and for one that doesn't take the same time? Starts the example app
 * on a private Redis (or REDIS_URL), then sends 200 sign-ins with a wrong
 * password for 200 existing users and 200 for 200 unknown usernames,
 * interleaved (known, unknown, known, …) so drift hits both alike, each
 * username once (every answer is the first 401, never a cooldown). Prints
 * the median and the interquartile range of each, in milliseconds.
 */
import { createRedisBackend } from '@mfa-kit/core/redis';
import { Redis } from 'ioredis';
import supertest from 'supertest';
import type { AppUser } from '../../examples/example-app/src/users.js';
import { startExample } from '../browser/example-server.js';
import { type PrivateRedisServer, startRedisServer } from '../harness/index.js';
import type { BenchResult } from './totp.js';

const TRIES = 200;

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const [q1, median, q3] = [0.25, 0.5, 0.75].map((q) => quantile(sorted, q).toFixed(2));
  return `median ${median} ms (quartiles ${q1}–${q3} ms, n=${samples.length})`;
}

/** Runs the measurement, printing progress through `log`. */
export async function runEnumerationTimingBench(log: (line: string) => void): Promise<BenchResult> {
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
  const redis = new Redis(url);
  const users: AppUser[] = Array.from({ length: TRIES }, (_, i) => ({
    id: `t${i}`,
    username: `known-${i}`,
    name: `Known ${i}`,
    email: `known-${i}@acme.test`,
    orgId: 'acme',
    roles: ['user'],
  }));
  const example = await startExample({
    backend: createRedisBackend({ client: redis, prefix: `bench-enum-${Date.now()}:` }),
    users,
  });
  try {
    const agent = supertest(example.baseUrl);
    const tryOnce = async (username: string) => {
      const started = performance.now();
      const response = await agent
        .post('/api/login')
        .set('Origin', example.baseUrl)
        .send({ username, password: 'wrong-password' });
      const ms = performance.now() - started;
      if (response.status !== 401) throw new Error(`${username}: expected 401, got ${response.status}`);
      return ms;
    };
    for (let i = 0; i < 20; i++) await tryOnce(`warm-up-${i}`);
    const known: number[] = [];
    const unknown: number[] = [];
    log(`${TRIES} wrong passwords for existing users and ${TRIES} for unknown usernames, interleaved…`);
    for (let i = 0; i < TRIES; i++) {
      known.push(await tryOnce(`known-${i}`));
      unknown.push(await tryOnce(`unknown-${i}`));
    }
    say(`existing username: ${summary(known)}`);
    say(`unknown username:  ${summary(unknown)}`);
    return { name: 'enumeration timing', lines, ok: true };
  } finally {
    await example.close();
    redis.disconnect();
    await server?.stop();
  }
}
