// Issue 4 ("every existing session of that user stops working at its next
// request", seed 001) on Redis Cluster: the session index lives at
// `<prefix>{u:<id>}:sessions` (the user's slot) while connect-redis keeps
// each session at `sess:<sid>`, in slots of its own. Revocation must work
// without any command that spans slots (CROSSSLOT on Cluster).
import type { Cluster } from 'ioredis';
import request, { type Agent } from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestCluster } from '../harness/index.js';
import { createTestApp, ORIGIN, type TestApp } from './test-app.js';

let cluster: Cluster;
/** The app of `test/express/test-app.ts` with every store on the Cluster. */
let testApp: TestApp<Cluster>;

/** A signed-in browser of `userId` (MFA optional and not set up: the password step logs in). */
async function signIn(userId: string): Promise<Agent> {
  const agent = request.agent(testApp.app);
  const res = await agent
    .post('/login')
    .set('Origin', ORIGIN)
    .send({ username: userId, password: testApp.users.get(userId)?.password });
  expect(res.body.status).toBe('signed-in');
  expect((await agent.get('/private')).body).toEqual({ user: userId });
  return agent;
}

const keySlot = async (key: string) => Number(await cluster.call('CLUSTER', 'KEYSLOT', key));
const indexKey = (userId: string) => `${testApp.mfaPrefix}{u:${userId}}:sessions`;

beforeAll(async () => {
  cluster = createTestCluster();
  // Fail fast if the harness cluster is not a cluster (3 masters).
  expect((await cluster.call('CLUSTER', 'INFO')) as string).toContain('cluster_state:ok');
});

afterAll(async () => {
  await cluster?.quit();
});

beforeEach(() => {
  testApp = createTestApp({ client: cluster });
});

describe('session revocation on Redis Cluster', () => {
  it('an admin reset ends both live sessions of the user at their next request; another user is untouched', async () => {
    const laptop = await signIn('alice');
    const phone = await signIn('alice');
    const other = await signIn('dave');
    const sids = await cluster.smembers(indexKey('alice'));
    expect(sids).toHaveLength(2);
    // The point of this test: the index and the sessions it names sit in
    // different slots, so no single command may touch both.
    const indexSlot = await keySlot(indexKey('alice'));
    const sessionSlots = await Promise.all(sids.map((sid) => keySlot(`${testApp.sessionPrefix}${sid}`)));
    expect(sessionSlots.some((slot) => slot !== indexSlot)).toBe(true);

    await testApp.mfa.admin.reset({ kind: 'admin', id: 'root' }, testApp.users.get('alice')!, {
      reason: 'lost phone',
    });

    expect((await laptop.get('/private')).status).toBe(401);
    expect((await phone.get('/private')).status).toBe(401);
    expect((await other.get('/private')).body).toEqual({ user: 'dave' });
    for (const sid of sids) expect(await cluster.exists(`${testApp.sessionPrefix}${sid}`)).toBe(0);
    expect(await cluster.exists(indexKey('alice'))).toBe(0);
    expect(await cluster.smembers(indexKey('dave'))).toHaveLength(1);
  });

  it('revokeAll ("log out everywhere") does the same through the revoker alone', async () => {
    const first = await signIn('alice');
    const second = await signIn('alice');
    const other = await signIn('dave');

    await testApp.sessionRevoker.revokeAll('alice');

    expect((await first.get('/private')).status).toBe(401);
    expect((await second.get('/private')).status).toBe(401);
    expect((await other.get('/private')).status).toBe(200);
    // Signing in again files a fresh session that works.
    const again = await signIn('alice');
    expect((await again.get('/private')).status).toBe(200);
    expect(await cluster.smembers(indexKey('alice'))).toHaveLength(1);
  });
});
