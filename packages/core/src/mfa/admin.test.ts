import { describe, expect, it } from 'vitest';
import { MfaError } from '../errors.js';
import { createMemoryBackend } from '../memory/memory-backend.js';
import type { MfaPolicy, MfaUser } from '../types.js';
import { createHarness, enrolTotp, totpAt, wrongTotp } from '../../test-support/mfa-harness.js';

const user: MfaUser = { id: 'worker', orgId: 'wms', roles: ['user'] };
const admin = { kind: 'admin', id: 'boss' } as const;

describe('admin actions', () => {
  it('reset removes factors and codes, bumps the epoch, revokes sessions, records ADMIN_RESET with actor and reason', async () => {
    const h = createHarness();
    const { secret, recoveryCodes } = await enrolTotp(h, user);
    await h.mfa.admin.reset(admin, user, { reason: 'lost phone' });
    expect(await h.mfa.status(user)).toMatchObject({ enrolled: false, recoveryCodesRemaining: 0, epoch: 1 });
    expect(h.revoked).toEqual([user.id]);
    const event = h.events.find((e) => e.type === 'ADMIN_RESET');
    expect(event).toMatchObject({
      userId: user.id,
      orgId: 'wms',
      actor: admin,
      details: { reason: 'lost phone' },
    });
    expect(await h.mfa.verify(user, 'totp', totpAt(secret, h.clock.now()), {})).toEqual({
      ok: false,
      code: 'NOT_ENROLLED',
    });
    expect(await h.mfa.verify(user, 'recovery', recoveryCodes[0], {})).toEqual({
      ok: false,
      code: 'NOT_ENROLLED',
    });
  });

  it('a failed audit append cannot undo a reset nor skip the session deletion (issue 9: revocation skipped)', async () => {
    const backend = createMemoryBackend();
    const h = createHarness({ backend });
    await enrolTotp(h, user);
    const epochBefore = await h.mfa.sessions.epoch(user.id);
    backend.events.append = async () => {
      throw new MfaError('STORE_UNAVAILABLE', { message: 'event stream down' });
    };
    await expect(h.mfa.admin.reset(admin, user, { reason: 'lost phone' })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
    expect(await h.mfa.sessions.epoch(user.id)).toBe(epochBefore + 1);
    expect((await h.mfa.status(user)).enrolled).toBe(false);
    expect(h.revoked).toEqual([user.id]);
    await expect(h.mfa.admin.lock(admin, user)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(await h.mfa.sessions.epoch(user.id)).toBe(epochBefore + 2);
    expect(h.revoked).toEqual([user.id, user.id]);
  });

  it('no admin resets, locks or unlocks their own account; the CLI lifts an admin lock only on break-glass', async () => {
    const h = createHarness();
    const self = { id: 'boss', orgId: 'wms', roles: ['admin'] };
    for (const action of [
      () => h.mfa.admin.reset(admin, self),
      () => h.mfa.admin.lock(admin, self),
      () => h.mfa.admin.unlock(admin, self),
    ])
      await expect(action()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.mfa.sessions.epoch(self.id)).toBe(0);
    await h.mfa.admin.lock(admin, user);
    const cli = { kind: 'cli', id: 'cli', osUser: 'ops' } as const;
    await expect(h.mfa.admin.unlock(cli, user)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await h.mfa.status(user)).limiter.locked).toBe(true);
    await h.mfa.admin.unlock(cli, user, { breakGlass: true });
    expect((await h.mfa.status(user)).limiter.locked).toBe(false);
    expect(h.events.find((e) => e.type === 'ADMIN_UNLOCK')?.details).toEqual({ breakGlass: true });
  });

  it('sessions.revokeAll bumps the epoch, deletes eagerly and records SESSIONS_REVOKED', async () => {
    const h = createHarness();
    expect(await h.mfa.sessions.revokeAll(user, { reason: 'password-changed' })).toBe(1);
    expect(await h.mfa.sessions.epoch(user.id)).toBe(1);
    expect(h.revoked).toEqual([user.id]);
    expect(h.events.find((e) => e.type === 'SESSIONS_REVOKED')).toMatchObject({
      userId: user.id,
      orgId: 'wms',
      details: { reason: 'password-changed' },
    });
    await expect(h.mfa.sessions.revokeAll(user, { reason: 'because' as never })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });

  it('lock records ADMIN_LOCK and ACCOUNT_LOCK; unlock lifts it and clears counters', async () => {
    const h = createHarness();
    const { secret } = await enrolTotp(h, user);
    for (let i = 0; i < 3; i++) await h.mfa.verify(user, 'totp', wrongTotp(secret, h.clock.now()), {});
    await h.mfa.admin.lock(admin, user, { reason: 'suspicious' });
    expect(await h.mfa.verify(user, 'totp', totpAt(secret, h.clock.now()), {})).toEqual({
      ok: false,
      code: 'ACCOUNT_LOCKED',
      retryAfterMs: null,
    });
    expect(h.events.filter((e) => e.type === 'ACCOUNT_LOCK').map((e) => e.details)).toMatchObject([
      { reason: 'admin', until: null },
    ]);
    await h.mfa.admin.unlock(admin, user, {});
    expect((await h.mfa.status(user)).limiter).toMatchObject({ locked: false, consecutiveFailures: 0 });
    expect((await h.mfa.verify(user, 'totp', totpAt(secret, h.clock.now()), {})).ok).toBe(true);
    expect(h.events.map((e) => e.type)).toEqual(expect.arrayContaining(['ADMIN_LOCK', 'ADMIN_UNLOCK']));
  });

  it('resetCooldowns(verification) lets a cooling-down user try again at once', async () => {
    const h = createHarness();
    const { secret } = await enrolTotp(h, user);
    for (let i = 0; i < 5; i++) await h.mfa.verify(user, 'totp', wrongTotp(secret, h.clock.now()), {});
    expect(await h.mfa.verify(user, 'totp', totpAt(secret, h.clock.now()), {})).toMatchObject({
      code: 'COOLDOWN',
    });
    await h.mfa.admin.resetCooldowns(admin, user, { which: 'verification' });
    expect((await h.mfa.verify(user, 'totp', totpAt(secret, h.clock.now()), {})).ok).toBe(true);
    await expect(
      h.mfa.admin.resetCooldowns(admin, user, { which: 'everything' as 'all' }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('setPolicy refuses a malformed trustedDevices.forbiddenRoles and fills it in when absent', async () => {
    const h = createHarness();
    const policy = await h.mfa.admin.getPolicy();
    await expect(
      h.mfa.admin.setPolicy(admin, {
        ...policy,
        trustedDevices: { forbiddenRoles: [42] },
      } as unknown as MfaPolicy),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { fields: { 'trustedDevices.forbiddenRoles': expect.any(String) } },
    });
    await expect(
      h.mfa.admin.setPolicy(admin, { ...policy, trustedDevices: 'none' } as unknown as MfaPolicy),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    const { trustedDevices: _, ...without } = policy;
    expect((await h.mfa.admin.setPolicy(admin, without)).trustedDevices).toEqual({ forbiddenRoles: [] });
  });

  it('setPolicy validates the shape, stores a clean copy and records POLICY_CHANGED with before/after', async () => {
    const h = createHarness();
    const before = await h.mfa.admin.getPolicy();
    const next: MfaPolicy = {
      requiredRoles: ['admin'],
      requiredOrgs: [],
      rollout: { mode: 'orgs', orgs: ['wms'] },
      grace: { signIns: 3 },
      allowSelfUnlock: true,
      trustedDevices: { forbiddenRoles: ['admin'] },
      phishingResistantRoles: ['owner'],
      phishingResistantOrgs: [],
    };
    const saved = await h.mfa.admin.setPolicy(admin, { ...next, extra: 'dropped' } as MfaPolicy, {
      reason: 'rollout',
    });
    expect(saved).toEqual(next);
    expect(await h.mfa.admin.getPolicy()).toEqual(next);
    expect(h.events.find((e) => e.type === 'POLICY_CHANGED')?.details).toEqual({
      before,
      after: next,
      reason: 'rollout',
    });
    const bad = [
      null,
      { ...next, requiredRoles: 'admin' },
      { ...next, rollout: { mode: 'some' } },
      { ...next, grace: { signIns: -1 } },
      { ...next, allowSelfUnlock: 'yes' },
    ];
    for (const policy of bad) {
      const error = await h.mfa.admin.setPolicy(admin, policy as MfaPolicy).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MfaError);
      expect((error as MfaError).code).toBe('VALIDATION');
    }
    await expect(h.mfa.admin.reset({ kind: 'admin', id: '' }, user)).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });
});
