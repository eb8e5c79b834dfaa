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
import { agentOf, login, signInEnrolling, useExampleOnRedis } from './example-on-redis.js';

const ROUNDS = 12;
/** Each admin's concurrent PUTs per round. */
const PARALLEL = 3;

describe.each([
  ['single node', false],
  ['Cluster', true],
])('policy edits by two admins at once (%s)', (_name, cluster) => {
  const on = useExampleOnRedis({ cluster });

  it("an organisation admin's toggle never undoes the owner's concurrent change", async () => {
    const { example } = on;
    const owner = agentOf(example);
    await signInEnrolling(example, owner, 'owen'); // owner: instance-wide, MFA required
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
});
