import {
  type Mfa,
  type MfaUser,
  createMemoryBackend,
  createMfa,
  decodeBase32,
  generateTOTP,
} from '@mfa-kit/core';
import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import type { PendingSignIn } from '../session/session-data.js';
import type { MfaStrategy, MfaStrategyFailure } from './mfa-strategy.js';
import { MfaRecoveryStrategy } from './recovery-strategy.js';
import { MfaTotpStrategy } from './totp-strategy.js';

function setup() {
  let time = Date.UTC(2026, 2, 1, 12, 0, 5);
  const clock = {
    now: () => time,
    advance: (ms: number) => {
      time += ms;
    },
  };
  const mfa = createMfa({
    backend: createMemoryBackend(),
    encryption: { keys: { k: Buffer.alloc(32, 1) }, currentKeyId: 'k' },
    hashKey: 'strategy-unit-test-hash-key-32-bytes-long!',
    issuer: 'Unit',
    clock,
  });
  const users = new Map<string, MfaUser>();
  for (let i = 0; i < 20; i++) users.set(`u${i}`, { id: `u${i}`, roles: ['user'] });
  return { mfa, clock, users, loadUser: (id: string) => users.get(id) ?? null };
}

async function enrol(
  mfa: Mfa,
  user: MfaUser,
  now: number,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const enrolment = await mfa.totp.beginEnrolment(user);
  const code = totpCode(enrolment.secret, now);
  const result = await mfa.totp.confirmEnrolment(user, enrolment.sealedSecret, code, {});
  if (!result.ok || result.recoveryCodes === null) throw new Error('enrolment failed');
  return { secret: enrolment.secret, recoveryCodes: result.recoveryCodes };
}

function totpCode(secret: string, timeInMs: number): string {
  return generateTOTP(decodeBase32(secret), { timeInMs, periodInSeconds: 30, digits: 6, algorithm: 'SHA1' });
}

function pending(userId: string, now: number, ttl = 600_000): PendingSignIn {
  return {
    userId,
    orgId: null,
    roles: ['user'],
    stage: 'challenge',
    factors: ['totp', 'recovery'],
    maskedPhone: null,
    reason: null,
    expiresAt: now + ttl,
    epoch: 0,
    passwordAt: now,
  };
}

interface Outcome {
  calls: { kind: 'success' | 'fail' | 'error'; args: unknown[] }[];
  req: Request;
}

/**
 * Runs the strategy the way Passport does (a fresh `Object.create(strategy)`
 * per request with success/fail/error attached) and resolves after the first
 * action, then lets every pending callback run so a second action would show.
 */
function run(strategy: MfaStrategy, session: Record<string, unknown>, body: unknown): Promise<Outcome> {
  const req = { session, body, ip: '203.0.113.9', get: () => undefined } as unknown as Request;
  const calls: Outcome['calls'] = [];
  return new Promise((resolve) => {
    const actions = Object.create(strategy) as MfaStrategy & Record<string, unknown>;
    for (const kind of ['success', 'fail', 'error'] as const) {
      actions[kind] = (...args: unknown[]) => {
        calls.push({ kind, args });
        setTimeout(() => resolve({ calls, req }), 20);
      };
    }
    actions.redirect = () => calls.push({ kind: 'error', args: ['redirect'] });
    actions.pass = () => calls.push({ kind: 'error', args: ['pass'] });
    actions.authenticate(req);
  });
}

describe('MFA strategies', () => {
  it('calls success exactly once for a good code and records the MFA state in the session', async () => {
    const { mfa, clock, users, loadUser } = setup();
    const { secret } = await enrol(mfa, users.get('u1')!, clock.now());
    clock.advance(30_000);
    const strategy = new MfaTotpStrategy({ mfa, loadUser });
    const session: Record<string, unknown> = { mfaPending: pending('u1', clock.now()) };
    const { calls } = await run(strategy, session, {
      code: totpCode(secret, clock.now()),
    });
    expect(calls.map((call) => call.kind)).toEqual(['success']);
    expect(calls[0]!.args[0]).toBe(users.get('u1'));
    expect(calls[0]!.args[1]).toMatchObject({ factor: 'totp', completedAt: clock.now() });
    expect(session.mfaPending).toBeUndefined();
    expect(session.mfa).toMatchObject({ userId: 'u1', factor: 'totp', completedAt: clock.now(), epoch: 0 });
  });

  it('calls fail exactly once with a typed failure and its HTTP status', async () => {
    const { mfa, clock, users, loadUser } = setup();
    await enrol(mfa, users.get('u1')!, clock.now());
    const strategy = new MfaTotpStrategy({ mfa, loadUser });
    const session: Record<string, unknown> = { mfaPending: pending('u1', clock.now()) };
    const { calls } = await run(strategy, session, { code: 'not-a-code' });
    expect(calls.map((call) => call.kind)).toEqual(['fail']);
    const [failure, status] = calls[0]!.args as [MfaStrategyFailure, number];
    expect(failure.code).toBe('INVALID_CODE');
    expect(failure.remaining).toBe(4);
    expect(status).toBe(401);
    expect(session.mfa).toBeUndefined();
    expect(session.mfaPending).toBeDefined();
  });

  it('fails with SESSION_EXPIRED without a pending sign-in or after it expired, and logs the expiry', async () => {
    const { mfa, clock, loadUser } = setup();
    const events: string[] = [];
    mfa.events.subscribe((event) => void events.push(event.type));
    const strategy = new MfaRecoveryStrategy({ mfa, loadUser });
    const none = await run(strategy, {}, { code: 'abcd-efgh' });
    expect(none.calls.map((call) => [call.kind, (call.args[0] as MfaStrategyFailure).code])).toEqual([
      ['fail', 'SESSION_EXPIRED'],
    ]);
    const session: Record<string, unknown> = { mfaPending: pending('u2', clock.now(), 1000) };
    clock.advance(1000);
    const expired = await run(strategy, session, { code: 'abcd-efgh' });
    expect((expired.calls[0]!.args[0] as MfaStrategyFailure).code).toBe('SESSION_EXPIRED');
    expect(expired.calls[0]!.args[1]).toBe(401);
    expect(session.mfaPending).toBeUndefined();
    expect(events).toEqual(['SESSION_EXPIRED']);
  });

  it('calls error exactly once when the store fails', async () => {
    const { mfa, clock, users, loadUser } = setup();
    const broken: Mfa = {
      ...mfa,
      verify: () => Promise.reject(new Error('redis down')),
    };
    const strategy = new MfaTotpStrategy({ mfa: broken, loadUser });
    const { calls } = await run(strategy, { mfaPending: pending('u1', clock.now()) }, { code: '123456' });
    expect(calls.map((call) => call.kind)).toEqual(['error']);
    expect((calls[0]!.args[0] as Error).message).toBe('redis down');
    expect(users.size).toBe(20);
  });

  it('passes the request to the verify callback and still acts once when the callback answers twice', async () => {
    const { mfa, clock, users, loadUser } = setup();
    const { recoveryCodes } = await enrol(mfa, users.get('u3')!, clock.now());
    const seen: unknown[] = [];
    const strategy = new MfaRecoveryStrategy(
      { mfa, loadUser, passReqToCallback: true },
      (req, user, result, done) => {
        seen.push(req, user.id, result.factor);
        done(null, false, { message: 'suspended' });
        done(null, user);
      },
    );
    const { calls, req } = await run(
      strategy,
      { mfaPending: pending('u3', clock.now()) },
      { code: recoveryCodes[0] },
    );
    expect(calls.map((call) => call.kind)).toEqual(['fail']);
    expect((calls[0]!.args[0] as MfaStrategyFailure).message).toBe('suspended');
    expect(seen).toEqual([req, 'u3', 'recovery']);
  });

  it('keeps no per-request state: concurrent requests on one strategy each get their own outcome', async () => {
    const { mfa, clock, users, loadUser } = setup();
    const secrets = new Map<string, string>();
    for (const user of users.values()) secrets.set(user.id, (await enrol(mfa, user, clock.now())).secret);
    clock.advance(30_000);
    const strategy = new MfaTotpStrategy({ mfa, loadUser });
    const before = Object.entries(strategy);
    const runs = [...users.keys()].map((id, i) => {
      const good = i % 2 === 0;
      const code = good ? totpCode(secrets.get(id)!, clock.now()) : '000000x';
      const session: Record<string, unknown> = { mfaPending: pending(id, clock.now()) };
      return run(strategy, session, { code }).then((outcome) => ({ id, good, outcome, session }));
    });
    for (const { id, good, outcome, session } of await Promise.all(runs)) {
      expect(outcome.calls).toHaveLength(1);
      expect(outcome.calls[0]!.kind).toBe(good ? 'success' : 'fail');
      if (good) expect((outcome.calls[0]!.args[0] as MfaUser).id).toBe(id);
      expect(session.mfa === undefined).toBe(!good);
    }
    expect(Object.entries(strategy)).toEqual(before);
  });

  it('refuses to be built without mfa or loadUser', () => {
    const { mfa, loadUser } = setup();
    expect(() => new MfaTotpStrategy({ mfa: undefined as unknown as Mfa, loadUser })).toThrow(/mfa/);
    expect(() => new MfaTotpStrategy({ mfa, loadUser: undefined as unknown as typeof loadUser })).toThrow(
      /loadUser/,
    );
  });
});
