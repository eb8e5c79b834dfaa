/**
 * The example app as the attack tests drive it: in-process on a free
 * loopback port, mfa-kit's backend, the sessions (connect-redis 8.1) and the
 * session index all on the run's private Redis under a unique prefix.
 */
import { createRedisBackend } from '@mfa-kit/core/redis';
import { createRedisSessionIndex } from '@mfa-kit/express';
import { RedisStore } from 'connect-redis';
import type { Cluster, Redis } from 'ioredis';
import supertest from 'supertest';
import { afterAll, beforeAll } from 'vitest';
import type { AppUser } from '../../examples/example-app/src/users.js';
import { type RunningExample, startExample, totpAt } from '../browser/example-server.js';
import { createTestCluster, createTestRedis, uniquePrefix } from '../harness/index.js';

/** A running example app on Redis. `close()` also disconnects its client. */
export interface ExampleOnRedis extends RunningExample {
  redis: Redis | Cluster;
  /** The Redis key prefix of this instance's data. */
  prefix: string;
  /** mfa-kit's key prefix (what the CLI's `--prefix` takes). */
  mfaPrefix: string;
  /** connect-redis's key prefix of the sessions (not the CLI's default `sess:`). */
  sessionPrefix: string;
}

/**
 * Starts the example on Redis (or on the run's 3-master Cluster with
 * `cluster: true`), with the example's seeded users unless `users` replaces them.
 */
export async function startExampleOnRedis(
  options: {
    users?: readonly AppUser[];
    /** Reuse another instance's data (same prefix); default: a fresh prefix. */
    prefix?: string;
    encryptionKey?: string;
    log?: (line: string) => void;
    /** Passkeys' relying party, or `false` for none (default: from the example's origins). */
    webauthn?: { rpId: string; origins: string[] } | false;
    /** Another client (e.g. the harness's Cluster); the caller then disconnects it. */
    client?: Redis | Cluster;
    /** On the run's 3-master Cluster instead of the single node (this helper disconnects it). */
    cluster?: boolean;
    /**
     * mfa-kit's limiter clock: Redis TIME (default, as in production) or the
     * test's clock (`caller`), for tests that simulate hours by moving it.
     */
    clockSource?: 'redis' | 'caller';
  } = {},
): Promise<ExampleOnRedis> {
  const { client, cluster, clockSource, prefix = uniquePrefix('example'), ...rest } = options;
  // Autopipelining on, as the express README's client has it: the attacks run under the recommended client.
  const redis =
    client ??
    (cluster === true
      ? createTestCluster({ enableAutoPipelining: true })
      : createTestRedis({ enableAutoPipelining: true }));
  const mfaPrefix = `${prefix}mfa:`;
  const sessionPrefix = `${prefix}sess:`;
  // The policy cache (`policyCacheMs`) runs on the example's test clock: it expires only when a test
  // moves that clock, so whether a request finds the policy cached never depends on how long it took.
  let exampleClock: { now(): number } | null = null;
  const policyCacheClock = { now: () => exampleClock?.now() ?? 0 };
  const running = await startExample({
    backend: createRedisBackend({
      client: redis,
      prefix: mfaPrefix,
      clockSource: clockSource ?? 'redis',
      clock: policyCacheClock,
    }),
    sessionStore: new RedisStore({ client: redis, prefix: sessionPrefix }),
    sessionIndex: createRedisSessionIndex({ client: redis, prefix: mfaPrefix }),
    ...rest,
  });
  exampleClock = running.clock;
  return {
    ...running,
    redis,
    prefix,
    mfaPrefix,
    sessionPrefix,
    close: async () => {
      await running.close();
      if (client === undefined) redis.disconnect();
    },
  };
}

/** The example's demo password (every seeded user has it). */
export const PASSWORD = 'correct-horse';

/** A cookie-keeping HTTP client of the running example (real sockets, not an in-process app). */
export function agentOf(example: RunningExample): supertest.Agent {
  return supertest.agent(example.baseUrl);
}

/** `POST /api/login` from the example's own origin. */
export function login(example: RunningExample, agent: supertest.Agent, username: string): supertest.Test {
  return agent.post('/api/login').set('Origin', example.baseUrl).send({ username, password: PASSWORD });
}

/**
 * Signs a user in whose role requires MFA and who has none yet: password,
 * forced TOTP enrolment, confirm (which completes the sign-in). Returns the
 * TOTP secret.
 */
export async function signInEnrolling(
  example: RunningExample,
  agent: supertest.Agent,
  username: string,
): Promise<string> {
  const started = await login(example, agent, username);
  if (started.body.status !== 'enrol')
    throw new Error(`${username}: expected forced enrolment, got ${started.text}`);
  const enrol = await agent.post('/api/mfa/totp/enrol').set('Origin', example.baseUrl).send({});
  const secret: string = enrol.body.secret;
  const confirmed = await agent
    .post('/api/mfa/totp/confirm')
    .set('Origin', example.baseUrl)
    .send({ code: totpAt(secret, example.clock) });
  if (confirmed.status !== 200) throw new Error(`${username}: enrolment failed: ${confirmed.text}`);
  return secret;
}

/**
 * Starts the example on Redis before the file's tests and closes it after
 * them; read `.example` inside the tests.
 */
export function useExampleOnRedis(options: Parameters<typeof startExampleOnRedis>[0] = {}): {
  readonly example: ExampleOnRedis;
} {
  const holder = {} as { example: ExampleOnRedis };
  beforeAll(async () => {
    holder.example = await startExampleOnRedis(options);
  });
  afterAll(async () => {
    await holder.example?.close();
  });
  return holder;
}

/** A state-changing request from the example's own origin (the CSRF check passes). */
export function postFrom(
  example: RunningExample,
  agent: supertest.Agent,
  path: string,
  body: object = {},
): supertest.Test {
  return agent.post(path).set('Origin', example.baseUrl).send(body);
}
