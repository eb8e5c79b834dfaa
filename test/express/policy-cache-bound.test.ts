/**
 * A policy change reaches every app server within the policy cache's bound
 * (`createRedisBackend({ policyCacheMs })`, default `DEFAULT_POLICY_CACHE_MS`).
 *
 * Two app servers on one Redis and one key space (sessions, records, policy),
 * each with its own process state and its own clock: A, where an admin saves
 * the policy, and B, which served the users before the change and cached the
 * policy then. The attack: a role is made to require phishing-resistant MFA
 * (or MFA at all) because its TOTP (or password-only) sessions must end, and a
 * session of that role keeps using another app server. A refuses at once (the
 * process that writes replaces its cache); B refuses once its clock passed
 * the bound, whatever it cached. Deterministic: the caches expire only when
 * the test moves the app's clock.
 */
import type { MfaPolicy } from '@mfa-kit/core';
import { DEFAULT_POLICY_CACHE_MS } from '@mfa-kit/core/redis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, enrolTotp, login, post, totp } from './test-app.js';

let a: TestApp;
let b: TestApp;

const admin = { kind: 'admin' as const, id: 'bob' };
const base: MfaPolicy = {
  requiredRoles: [],
  requiredOrgs: [],
  rollout: { mode: 'all' },
  grace: null,
  allowSelfUnlock: false,
};

beforeAll(() => {
  a = createTestApp();
  b = createTestApp({ keyBase: a.keyBase });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
});

/** Signs `userId` in on `t` with the TOTP code of `secret` at `t`'s clock, a step after any earlier use. */
async function signInWithTotp(t: TestApp, userId: string, secret: string) {
  t.clock.advance(30_000);
  const agent = request.agent(t.app);
  expect((await login(t, agent, userId)).body.status).toBe('challenge');
  expect((await post(agent, '/mfa/sign-in/totp', { code: totp(secret, t.clock.now()) })).status).toBe(200);
  return agent;
}

describe('a policy change applies on every app server within policyCacheMs', () => {
  it('phishing-resistant MFA required for a role: its TOTP sessions are refused at once where saved, within the bound elsewhere', async () => {
    await a.mfa.admin.setPolicy(admin, base);
    const { secret } = await enrolTotp(a, request.agent(a.app), 'alice');
    b.clock.advance(a.clock.now() + 30_000 - b.clock.now()); // B signs in a step after A: none is replayed
    const onA = await signInWithTotp(a, 'alice', secret);
    const onB = await signInWithTotp(b, 'alice', secret);
    expect((await onA.get('/private')).status).toBe(200);
    expect((await onB.get('/private')).status).toBe(200); // B has read (and cached) the policy

    await a.mfa.admin.setPolicy(admin, { ...base, phishingResistantRoles: ['user'] });

    // The process that saved it: refused at the next request.
    const refusedOnA = await onA.get('/private');
    expect(refusedOnA.status).toBe(403);
    expect(refusedOnA.body.error).toMatchObject({ code: 'MFA_REQUIRED', requiredFactor: 'webauthn' });
    // Another process may serve what it cached, for less than the bound (shows B's cache was in play)…
    b.clock.advance(DEFAULT_POLICY_CACHE_MS - 1);
    expect((await onB.get('/private')).status).toBe(200);
    // …and refuses once the bound has passed since it read the policy.
    b.clock.advance(1);
    const refusedOnB = await onB.get('/private');
    expect(refusedOnB.status).toBe(403);
    expect(refusedOnB.body.error).toMatchObject({ code: 'MFA_REQUIRED', requiredFactor: 'webauthn' });
  });

  it('MFA required for a role: its sessions let in without MFA are refused at once where saved, within the bound elsewhere', async () => {
    await a.mfa.admin.setPolicy(admin, base);
    b.clock.advance(DEFAULT_POLICY_CACHE_MS);
    const onA = request.agent(a.app);
    const onB = request.agent(b.app);
    expect((await login(a, onA, 'dave')).body.status).toBe('signed-in');
    expect((await login(b, onB, 'dave')).body.status).toBe('signed-in');
    expect((await onB.get('/private')).status).toBe(200);

    await a.mfa.admin.setPolicy(admin, { ...base, requiredRoles: ['user'] });

    const refusedOnA = await onA.get('/private');
    expect(refusedOnA.status).toBe(403);
    expect(refusedOnA.body.error.code).toBe('MFA_REQUIRED');
    b.clock.advance(DEFAULT_POLICY_CACHE_MS);
    const refusedOnB = await onB.get('/private');
    expect(refusedOnB.status).toBe(403);
    expect(refusedOnB.body.error.code).toBe('MFA_REQUIRED');
    // A new sign-in on B within the bound is decided by the new policy too, once B read it.
    expect((await login(b, request.agent(b.app), 'dave')).body.status).toBe('enrol');
  });
});
