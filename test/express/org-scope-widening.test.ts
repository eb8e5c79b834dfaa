/**
 * Issue 9, "org scope fails open": an admin whose `orgId` is not a string
 * (the number 42, as an app with numeric organisation keys hands it over)
 * was read as "no organisation", i.e. instance-wide, and changed the policy
 * of every organisation. Replayed over HTTP against the example app on Redis.
 */
import type { MfaPolicy } from '@mfa-kit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_POLICY } from '../../examples/example-app/src/app.js';
import { type AppUser, SEEDED_USERS } from '../../examples/example-app/src/users.js';
import {
  agentOf,
  type ExampleOnRedis,
  login,
  signInEnrolling,
  startExampleOnRedis,
} from './example-on-redis.js';

/** An organisation admin of `globex` (not rolled out: no MFA needed), whose org id the test may corrupt. */
const NINA: AppUser = {
  id: 'u42',
  username: 'nina',
  name: 'Nina Numeric',
  email: 'nina@globex.test',
  orgId: 'globex',
  roles: ['admin'],
};

/** Edits an attacker would want for every organisation: each one a single field of the policy. */
const WIDENING_EDITS: Array<Partial<MfaPolicy>> = [
  { requiredRoles: [] },
  { rollout: { mode: 'all' } },
  { allowSelfUnlock: false },
  { requiredOrgs: ['acme', 'globex'] },
];

let example: ExampleOnRedis | undefined;
afterEach(async () => {
  await example?.close();
  example = undefined;
});

async function putPolicy(running: ExampleOnRedis, agent: ReturnType<typeof agentOf>, policy: MfaPolicy) {
  return agent.put('/api/admin/mfa/policy').set('Origin', running.baseUrl).send(policy);
}

describe('org scope: a malformed orgId never widens an admin to every organisation', () => {
  it('an admin whose orgId is the number 42 cannot change policy, rollout or self-unlock for every organisation', async () => {
    const nina = { ...NINA, orgId: 42 as unknown as string };
    example = await startExampleOnRedis({ users: [...SEEDED_USERS, nina] });
    const agent = agentOf(example);
    // The app's user model is misconfigured: sign-in refuses it (500 CONFIGURATION) instead of
    // treating the user as outside every organisation (which skipped MFA and the org scope).
    const signIn = await login(example, agent, 'nina');
    expect(signIn.status).toBe(500);
    expect(signIn.body.error.code).toBe('CONFIGURATION');
    for (const edit of WIDENING_EDITS) {
      const response = await putPolicy(example, agent, { ...EXAMPLE_POLICY, ...edit });
      expect(response.status, JSON.stringify(edit)).toBe(401);
    }
    expect(await example.mfa.admin.getPolicy()).toEqual(EXAMPLE_POLICY);
    const { events } = await example.mfa.events.query({ types: ['POLICY_CHANGED'] });
    expect(events).toEqual([]);
  });

  it('a signed-in admin whose orgId turns into the number 42 is refused by the admin router (500 CONFIGURATION)', async () => {
    example = await startExampleOnRedis({ users: [...SEEDED_USERS, NINA] });
    const agent = agentOf(example);
    expect((await login(example, agent, 'nina')).body.status).toBe('signed-in');
    // Within her organisation she may only toggle globex: an instance-wide edit is FORBIDDEN.
    const scoped = await putPolicy(example, agent, { ...EXAMPLE_POLICY, allowSelfUnlock: false });
    expect(scoped.status).toBe(403);
    expect(scoped.body.error.code).toBe('FORBIDDEN');

    // The app's user record now carries a numeric organisation key (e.g. after a migration).
    const stored = example.users.findById('u42') as AppUser;
    (stored as { orgId: unknown }).orgId = 42;
    for (const edit of WIDENING_EDITS) {
      const response = await putPolicy(example, agent, { ...EXAMPLE_POLICY, ...edit });
      expect(response.status, JSON.stringify(edit)).toBe(500);
      expect(response.body.error.code).toBe('CONFIGURATION');
    }
    for (const path of ['/api/admin/mfa/policy', '/api/admin/mfa/users', '/api/admin/mfa/me/capabilities']) {
      expect((await agent.get(path)).status, path).toBe(500);
    }
    expect(await example.mfa.admin.getPolicy()).toEqual(EXAMPLE_POLICY);
  });

  it('a numeric org id in a policy is refused with 400 VALIDATION and nothing is dropped', async () => {
    example = await startExampleOnRedis();
    const owen = agentOf(example);
    await signInEnrolling(example, owen, 'owen');
    const before = await example.mfa.admin.getPolicy();
    const bodies: unknown[] = [
      { ...EXAMPLE_POLICY, requiredOrgs: ['acme', 42] },
      { ...EXAMPLE_POLICY, requiredOrgs: [42] },
      { ...EXAMPLE_POLICY, rollout: { mode: 'orgs', orgs: ['acme', 42] } },
      { ...EXAMPLE_POLICY, requiredOrgs: [''] },
      { ...EXAMPLE_POLICY, requiredOrgs: [{ id: 'acme' }] },
    ];
    for (const body of bodies) {
      const response = await owen
        .put('/api/admin/mfa/policy')
        .set('Origin', example.baseUrl)
        .send(body as object);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION');
      expect(Object.keys(response.body.error.fields).join()).toMatch(/requiredOrgs|rollout/);
    }
    expect(await example.mfa.admin.getPolicy()).toEqual(before);
    // The owner's valid edit still works (the refusals above were about the org ids only).
    const ok = await owen
      .put('/api/admin/mfa/policy')
      .set('Origin', example.baseUrl)
      .send({ ...EXAMPLE_POLICY, requiredOrgs: ['acme'] });
    expect(ok.status).toBe(200);
    expect(ok.body.policy.requiredOrgs).toEqual(['acme']);
  });
});
