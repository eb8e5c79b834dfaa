/**
 * Lost update on the policy (issue 14 review): `PUT /policy` read the policy,
 * merged an organisation admin's toggle into it, and wrote the result back.
 * An instance-wide admin's change landing between that read and that write
 * was silently undone: the owner forbade an extra role from trusting devices,
 * the org admin switched their organisation's rollout at the same moment, and
 * the owner's restriction was gone (4 of 10 rounds). Now the edit runs inside
 * core's compare-and-set (`mfa.admin.updatePolicy`): the toggle is merged into
 * the policy as it is when written.
 *
 * Over HTTP against the example app on real Redis, single node and Cluster,
 * both admins' PUTs sent at once, many rounds.
 */
import type { MfaPolicy } from '@mfa-kit/core';
import { describe, expect, it } from 'vitest';
import { totpAt } from '../browser/example-server.js';
import { agentOf, login, postFrom, signInEnrolling, useExampleOnRedis } from './example-on-redis.js';

const ROUNDS = 12;
/** Each admin's concurrent PUTs per round. */
const PARALLEL = 3;

describe.each([
  ['single node', false],
  ['Cluster', true],
])('policy edits by two admins at once (%s)', (_name, cluster) => {
  const on = useExampleOnRedis({ cluster });
  let ownerSecret: string | undefined;
  /** Owen (instance-wide, MFA required) signed in: enrolling the first time, with a code after that. */
  const signInOwner = async () => {
    const { example } = on;
    const agent = agentOf(example);
    if (ownerSecret === undefined) {
      ownerSecret = await signInEnrolling(example, agent, 'owen');
      return agent;
    }
    expect((await login(example, agent, 'owen')).body.status).toBe('challenge');
    example.clock.advance(30_000);
    const code = totpAt(ownerSecret, example.clock);
    expect((await postFrom(example, agent, '/api/mfa/sign-in/totp', { code })).status).toBe(200);
    return agent;
  };

  it("an organisation admin's toggle never undoes the owner's concurrent change", async () => {
    const { example } = on;
    const owner = await signInOwner(); // owner: instance-wide, MFA required
    const orgAdmin = agentOf(example);
    expect((await login(example, orgAdmin, 'dave')).body.status).toBe('signed-in'); // globex admin
    const put = (agent: typeof owner, body: object) =>
      agent.put('/api/admin/mfa/policy').set('Origin', example.baseUrl).send(body);

    let lost = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const before = await example.mfa.admin.getPolicy();
      // The owner forbids one more role from trusting devices (a restriction that must stick).
      const forbidden = [...(before.trustedDevices?.forbiddenRoles ?? []), `role-${round}`];
      const ownerBody: MfaPolicy = { ...before, trustedDevices: { forbiddenRoles: forbidden } };
      // Dave switches globex in or out of the rollout, from his own view (no trustedDevices field).
      const rollout = before.rollout.mode === 'orgs' ? before.rollout.orgs : [];
      const globexOn = !rollout.includes('globex');
      const daveBody = {
        requiredRoles: before.requiredRoles,
        requiredOrgs: [],
        rollout: { mode: 'orgs', orgs: globexOn ? ['globex'] : [] },
        grace: before.grace,
        allowSelfUnlock: before.allowSelfUnlock,
      };
      const answers = await Promise.all([
        ...Array.from({ length: PARALLEL }, () => put(orgAdmin, daveBody)),
        put(owner, ownerBody),
      ]);
      const ownerAnswer = answers[PARALLEL];
      expect(ownerAnswer?.status, ownerAnswer?.text).toBe(200);
      for (const answer of answers) expect(answer.status).not.toBe(500);
      const after = await example.mfa.admin.getPolicy();
      if (!forbidden.every((role) => after.trustedDevices?.forbiddenRoles.includes(role))) lost += 1;
      // Dave's PUTs are each applied or refused, never a server error; the owner's full
      // replacement may itself switch globex back (a replacement is last-write-wins by design).
      for (const answer of answers.slice(0, PARALLEL)) expect([200, 403, 409]).toContain(answer.status);
    }
    expect(lost, `rounds in which the owner's change was undone`).toBe(0);
  });

  it("an owner's save from a stale view is refused (409), never undoing an org admin's change made since", async () => {
    const { example } = on;
    const owner = await signInOwner();
    // globex out of the rollout (the previous test may have left it in): its admin signs in with a password.
    const base = await example.mfa.admin.getPolicy();
    await example.mfa.admin.setPolicy(
      { kind: 'system', id: 'test' },
      {
        ...base,
        requiredOrgs: [],
        rollout: { mode: 'orgs', orgs: [] },
      },
    );
    const orgAdmin = agentOf(example);
    expect((await login(example, orgAdmin, 'dave')).body.status).toBe('signed-in');
    const put = (agent: typeof owner, body: object) =>
      agent.put('/api/admin/mfa/policy').set('Origin', example.baseUrl).send(body);

    // The owner opens the policy editor.
    const read = await owner.get('/api/admin/mfa/policy');
    expect(read.status).toBe(200);
    const { policy: seen, version } = read.body as { policy: MfaPolicy; version: string };
    expect(typeof version).toBe('string');
    // Meanwhile the globex admin requires MFA throughout globex.
    const required = await put(orgAdmin, {
      requiredRoles: seen.requiredRoles,
      requiredOrgs: ['globex'],
      rollout: seen.rollout.mode === 'all' ? seen.rollout : { mode: 'orgs', orgs: [] },
      grace: seen.grace,
      allowSelfUnlock: seen.allowSelfUnlock,
    });
    expect(required.status, required.text).toBe(200);
    expect((await example.mfa.admin.getPolicy()).requiredOrgs).toContain('globex');

    // The owner saves an unrelated change from the page read before: several tabs at once.
    const stale = { ...seen, allowSelfUnlock: !seen.allowSelfUnlock, version };
    const answers = await Promise.all(Array.from({ length: 4 }, () => put(owner, stale)));
    for (const answer of answers) {
      expect(answer.status, answer.text).toBe(409);
      expect(answer.body.error.code).toBe('CONFLICT');
    }
    expect((await example.mfa.admin.getPolicy()).requiredOrgs).toContain('globex');

    // Reloaded, the owner's save goes through and keeps globex; one of two saves of one view wins.
    const fresh = await owner.get('/api/admin/mfa/policy');
    const body = {
      ...fresh.body.policy,
      allowSelfUnlock: !seen.allowSelfUnlock,
      version: fresh.body.version,
    };
    const saves = await Promise.all([put(owner, body), put(owner, { ...body, grace: null })]);
    expect(saves.map((s) => s.status).sort()).toEqual([200, 409]);
    const after = await example.mfa.admin.getPolicy();
    expect(after.requiredOrgs).toContain('globex');
    expect(after.allowSelfUnlock).toBe(!seen.allowSelfUnlock);
    // A bad version is a validation error, not a server error.
    expect((await put(owner, { ...body, version: '' })).status).toBe(400);
  });
});
