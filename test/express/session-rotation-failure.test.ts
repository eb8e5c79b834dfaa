// Fault: the old session id can't be deleted when the id rotates (the session
// store refuses DEL). mfa-kit sends that deletion beside the first write of
// the new session (one round trip instead of two in a row), so the write may
// already have happened when the deletion fails. The sign-in must still fail
// closed as it did when the deletion went first: 503, and no new session
// left behind for the cookie the failed response carries, on the challenge
// path (the password step's own rotation) and on the login path (`req.login`).
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type PrivateRedisServer, startRedisServer } from '../harness/index.js';
import { agentOf, type ExampleOnRedis, login, startExampleOnRedis } from './example-on-redis.js';

let server: PrivateRedisServer;
let admin: Redis;
let example: ExampleOnRedis;

beforeAll(async () => {
  server = await startRedisServer();
  admin = new Redis(server.url);
  // Everything allowed, except DEL of an anonymous session id (mfa-kit's new ids name their user:
  // `<user>.<random>`; the id a browser without a cookie gets has no dot). So the rotation's deletion
  // of the old id fails while the new id can be written and deleted.
  await admin.call(
    'ACL',
    'SETUSER',
    'no-session-del',
    'on',
    'nopass',
    '~*',
    '&*',
    '+@all',
    '-del',
    '(~rot:mfa:* ~rot:sess:*.* +del)',
  );
  const restricted = new Redis(server.url, { username: 'no-session-del' });
  example = await startExampleOnRedis({ client: restricted, prefix: 'rot:' });
});
afterAll(async () => {
  await example?.close();
  example?.redis.disconnect();
  admin?.disconnect();
  await server?.stop();
});

it.each([
  ['bob', 'login path: req.login'],
  ['alice', 'enrol path: the password step rotates'],
])(
  '%s (%s): a failed deletion of the old id fails the sign-in and leaves no new session',
  async (username) => {
    const agent = agentOf(example);
    const response = await login(example, agent, username);
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('STORE_UNAVAILABLE');
    expect(await admin.keys('rot:sess:*')).toEqual([]);
    const status = await agent.get('/api/mfa/status');
    expect(status.status).toBe(401);
  },
);
