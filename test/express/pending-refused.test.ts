import { createWebAuthnVerifier } from '@mfa-kit/webauthn';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MountedRoute, listRoutes } from './list-routes.js';
import { ORIGIN, type TestApp, createTestApp, enrolTotp, login } from './test-app.js';

/**
 * Routes that are public before any sign-in. `/plain` is deliberately
 * unguarded (the round-trip baseline); it must still see no user.
 * `POST /mfa/sign-out` ends whatever session the caller has.
 */
const PUBLIC = new Set(['POST /login', 'GET /plain', 'POST /mfa/sign-out']);
/** What a pending challenge may call: finishing the sign-in. */
const CHALLENGE_ALLOWED = new Set([
  'GET /mfa/sign-in',
  'POST /mfa/sign-in/totp',
  'POST /mfa/sign-in/sms',
  'POST /mfa/sign-in/recovery',
  'POST /mfa/sign-in/sms/send',
  'POST /mfa/sign-in/not-my-number',
  'POST /mfa/sign-in/webauthn',
  'POST /mfa/sign-in/webauthn/options',
]);
/** What a pending forced enrolment may call: enrolling (seed 002/003). */
const ENROLMENT_ALLOWED = new Set([
  'GET /mfa/sign-in',
  'POST /mfa/totp/enrol',
  'POST /mfa/totp/confirm',
  'POST /mfa/sms/enrol',
  'POST /mfa/sms/confirm',
  'POST /mfa/webauthn/register/options',
  'POST /mfa/webauthn/register/verify',
]);

let t: TestApp;
let routes: MountedRoute[];
beforeAll(() => {
  // With WebAuthn on, so the passkey routes are there to be refused by their guards.
  t = createTestApp({
    policy: { requiredRoles: ['admin'] },
    webauthn: {
      verifier: createWebAuthnVerifier({
        rpId: 'app.test',
        rpName: 'Test App',
        origins: ['https://app.test'],
      }),
    },
  });
  routes = listRoutes(t.app);
});
afterAll(async () => {
  await t.close();
});

async function expectRefused(agent: request.Agent, route: MountedRoute): Promise<void> {
  const path = route.path;
  const call =
    route.method === 'GET'
      ? agent.get(path)
      : agent[route.method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete'](path)
          .set('Origin', ORIGIN)
          .send({ code: '123456', factor: 'totp', phone: '+14155550123' });
  const response = await call;
  expect([401, 403], `${route.method} ${path} answered ${response.status}`).toContain(response.status);
  expect(['UNAUTHENTICATED', 'ENROLMENT_REQUIRED', 'SESSION_EXPIRED', 'FORBIDDEN']).toContain(
    response.body.error?.code,
  );
}

describe('a pending session is refused by every protected route', () => {
  it('finds the app and self-service routes by walking the router', () => {
    expect(routes.length).toBeGreaterThan(15);
    expect(routes).toContainEqual({ method: 'GET', path: '/private' });
    expect(routes).toContainEqual({ method: 'POST', path: '/mfa/disable' });
  });

  it('a pending challenge reaches only the challenge routes', async () => {
    await enrolTotp(t, request.agent(t.app), 'alice');
    const agent = request.agent(t.app);
    expect((await login(t, agent, 'alice')).body.status).toBe('challenge');
    const protectedRoutes = routes.filter(
      (route) =>
        !PUBLIC.has(`${route.method} ${route.path}`) &&
        !CHALLENGE_ALLOWED.has(`${route.method} ${route.path}`),
    );
    expect(protectedRoutes.length).toBeGreaterThan(8);
    for (const route of protectedRoutes) await expectRefused(agent, route);
    // Even an unguarded route sees no user: a pending session is not logged in.
    expect((await agent.get('/plain')).body).toEqual({ user: null });
    // Still pending and untouched afterwards.
    expect((await agent.get('/mfa/sign-in')).body.stage).toBe('challenge');
  });

  it('a pending forced enrolment reaches only the enrolment routes', async () => {
    const agent = request.agent(t.app);
    expect((await login(t, agent, 'bob')).body.status).toBe('enrol');
    const protectedRoutes = routes.filter(
      (route) =>
        !PUBLIC.has(`${route.method} ${route.path}`) &&
        !ENROLMENT_ALLOWED.has(`${route.method} ${route.path}`),
    );
    for (const route of protectedRoutes) await expectRefused(agent, route);
    expect((await agent.get('/mfa/sign-in')).body.stage).toBe('enrol');
  });

  it('an anonymous session is refused everywhere but the public routes', async () => {
    const agent = request.agent(t.app);
    for (const route of routes.filter((r) => !PUBLIC.has(`${r.method} ${r.path}`))) {
      await expectRefused(agent, route);
    }
  });
});
