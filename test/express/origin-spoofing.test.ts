/**
 * Issue 9, CSRF origin check: `Origin: http://evil.example@127.0.0.1:3510`
 * and `HTTP://127.0.0.1:3510` passed on every state-changing route, because
 * the header was parsed leniently (`new URL()` drops userinfo and lower-cases
 * the scheme) before the comparison. Replayed over HTTP against the example
 * app on Redis, on every state-changing route of the self-service, admin and
 * unlock routers (found by walking the app's router stack) and the app's own
 * login/logout, which use the exported `checkOrigin`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentOf, type ExampleOnRedis, login, startExampleOnRedis } from './example-on-redis.js';
import { listRoutes, type MountedRoute } from './list-routes.js';

const REFUSED = 'Cross-site request refused: the request origin is not allowed.';

let example: ExampleOnRedis;
let stateChanging: MountedRoute[];
beforeAll(async () => {
  example = await startExampleOnRedis();
  stateChanging = listRoutes(example.app).filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method));
});
afterAll(async () => {
  await example.close();
});

/** Header sets an attacker's page or script would send; none may pass. `base` is the app's real origin. */
function spoofedHeaders(base: string): Array<Record<string, string>> {
  const { host } = new URL(base);
  return [
    { Origin: `http://evil.example@${host}` },
    { Origin: `http://evil.example:pw@${host}` },
    { Origin: `HTTP://${host}` },
    { Origin: `Http://${host.toUpperCase()}` },
    { Origin: `${base}/` },
    { Origin: `${base}/api/mfa` },
    { Origin: `${base}?x=1` },
    { Origin: `${base}.evil.example` },
    { Origin: 'null' },
    { Origin: 'https://evil.example' },
    { Origin: `${base}, https://evil.example` },
    // A present but refused Origin never falls back to a good Referer.
    { Origin: `http://evil.example@${host}`, Referer: `${base}/security` },
    { Referer: `http://evil.example@${host}/security` },
    { Referer: `HTTP://${host}/security` },
    { Referer: `${base}.evil.example/security` },
    { Referer: 'https://evil.example/' },
    {},
  ];
}

function send(route: MountedRoute, headers: Record<string, string>) {
  const agent = agentOf(example);
  const path = route.path.replace(':id', 'u2');
  const call = route.method === 'PUT' ? agent.put(path) : agent.post(path);
  return call.set(headers).send({});
}

describe('CSRF origin check: exact, canonical origins only', () => {
  it('finds every state-changing route of the three routers and the app by walking the router stack', () => {
    const paths = stateChanging.map((r) => `${r.method} ${r.path}`);
    for (const expected of [
      'POST /api/mfa/totp/enrol',
      'POST /api/mfa/recovery-codes',
      'POST /api/mfa/sign-in/totp',
      'POST /api/admin/mfa/users/:id/reset',
      'PUT /api/admin/mfa/policy',
      'POST /api/account/unlock/request',
      'POST /api/account/unlock/redeem',
      'POST /api/login',
      'POST /logout',
    ]) {
      expect(paths).toContain(expected);
    }
    expect(stateChanging.length).toBeGreaterThanOrEqual(23);
  });

  it('refuses userinfo, non-canonical case, paths, null and look-alike origins on every state-changing route', async () => {
    for (const route of stateChanging) {
      for (const headers of spoofedHeaders(example.baseUrl)) {
        const response = await send(route, headers);
        const label = `${route.method} ${route.path} ${JSON.stringify(headers)}`;
        expect(response.status, label).toBe(403);
        expect(response.body.error, label).toEqual({ code: 'FORBIDDEN', message: REFUSED });
      }
    }
  });

  it('lets the exact origin, or a same-origin Referer, past the check on every state-changing route', async () => {
    for (const route of stateChanging) {
      const good: Array<Record<string, string>> = [
        { Origin: example.baseUrl },
        { Referer: `${example.baseUrl}/security` },
      ];
      for (const headers of good) {
        const response = await send(route, headers);
        // Past the origin check the route answers for itself (401, 400, 202, a redirect…), never this refusal.
        expect(
          response.body.error?.message,
          `${route.method} ${route.path} ${JSON.stringify(headers)}`,
        ).not.toBe(REFUSED);
      }
    }
  });

  it("a signed-in user's session gets nothing from a userinfo-spoofed origin (no TOTP secret, no recovery codes)", async () => {
    const agent = agentOf(example);
    expect((await login(example, agent, 'bob')).body.status).toBe('signed-in');
    const { host } = new URL(example.baseUrl);
    for (const path of ['/api/mfa/totp/enrol', '/api/mfa/decline', '/api/mfa/recovery-codes']) {
      const response = await agent.post(path).set('Origin', `http://evil.example@${host}`).send({});
      expect(response.status, path).toBe(403);
      expect(response.body.secret).toBeUndefined();
    }
    const { events } = await example.mfa.events.query({ userId: 'u2' });
    expect(events.map((e) => e.type)).not.toContain('ENROLMENT_DECLINED');
  });
});
