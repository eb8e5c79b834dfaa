/**
 * Issue 9, revoked sessions that came back: a request already in flight
 * during an admin reset saved its session after the reset, and the session
 * worked again (missing from the index, so it even survived a second reset);
 * a CLI reset deleted sessions by a key prefix the app didn't use and left
 * the user signed in. Replayed over HTTP against the example app, on a single
 * Redis and on a 3-master Cluster, with the race made deterministic by a
 * route that waits on a barrier after loading the session.
 */
import type { Request, Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareCli, runCli } from '../cli/cli-binary.js';
import { clusterUrls, redisUrl } from '../harness/index.js';
import {
  agentOf,
  type ExampleOnRedis,
  login,
  signInEnrolling,
  startExampleOnRedis,
} from './example-on-redis.js';

/** A barrier the test opens by hand. */
function createBarrier() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  let reached: () => void = () => {};
  const arrived = new Promise<void>((resolve) => {
    reached = resolve;
  });
  return { opened, open, arrived, reached };
}

let barrier = createBarrier();

/**
 * The test's hook in the app: a signed-in request that loads its session,
 * waits at the barrier, then changes the session so express-session saves it.
 */
function addSlowRoute(example: ExampleOnRedis): void {
  example.app.post('/test/slow', async (req: Request, res: Response) => {
    barrier.reached();
    await barrier.opened;
    (req.session as unknown as Record<string, unknown>)['lastSeen'] = example.clock.now();
    res.json({ user: (req.user as { id?: string } | undefined)?.id ?? null });
  });
}

for (const cluster of [false, true]) {
  describe(`revocation race (${cluster ? 'Redis Cluster' : 'single Redis'})`, () => {
    let example: ExampleOnRedis;
    beforeAll(async () => {
      example = await startExampleOnRedis({ cluster });
      addSlowRoute(example);
    });
    afterAll(async () => {
      await example.close();
    });

    it('a request in flight during an admin reset cannot bring the session back', async () => {
      const admin = agentOf(example);
      await signInEnrolling(example, admin, 'alice');
      const bob = agentOf(example);
      expect((await login(example, bob, 'bob')).body.status).toBe('signed-in');
      expect((await bob.get('/api/mfa/status')).status).toBe(200);

      barrier = createBarrier();
      const inFlight = bob
        .post('/test/slow')
        .set('Origin', example.baseUrl)
        .send({})
        .then((r) => r);
      await barrier.arrived;
      const reset = await admin.post('/api/admin/mfa/users/u2/reset').set('Origin', example.baseUrl).send({});
      expect(reset.status).toBe(200);
      barrier.open();
      expect((await inFlight).status).toBe(200);

      // The session the slow request saved is refused, and stays refused.
      expect((await bob.get('/api/mfa/status')).status).toBe(401);
      expect((await bob.get('/api/mfa/status')).status).toBe(401);
      // A second reset finds nothing to revive either.
      expect(
        (await admin.post('/api/admin/mfa/users/u2/reset').set('Origin', example.baseUrl).send({})).status,
      ).toBe(200);
      expect((await bob.get('/api/mfa/status')).status).toBe(401);
      // Bob signs in again normally.
      const again = agentOf(example);
      expect((await login(example, again, 'bob')).body.status).toBe('signed-in');
      expect((await again.get('/api/mfa/status')).status).toBe(200);
    });

    it('a CLI reset ends the sessions without knowing the app’s session key prefix', async () => {
      const cliPath = (await prepareCli()).path;
      const frank = agentOf(example);
      expect((await login(example, frank, 'frank')).body.status).toBe('signed-in');
      expect((await frank.get('/api/mfa/status')).status).toBe(200);
      const connection = cluster ? ['--redis-cluster', clusterUrls().join(',')] : ['--redis-url', redisUrl()];
      // The app keeps sessions under its own prefix; the CLI is given none.
      expect(example.sessionPrefix).not.toBe('sess:');
      const run = await runCli(cliPath, [
        'reset',
        'u6',
        '--yes',
        '--force',
        '--prefix',
        example.mfaPrefix,
        ...connection,
      ]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect((await frank.get('/api/mfa/status')).status).toBe(401);
    });
  });
}
