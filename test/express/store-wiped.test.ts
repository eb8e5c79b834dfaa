// Attack/fault: Redis loses its data under a running app (a restart without
// persistence, FLUSHALL, a failover to an empty replica). Before, every MFA
// record was simply gone: an enrolled admin was sent to forced enrolment,
// where anyone with her password could enrol their own device, and users were
// let in on the password alone. Now the deployment marker is gone too, so
// the verification and skip-MFA decisions answer 503 STORE_RESET until an
// operator acknowledges the reset (`mfa-kit store acknowledge-reset`).
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REQUEST_PATH_REDIS_OPTIONS, redisStores } from '../../examples/example-app/src/redis-wiring.js';
import { type RunningExample, startExample } from '../browser/example-server.js';
import { prepareCli, runCli } from '../cli/cli-binary.js';
import { type PrivateRedisServer, startRedisServer } from '../harness/index.js';
import { agentOf, login, signInEnrolling } from './example-on-redis.js';

let server: PrivateRedisServer;
let client: Redis;
let example: RunningExample;
const PREFIX = 'wiped:';

beforeAll(async () => {
  server = await startRedisServer(); // test-owned: flushing it touches nobody else
  client = new Redis(server.url, REQUEST_PATH_REDIS_OPTIONS);
  client.on('error', () => {});
  await once(client, 'ready');
  example = await startExample(redisStores(client, PREFIX));
});
afterAll(async () => {
  await example?.close();
  client?.disconnect();
  await server?.stop();
});

it('Redis flushed under the running app: sign-in fails closed with STORE_RESET until the reset is acknowledged', async () => {
  const admin = agentOf(example);
  await signInEnrolling(example, admin, 'alice'); // alice's role requires MFA; she enrols TOTP
  expect((await login(example, agentOf(example), 'alice')).body.status).toBe('challenge');
  expect((await login(example, agentOf(example), 'bob')).body.status).toBe('signed-in');

  await client.flushall();

  // The enrolled admin is not sent to enrolment (an attacker with her password would enrol a device).
  const attacker = await login(example, agentOf(example), 'alice');
  expect(attacker.status).toBe(503);
  expect(attacker.body.error.code).toBe('STORE_RESET');
  // Who may skip MFA can't be decided either: nobody signs in on a wiped store.
  const bystander = await login(example, agentOf(example), 'bob');
  expect(bystander.status).toBe(503);
  expect(bystander.body.error.code).toBe('STORE_RESET');
  // It stays refused (the backend wrote a `reset` marker for every process, including ones started later).
  const later = await startExample(redisStores(client, PREFIX));
  try {
    const fresh = await login(later, agentOf(later), 'bob');
    expect(fresh.body.error?.code).toBe('STORE_RESET');
  } finally {
    await later.close();
  }
  expect((await login(example, agentOf(example), 'alice')).body.error?.code).toBe('STORE_RESET');

  // The operator checks and acknowledges with the real CLI binary: service resumes without an app restart.
  const cli = (await prepareCli()).path;
  const args = ['store', 'acknowledge-reset', '--prefix', `${PREFIX}mfa:`, '--redis-url', server.url];
  const unconfirmed = await runCli(cli, args);
  expect(unconfirmed.code).not.toBe(0); // a state change needs --yes (or a TTY)
  expect((await login(example, agentOf(example), 'bob')).body.error?.code).toBe('STORE_RESET');
  const acknowledged = await runCli(cli, [...args, '--yes']);
  expect(acknowledged.stderr).toBe('');
  expect(acknowledged.code).toBe(0);
  expect(acknowledged.stdout).toMatch(/Acknowledged the store reset/);
  // The acknowledgement opens the new audit trail: who (the OS user running the CLI) and when.
  const [audit] = (await example.mfa.events.query({ types: ['STORE_RESET_ACKNOWLEDGED'] })).events;
  expect(audit).toMatchObject({
    actor: { kind: 'cli', id: 'cli', osUser: expect.any(String) },
    details: { marker: await client.get(`${PREFIX}mfa:deployment`) },
  });
  const again = await login(example, agentOf(example), 'alice');
  expect(again.status).toBe(200);
  expect(again.body.status).toBe('enrol'); // her records are gone: she enrols again, now knowingly
  expect((await login(example, agentOf(example), 'bob')).body.status).toBe('signed-in');
});
