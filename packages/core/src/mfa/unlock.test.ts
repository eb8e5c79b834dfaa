import { describe, expect, it } from 'vitest';
import type { MfaUser } from '../types.js';
import { createHarness, enrolTotp, totpAt, wrongTotp } from '../../test-support/mfa-harness.js';

const user: MfaUser = { id: 'glue-user', orgId: 'itg' };
const admin = { kind: 'admin', id: 'root' } as const;

async function lockByFailures(h: ReturnType<typeof createHarness>) {
  const { secret } = await enrolTotp(h, user);
  const wrong = wrongTotp(secret, h.clock.now());
  for (let i = 0; i < 3; i++) await h.mfa.verify(user, 'totp', wrong, {});
  expect((await h.mfa.status(user)).limiter.locked).toBe(true);
  return secret;
}

function harness() {
  return createHarness({
    policy: { allowSelfUnlock: true },
    limits: { lock: { maxConsecutiveFailures: 3 } },
  });
}

describe('self-unlock by email (seed 002)', () => {
  it('a locked user gets a token; redeeming it unlocks once and records SELF_UNLOCKED', async () => {
    const h = harness();
    const secret = await lockByFailures(h);
    await h.mfa.unlock.request(user, { ip: '192.0.2.1' });
    expect(h.unlockTokens).toHaveLength(1);
    const { token, expiresAt } = h.unlockTokens[0]!;
    expect(expiresAt).toBe(h.clock.now() + 3_600_000);
    expect(await h.mfa.unlock.redeem(token, {})).toEqual({ ok: true, userId: user.id });
    expect((await h.mfa.status(user)).limiter).toMatchObject({ locked: false, consecutiveFailures: 0 });
    expect(h.events.map((e) => e.type)).toContain('SELF_UNLOCKED');
    // Every event about the user, SELF_UNLOCKED included, carries the user's org (org-scoped admins see it).
    const ofUser = h.events.filter((e) => e.userId === user.id);
    expect(ofUser.map((e) => e.type)).toEqual(expect.arrayContaining(['ACCOUNT_LOCK', 'SELF_UNLOCKED']));
    expect(ofUser.filter((e) => e.orgId !== 'itg')).toEqual([]);
    expect((await h.mfa.verify(user, 'totp', totpAt(secret, h.clock.now()), {})).ok).toBe(true);
    // Reused → invalid, even after the user is locked again.
    h.clock.advance(30_000);
    for (let i = 0; i < 3; i++) await h.mfa.verify(user, 'totp', wrongTotp(secret, h.clock.now()), {});
    expect((await h.mfa.status(user)).limiter.locked).toBe(true);
    expect(await h.mfa.unlock.redeem(token, {})).toEqual({ ok: false, code: 'INVALID_TOKEN' });
  });

  it('the same token redeemed 10 times in parallel unlocks exactly once', async () => {
    const h = harness();
    await lockByFailures(h);
    await h.mfa.unlock.request(user, {});
    const token = h.unlockTokens[0]!.token;
    const results = await Promise.all(Array.from({ length: 10 }, () => h.mfa.unlock.redeem(token, {})));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('a token is bound to its lock: an admin lock placed after it was sent stays (one atomic compare-and-unlock)', async () => {
    const h = harness();
    await lockByFailures(h);
    await h.mfa.unlock.request(user, {});
    const token = h.unlockTokens[0]!.token;
    // An admin locks the account meanwhile (a new lock, a new lock id).
    await h.mfa.admin.lock(admin, user, { reason: 'investigating' });
    expect(await h.mfa.unlock.redeem(token, {})).toEqual({ ok: false, code: 'INVALID_TOKEN' });
    expect((await h.mfa.status(user)).limiter).toMatchObject({ locked: true, lockReason: 'admin' });
  });

  it('expired and tampered tokens are INVALID_TOKEN and leave the lock in place', async () => {
    const h = harness();
    await lockByFailures(h);
    await h.mfa.unlock.request(user, {});
    const token = h.unlockTokens[0]!.token;
    const [body, mac] = token.split('.') as [string, string];
    const forgedBody = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), u: 'someone-else' }),
    ).toString('base64url');
    const flipped = mac.slice(0, -1) + (mac.at(-1) === 'A' ? 'B' : 'A');
    for (const bad of [
      `${forgedBody}.${mac}`,
      `${body}.${flipped}`,
      `${body}.`,
      body,
      '',
      'a.b.c',
      42,
      null,
      'x'.repeat(10_000),
    ]) {
      expect(await h.mfa.unlock.redeem(bad, {})).toEqual({ ok: false, code: 'INVALID_TOKEN' });
    }
    h.clock.advance(3_600_000);
    expect(await h.mfa.unlock.redeem(token, {})).toEqual({ ok: false, code: 'INVALID_TOKEN' });
    expect((await h.mfa.status(user)).limiter.locked).toBe(true);
  });

  it('request never reveals whether the account exists or is locked', async () => {
    const h = harness();
    await lockByFailures(h);
    const answers = await Promise.all([
      h.mfa.unlock.request(null, {}),
      h.mfa.unlock.request({ id: 'not-locked' }, {}),
      h.mfa.unlock.request({ id: '' }, {}),
      h.mfa.unlock.request(user, {}),
    ]);
    expect(answers).toEqual([undefined, undefined, undefined, undefined]);
    expect(h.unlockTokens.map((t) => t.userId)).toEqual([user.id]);
    // Even a failing store does not change the answer.
    h.backend.store.getLimiterStatus = async () => {
      throw new Error('down');
    };
    await expect(h.mfa.unlock.request({ id: 'x' }, {})).resolves.toBeUndefined();
  });

  it('is rate limited per user, off unless policy allows it, and never lifts an admin lock', async () => {
    const h = harness();
    await lockByFailures(h);
    for (let i = 0; i < 5; i++) await h.mfa.unlock.request(user, {});
    expect(h.unlockTokens).toHaveLength(3);

    const off = createHarness({ limits: { lock: { maxConsecutiveFailures: 3 } } });
    const secret = await lockByFailures(off);
    await off.mfa.unlock.request(user, {});
    expect(off.unlockTokens).toHaveLength(0);
    expect(secret).toBeTruthy();

    const adminLocked = harness();
    await adminLocked.mfa.admin.lock(admin, user, { reason: 'left the company' });
    await adminLocked.mfa.unlock.request(user, {});
    expect(adminLocked.unlockTokens).toHaveLength(0);
  });

  it('a token stops working when self-unlock is turned off before it is used', async () => {
    const h = harness();
    await lockByFailures(h);
    await h.mfa.unlock.request(user, {});
    const policy = await h.mfa.admin.getPolicy();
    await h.mfa.admin.setPolicy(admin, { ...policy, allowSelfUnlock: false });
    expect(await h.mfa.unlock.redeem(h.unlockTokens[0]!.token, {})).toEqual({
      ok: false,
      code: 'INVALID_TOKEN',
    });
  });
});

describe('unlock requests per IP (issue 6: identifier spraying)', () => {
  /** A lookup the way an app writes one, counting how often the app's user database is hit. */
  function countingLookup(found: MfaUser | null) {
    const lookup = {
      calls: 0,
      find: (): Promise<MfaUser | null> => {
        lookup.calls += 1;
        return Promise.resolve(found);
      },
    };
    return lookup;
  }

  it('spraying unknown identifiers from one IP stops costing lookups after 10, whatever the account', async () => {
    const h = harness();
    await lockByFailures(h);
    const attacker = { ip: '203.0.113.7' };
    const unknown = countingLookup(null);
    for (let i = 0; i < 25; i++) {
      await expect(h.mfa.unlock.request(unknown.find, attacker)).resolves.toBeUndefined();
    }
    expect(unknown.calls).toBe(10);
    // Over the limit, a request for a real locked account from that IP is
    // dropped before its lookup, exactly like one for a missing account.
    const real = countingLookup(user);
    await expect(h.mfa.unlock.request(real.find, attacker)).resolves.toBeUndefined();
    await expect(h.mfa.unlock.request(user, attacker)).resolves.toBeUndefined();
    expect(real.calls).toBe(0);
    expect(h.unlockTokens).toHaveLength(0);
    // Another address is unaffected, and the attacker's budget returns after the hour.
    await h.mfa.unlock.request(real.find, { ip: '198.51.100.9' });
    expect(real.calls).toBe(1);
    expect(h.unlockTokens.map((t) => t.userId)).toEqual([user.id]);
    h.clock.advance(3_600_000);
    await h.mfa.unlock.request(unknown.find, attacker);
    expect(unknown.calls).toBe(11);
  });

  it('30 parallel requests from one IP run the lookup exactly 10 times', async () => {
    const h = harness();
    const lookup = countingLookup(null);
    await Promise.all(
      Array.from({ length: 30 }, () => h.mfa.unlock.request(lookup.find, { ip: '192.0.2.50' })),
    );
    expect(lookup.calls).toBe(10);
  });

  it('requests without an IP share one budget instead of escaping the limit', async () => {
    const h = harness();
    const lookup = countingLookup(null);
    for (let i = 0; i < 12; i++) await h.mfa.unlock.request(lookup.find, i % 2 === 0 ? {} : { ip: '' });
    expect(lookup.calls).toBe(10);
  });

  it('honours unlock.requestsPerIpPerHour, rejects a bad value, and skips lookups when self-unlock is off', async () => {
    const delivered: unknown[] = [];
    const delivery = { deliver: async (m: unknown) => void delivered.push(m) };
    const h = createHarness({
      policy: { allowSelfUnlock: true },
      limits: { lock: { maxConsecutiveFailures: 3 } },
      unlock: { delivery, requestsPerIpPerHour: 2 },
    });
    expect(h.mfa.options.unlock.requestsPerIpPerHour).toBe(2);
    expect(harness().mfa.options.unlock.requestsPerIpPerHour).toBe(10);
    const lookup = countingLookup(null);
    for (let i = 0; i < 4; i++) await h.mfa.unlock.request(lookup.find, { ip: '192.0.2.8' });
    expect(lookup.calls).toBe(2);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => createHarness({ unlock: { delivery, requestsPerIpPerHour: bad } })).toThrow(
        expect.objectContaining({ code: 'CONFIGURATION' }),
      );
    }
    const off = createHarness({ unlock: { delivery } });
    const offLookup = countingLookup(user);
    await off.mfa.unlock.request(offLookup.find, { ip: '192.0.2.9' });
    expect(offLookup.calls).toBe(0);
  });

  it('a throwing lookup is swallowed like every other failure', async () => {
    const h = harness();
    const failing = async (): Promise<MfaUser | null> => {
      throw new Error('user db down');
    };
    await expect(h.mfa.unlock.request(failing, { ip: '192.0.2.10' })).resolves.toBeUndefined();
  });
});
