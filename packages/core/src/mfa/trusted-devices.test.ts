// "Remember this device" in core: which tokens skip the second factor at startSignIn, and which never do.
import { describe, expect, it } from 'vitest';
import type { MfaUser } from '../types.js';
import { createHarness, enrolTotp } from '../../test-support/mfa-harness.js';

const DAY = 24 * 60 * 60_000;
const alice: MfaUser = { id: 'alice', roles: ['user'] };
const bob: MfaUser = { id: 'bob', roles: ['user'] };

async function trusted(h: ReturnType<typeof createHarness>, user: MfaUser) {
  await enrolTotp(h, user);
  const result = await h.mfa.trustedDevices.trust(
    user,
    { factor: 'totp', epoch: await h.mfa.sessions.epoch(user.id) },
    {
      userAgent:
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
    },
  );
  if (!result.ok) throw new Error(result.code);
  return result;
}

function refusals(h: ReturnType<typeof createHarness>) {
  return h.events.filter((e) => e.type === 'TRUSTED_DEVICE_REFUSED').map((e) => e.details);
}

describe('trusted devices at startSignIn', () => {
  it('a valid token of this user skips the challenge, records TRUSTED_DEVICE_USED and lastUsedAt', async () => {
    const h = createHarness();
    const { token, device } = await trusted(h, alice);
    expect(device.label).toBe('Chrome on Linux');
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    h.clock.advance(DAY);
    expect(await h.mfa.startSignIn(alice, {}, { trustedDeviceToken: token })).toEqual({
      next: 'login',
      reason: 'trusted-device',
      offerEnrolment: false,
      graceRemaining: null,
      epoch: 0,
      trustedDevice: { id: device.id, factor: 'totp' },
    });
    expect(h.events.at(-1)).toMatchObject({ type: 'TRUSTED_DEVICE_USED', userId: 'alice' });
    expect((await h.mfa.trustedDevices.list(alice))[0]?.lastUsedAt).toBe(h.clock.now());
  });

  it('stores only a keyed hash of the secret', async () => {
    const h = createHarness();
    const { token, device } = await trusted(h, alice);
    const [stored] = await h.backend.trustedDevices.list('alice');
    expect(JSON.stringify(stored)).not.toContain(token.split('.')[1]);
    expect(stored?.id).toBe(device.id);
  });

  it("refuses another user's token, a tampered one and garbage, without telling the caller why", async () => {
    const h = createHarness();
    const { token } = await trusted(h, alice);
    await enrolTotp(h, bob);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    for (const presented of [token, `${token.slice(0, -1)}${last}`, 'junk', 42]) {
      const user = presented === token ? bob : alice;
      expect((await h.mfa.startSignIn(user, {}, { trustedDeviceToken: presented })).next).toBe('challenge');
    }
    expect(refusals(h)).toEqual([
      { deviceId: null, reason: 'unknown' },
      { deviceId: null, reason: 'unknown' },
      { deviceId: null, reason: 'unknown' },
      { deviceId: null, reason: 'unknown' },
    ]);
  });

  it('refuses an expired token (injected clock), and after a reset, an admin lock, sign out everywhere or revocation', async () => {
    const h = createHarness();
    const expiring = await trusted(h, alice);
    h.clock.advance(30 * DAY);
    expect((await h.mfa.startSignIn(alice, {}, { trustedDeviceToken: expiring.token })).next).toBe(
      'challenge',
    );
    expect(refusals(h).at(-1)?.reason).toBe('expired');

    const again = await h.mfa.trustedDevices.trust(alice, { factor: 'totp', epoch: 0 }, {});
    if (!again.ok) throw new Error(again.code);
    await h.mfa.sessions.revokeAll(alice, { reason: 'sign-out-everywhere' });
    expect((await h.mfa.startSignIn(alice, {}, { trustedDeviceToken: again.token })).next).toBe('challenge');
    expect(refusals(h).at(-1)?.reason).toBe('epoch');
    expect(await h.mfa.trustedDevices.list(alice)).toEqual([]);

    const third = await h.mfa.trustedDevices.trust(alice, { factor: 'totp', epoch: 1 }, {});
    if (!third.ok) throw new Error(third.code);
    expect(await h.mfa.trustedDevices.revoke({ kind: 'user', id: 'alice' }, alice, third.device.id)).toBe(
      true,
    );
    expect((await h.mfa.startSignIn(alice, {}, { trustedDeviceToken: third.token })).next).toBe('challenge');
    expect(refusals(h).at(-1)?.reason).toBe('unknown');

    const fourth = await h.mfa.trustedDevices.trust(alice, { factor: 'totp', epoch: 1 }, {});
    if (!fourth.ok) throw new Error(fourth.code);
    await h.mfa.admin.lock({ kind: 'admin', id: 'root' }, alice);
    expect((await h.mfa.startSignIn(alice, {}, { trustedDeviceToken: fourth.token })).next).toBe('refused');
    await h.mfa.admin.unlock({ kind: 'admin', id: 'root' }, alice);
    expect((await h.mfa.startSignIn(alice, {}, { trustedDeviceToken: fourth.token })).next).toBe('challenge');
    expect(refusals(h).at(-1)?.reason).toBe('epoch');

    const fifth = await h.mfa.trustedDevices.trust(alice, { factor: 'totp', epoch: 2 }, {});
    if (!fifth.ok) throw new Error(fifth.code);
    await h.mfa.admin.reset({ kind: 'admin', id: 'root' }, alice);
    await enrolTotp(h, alice);
    expect((await h.mfa.startSignIn(alice, {}, { trustedDeviceToken: fifth.token })).next).toBe('challenge');
    expect(refusals(h).at(-1)?.reason).toBe('epoch');
  });

  it('a role the policy forbids can neither trust a device nor use one trusted before', async () => {
    const h = createHarness();
    const { token } = await trusted(h, alice);
    const policy = await h.mfa.admin.getPolicy();
    await h.mfa.admin.setPolicy(
      { kind: 'admin', id: 'root' },
      { ...policy, trustedDevices: { forbiddenRoles: ['user'] } },
    );
    expect((await h.mfa.startSignIn(alice, {}, { trustedDeviceToken: token })).next).toBe('challenge');
    expect(refusals(h).at(-1)?.reason).toBe('policy');
    expect(await h.mfa.trustedDevices.trust(alice, { factor: 'totp', epoch: 0 }, {})).toEqual({
      ok: false,
      code: 'POLICY_FORBIDS',
    });
  });

  it('a session of an older epoch cannot leave a trusted device behind', async () => {
    const h = createHarness();
    await enrolTotp(h, alice);
    await h.mfa.sessions.revokeAll(alice, { reason: 'sign-out-everywhere' });
    expect(await h.mfa.trustedDevices.trust(alice, { factor: 'totp', epoch: 0 }, {})).toEqual({
      ok: false,
      code: 'SESSION_EXPIRED',
    });
  });

  it('a token never turns a refusal, an enrolment or a plain login into anything else', async () => {
    const h = createHarness({ policy: { requiredRoles: ['admin'] } });
    const { token } = await trusted(h, alice);
    const carol: MfaUser = { id: 'carol', roles: ['admin'] };
    expect((await h.mfa.startSignIn(carol, {}, { trustedDeviceToken: token })).next).toBe('enrol');
    const dave: MfaUser = { id: 'dave', roles: ['user'] };
    expect((await h.mfa.startSignIn(dave, {}, { trustedDeviceToken: token })).next).toBe('login');
    expect(h.events.filter((e) => e.type === 'TRUSTED_DEVICE_USED')).toEqual([]);
  });
});
