import session, { type SessionData } from 'express-session';
import { describe, expect, it, vi } from 'vitest';
import { guardSessionStore } from './guard-session-store.js';
import { pendingNeedsNoTouch, storeTtlFollowsCookie } from './pending-touch.js';
import type { PendingSignIn, SessionMfaState } from './session-data.js';

const TEN_MINUTES = 600_000;

function pending(passwordAt = 1_000): PendingSignIn {
  return {
    userId: 'u1',
    orgId: null,
    roles: [],
    stage: 'challenge',
    factors: ['totp'],
    maskedPhone: null,
    reason: null,
    expiresAt: passwordAt + TEN_MINUTES,
    epoch: 0,
    passwordAt,
  };
}

const signedIn: SessionMfaState = {
  userId: 'u1',
  completedAt: 1,
  factor: 'totp',
  verifiedAt: 1,
  passwordAt: 1,
  epoch: 0,
  via: 'mfa',
  offerEnrolment: false,
};

function data(fields: Partial<SessionData>, originalMaxAge: number | null): SessionData {
  return { cookie: { originalMaxAge } as SessionData['cookie'], ...fields } as SessionData;
}

describe('pendingNeedsNoTouch', () => {
  it('skips a session holding only a pending sign-in that the cookie outlives', () => {
    expect(pendingNeedsNoTouch(data({ mfaPending: pending() }, 8 * 3_600_000))).toBe(true);
    expect(pendingNeedsNoTouch(data({ mfaPending: pending() }, TEN_MINUTES))).toBe(true);
  });

  it('touches a pending sign-in that would outlive the cookie, or a browser-session cookie', () => {
    expect(pendingNeedsNoTouch(data({ mfaPending: pending() }, TEN_MINUTES - 1))).toBe(false);
    expect(pendingNeedsNoTouch(data({ mfaPending: pending() }, null))).toBe(false);
  });

  it('touches a pending session that also holds the app’s data, or in a store that decides the TTL', () => {
    expect(
      pendingNeedsNoTouch(
        data({ mfaPending: pending(), mfaTotpEnrolment: { sealedSecret: 's', startedAt: 1 } }, 8 * 3_600_000),
      ),
    ).toBe(true);
    expect(
      pendingNeedsNoTouch(
        data({ mfaPending: pending(), cart: ['book'] } as Partial<SessionData>, 8 * 3_600_000),
      ),
    ).toBe(false);
    expect(pendingNeedsNoTouch(data({ mfaPending: pending() }, 8 * 3_600_000), false)).toBe(false);
    expect(storeTtlFollowsCookie(new session.MemoryStore())).toBe(true);
    expect(storeTtlFollowsCookie(Object.assign(new session.MemoryStore(), { ttl: 86_400 }))).toBe(true);
    expect(storeTtlFollowsCookie(Object.assign(new session.MemoryStore(), { ttl: () => 300 }))).toBe(false);
  });

  it('touches signed-in and anonymous sessions', () => {
    expect(pendingNeedsNoTouch(data({ mfa: signedIn }, 8 * 3_600_000))).toBe(false);
    expect(pendingNeedsNoTouch(data({ mfa: signedIn, mfaPending: pending() }, 8 * 3_600_000))).toBe(false);
    expect(pendingNeedsNoTouch(data({}, 8 * 3_600_000))).toBe(false);
  });
});

describe('the guarded store’s touch', () => {
  const epoch = async () => 0;

  it('answers a pending-only session at once and passes every other touch to the store', () => {
    const store = new session.MemoryStore();
    const touch = vi.spyOn(store, 'touch');
    const guarded = guardSessionStore(store, epoch);
    const done = vi.fn();
    guarded.touch!('sid', data({ mfaPending: pending() }, 8 * 3_600_000), done);
    expect(done).toHaveBeenCalledOnce();
    expect(touch).not.toHaveBeenCalled();
    guarded.touch!('sid', data({ mfaPending: pending() }, TEN_MINUTES - 1), done);
    guarded.touch!('sid', data({ mfa: signedIn }, 8 * 3_600_000), done);
    expect(touch).toHaveBeenCalledTimes(2);
  });

  it('has no touch where the store has none (express-session then never touches)', () => {
    const store = new session.MemoryStore();
    Object.defineProperty(store, 'touch', { value: undefined });
    expect(guardSessionStore(store, epoch).touch).toBeUndefined();
  });
});
