import { expect, it } from 'vitest';
import type { MfaStore, WebAuthnChallenge, WebAuthnCredential } from '@mfa-kit/core';
import {
  attemptInput,
  baseTime,
  count,
  expectCode,
  type MakeStore,
  newUserId,
  UNREACHABLE_LIMITS,
  UNREACHABLE_LOCK,
  webauthn,
} from './conformance-fixtures.js';

const OPEN = { limits: UNREACHABLE_LIMITS, lock: UNREACHABLE_LOCK };
const TTL = 300_000;

/** A stored credential as a store keeps it (the public key is opaque to stores). */
export function testCredential(id: string, overrides: Partial<WebAuthnCredential> = {}): WebAuthnCredential {
  return {
    id,
    publicKey: `pk-${id}`,
    counter: 0,
    transports: ['internal', 'hybrid'],
    name: `Key ${id}`,
    createdAt: 1_700_000_000_000,
    lastUsedAt: null,
    backupEligible: true,
    backedUp: false,
    ...overrides,
  };
}

function challengeOf(
  challenge: string,
  purpose: WebAuthnChallenge['purpose'],
  binding: string,
  expiresAt: number,
): WebAuthnChallenge {
  return { challenge, purpose, binding, expiresAt };
}

/** Registers `credential` for `userId` through a registration challenge, as a real enrolment does. */
async function register(store: MfaStore, userId: string, credential: WebAuthnCredential, now: number) {
  const value = `reg-${credential.id}`;
  await store.putWebAuthnChallenge(userId, challengeOf(value, 'register', 'b1', now + TTL), now);
  return store.addWebAuthnCredential(userId, credential, { challenge: value, binding: 'b1', now, max: 10 });
}

/**
 * WebAuthn state: credentials in the record (with their counters), challenges
 * that are single-use, short-lived and bound to their ceremony, and the
 * attempt decision that spends a challenge and checks the counter atomically.
 */
export function registerWebAuthnCases(makeStore: MakeStore<MfaStore>, concurrency: number): void {
  it('registers a credential by spending a live registration challenge, and reads it back whole', async () => {
    const store = await makeStore();
    const userId = newUserId('wa-register');
    const now = baseTime();
    const credential = testCredential('cred1', { transports: [] });
    expect(await register(store, userId, credential, now)).toBe('added');
    const record = await store.getRecord(userId);
    expect(record?.webauthn).toEqual([credential]);
    expect(record?.epoch).toBe(0);
    // The challenge is spent: it registers nothing else.
    expect(
      await store.addWebAuthnCredential(userId, testCredential('cred2'), {
        challenge: 'reg-cred1',
        binding: 'b1',
        now,
        max: 10,
      }),
    ).toBe('missing');
  });

  it('refuses a registration challenge that is unknown, expired, of another binding or of sign-in', async () => {
    const store = await makeStore();
    const userId = newUserId('wa-register-refused');
    const now = baseTime();
    const add = (challenge: string, binding: string, at = now) =>
      store.addWebAuthnCredential(userId, testCredential(`c-${challenge}`), {
        challenge,
        binding,
        now: at,
        max: 10,
      });
    await store.putWebAuthnChallenge(userId, challengeOf('r1', 'register', 'b1', now + TTL), now);
    await store.putWebAuthnChallenge(userId, challengeOf('s1', 'sign-in', 'b1', now + TTL), now);
    expect(await add('nope', 'b1')).toBe('missing');
    expect(await add('s1', 'b1')).toBe('missing');
    // Another ceremony presenting it does not cancel it for its own.
    expect(await add('r1', 'b2')).toBe('missing');
    expect(await add('r1', 'b1', now + TTL)).toBe('missing');
    await store.putWebAuthnChallenge(userId, challengeOf('r2', 'register', 'b1', now + TTL), now);
    expect(await add('r2', 'b2')).toBe('missing');
    expect(await add('r2', 'b1')).toBe('added');
    expect((await store.getRecord(userId))?.webauthn.map((c) => c.id)).toEqual(['c-r2']);
  });

  it('spends a registration challenge on a refused attestation (null credential): it registers nothing after', async () => {
    const store = await makeStore();
    const userId = newUserId('wa-register-refused-spends');
    const now = baseTime();
    const spend = (challenge: string, binding: string, credential: WebAuthnCredential | null) =>
      store.addWebAuthnCredential(userId, credential, { challenge, binding, now, max: 10 });
    await store.putWebAuthnChallenge(userId, challengeOf('r1', 'register', 'b1', now + TTL), now);
    // Another binding's refused attempt leaves it alone; its own refused attempt spends it.
    expect(await spend('r1', 'b2', null)).toBe('missing');
    expect(await spend('r1', 'b1', null)).toBe('refused');
    expect(await spend('r1', 'b1', testCredential('late'))).toBe('missing');
    expect(await spend('r1', 'b1', null)).toBe('missing');
    expect((await store.getRecord(userId))?.webauthn ?? []).toEqual([]);
  });

  it(`one registration challenge among ${concurrency} parallel refused and accepted attestations: at most one credential, and none after a refusal won`, async () => {
    const store = await makeStore();
    const userId = newUserId('wa-register-refused-race');
    const now = baseTime();
    await store.putWebAuthnChallenge(userId, challengeOf('r1', 'register', 'b1', now + TTL), now);
    const results = await Promise.all(
      Array.from({ length: concurrency }, (_, i) =>
        store.addWebAuthnCredential(userId, i % 2 === 0 ? null : testCredential(`c${i}`), {
          challenge: 'r1',
          binding: 'b1',
          now,
          max: 100,
        }),
      ),
    );
    expect(count(results, (r) => r === 'added' || r === 'refused')).toBe(1);
    expect(count(results, (r) => r === 'missing')).toBe(concurrency - 1);
    const stored = (await store.getRecord(userId))?.webauthn ?? [];
    expect(stored).toHaveLength(results.includes('added') ? 1 : 0);
  });

  it('refuses a duplicate credential id and a credential over the maximum', async () => {
    const store = await makeStore();
    const userId = newUserId('wa-register-limits');
    const now = baseTime();
    expect(await register(store, userId, testCredential('a'), now)).toBe('added');
    await store.putWebAuthnChallenge(userId, challengeOf('again', 'register', 'b1', now + TTL), now);
    expect(
      await store.addWebAuthnCredential(userId, testCredential('a', { name: 'copy' }), {
        challenge: 'again',
        binding: 'b1',
        now,
        max: 10,
      }),
    ).toBe('duplicate');
    await store.putWebAuthnChallenge(userId, challengeOf('more', 'register', 'b1', now + TTL), now);
    expect(
      await store.addWebAuthnCredential(userId, testCredential('b'), {
        challenge: 'more',
        binding: 'b1',
        now,
        max: 1,
      }),
    ).toBe('full');
    expect((await store.getRecord(userId))?.webauthn).toEqual([testCredential('a')]);
  });

  it('renames and removes credentials; removal bumps the epoch, an unknown id changes nothing', async () => {
    const store = await makeStore();
    const userId = newUserId('wa-manage');
    const now = baseTime();
    await register(store, userId, testCredential('a'), now);
    await register(store, userId, testCredential('b'), now);
    expect(await store.renameWebAuthnCredential(userId, 'a', 'Laptop')).toBe(true);
    expect(await store.renameWebAuthnCredential(userId, 'zz', 'Nope')).toBe(false);
    expect(await store.removeWebAuthnCredential(userId, 'zz')).toBeNull();
    expect((await store.getRecord(userId))?.epoch).toBe(0);
    expect(await store.removeWebAuthnCredential(userId, 'b')).toBe(1);
    const record = await store.getRecord(userId);
    expect(record?.webauthn).toEqual([testCredential('a', { name: 'Laptop' })]);
    expect(record?.epoch).toBe(1);
    expect(await store.removeWebAuthnCredential(userId, 'a')).toBe(2);
    expect((await store.getRecord(userId))?.webauthn).toEqual([]);
  });

  it('accepts an assertion once: spends its challenge, raises the counter, records use and backup state', async () => {
    const store = await makeStore();
    const userId = newUserId('wa-sign-in');
    const now = baseTime();
    await register(store, userId, testCredential('a', { counter: 5 }), now);
    await store.putWebAuthnChallenge(userId, challengeOf('c1', 'sign-in', 'p1', now + TTL), now);
    const first = await store.attempt(
      userId,
      attemptInput(webauthn('c1', 'p1', 'a', 6, { backedUp: true }), now + 1_000),
    );
    expect(first).toEqual({ ok: true, evaluated: true });
    const credential = (await store.getRecord(userId))?.webauthn[0];
    expect(credential?.counter).toBe(6);
    expect(credential?.backedUp).toBe(true);
    expect(credential?.lastUsedAt).toBe(now + 1_000);
    // The same assertion again (a replay): its challenge is gone.
    const replay = await store.attempt(userId, attemptInput(webauthn('c1', 'p1', 'a', 7), now + 2_000));
    expect(expectCode(replay, 'INVALID_CODE').reason).toBe('missing');
  });

  it('refuses a challenge of another binding without spending it, and an expired or registration one', async () => {
    const store = await makeStore();
    const userId = newUserId('wa-binding');
    const now = baseTime();
    await register(store, userId, testCredential('a'), now);
    await store.putWebAuthnChallenge(userId, challengeOf('c1', 'sign-in', 'p1', now + TTL), now);
    await store.putWebAuthnChallenge(userId, challengeOf('r1', 'register', 'p1', now + TTL), now);
    const other = await store.attempt(userId, attemptInput(webauthn('c1', 'p2', 'a', 0), now, OPEN));
    expect(expectCode(other, 'INVALID_CODE').reason).toBe('missing');
    const registration = await store.attempt(userId, attemptInput(webauthn('r1', 'p1', 'a', 0), now, OPEN));
    expect(expectCode(registration, 'INVALID_CODE').reason).toBe('missing');
    const expired = await store.attempt(userId, attemptInput(webauthn('c1', 'p1', 'a', 0), now + TTL, OPEN));
    expect(expectCode(expired, 'INVALID_CODE').reason).toBe('missing');
    await store.putWebAuthnChallenge(userId, challengeOf('c2', 'sign-in', 'p1', now + TTL), now);
    await store.attempt(userId, attemptInput(webauthn('c2', 'p2', 'a', 0), now, OPEN));
    expect(await store.attempt(userId, attemptInput(webauthn('c2', 'p1', 'a', 0), now, OPEN))).toEqual({
      ok: true,
      evaluated: true,
    });
  });

  it('spends the challenge of a bad signature or an unknown credential (mismatch) and counts the failure', async () => {
    const store = await makeStore();
    const userId = newUserId('wa-mismatch');
    const now = baseTime();
    await register(store, userId, testCredential('a'), now);
    await store.putWebAuthnChallenge(userId, challengeOf('c1', 'sign-in', 'p1', now + TTL), now);
    await store.putWebAuthnChallenge(userId, challengeOf('c2', 'sign-in', 'p1', now + TTL), now);
    const bad = await store.attempt(
      userId,
      attemptInput(webauthn('c1', 'p1', 'a', 1, { verified: false }), now, OPEN),
    );
    expect(expectCode(bad, 'INVALID_CODE').reason).toBe('mismatch');
    const unknown = await store.attempt(userId, attemptInput(webauthn('c2', 'p1', 'zz', 1), now, OPEN));
    expect(expectCode(unknown, 'INVALID_CODE').reason).toBe('mismatch');
    const again = await store.attempt(userId, attemptInput(webauthn('c1', 'p1', 'a', 1), now, OPEN));
    expect(expectCode(again, 'INVALID_CODE').reason).toBe('missing');
    const status = await store.getLimiterStatus(userId, now);
    expect(status.families.webauthn?.failures).toBe(3);
    expect(status.consecutiveFailures).toBe(3);
  });

  it('refuses a signature counter that does not grow (a cloned authenticator), accepts 0 after 0', async () => {
    const store = await makeStore();
    const userId = newUserId('wa-counter');
    const now = baseTime();
    await register(store, userId, testCredential('a', { counter: 10 }), now);
    await register(store, userId, testCredential('z', { counter: 0 }), now);
    for (const [challenge, credentialId, counter, expected] of [
      ['c1', 'a', 10, 'counter'],
      ['c2', 'a', 3, 'counter'],
      ['c3', 'a', 11, 'ok'],
      ['c4', 'z', 0, 'ok'],
      ['c5', 'z', 0, 'ok'],
    ] as const) {
      await store.putWebAuthnChallenge(userId, challengeOf(challenge, 'sign-in', 'p1', now + TTL), now);
      const decision = await store.attempt(
        userId,
        attemptInput(webauthn(challenge, 'p1', credentialId, counter), now, OPEN),
      );
      if (expected === 'ok') expect(decision.ok).toBe(true);
      else expect(expectCode(decision, 'INVALID_CODE').reason).toBe('counter');
    }
    expect((await store.getRecord(userId))?.webauthn.map((c) => c.counter)).toEqual([11, 0]);
  });

  it('keeps several live challenges per user, at most 20, dropping the ones that expire first', async () => {
    const store = await makeStore();
    const userId = newUserId('wa-many');
    const now = baseTime();
    await register(store, userId, testCredential('a'), now);
    for (let i = 0; i < 22; i += 1)
      await store.putWebAuthnChallenge(userId, challengeOf(`c${i}`, 'sign-in', 'p', now + TTL + i), now);
    const use = (i: number) => store.attempt(userId, attemptInput(webauthn(`c${i}`, 'p', 'a', 0), now, OPEN));
    expect(expectCode(await use(0), 'INVALID_CODE').reason).toBe('missing');
    expect(expectCode(await use(1), 'INVALID_CODE').reason).toBe('missing');
    expect((await use(2)).ok).toBe(true);
    expect((await use(21)).ok).toBe(true);
  });

  it('removes credentials and pending challenges on resetFactors', async () => {
    const store = await makeStore();
    const userId = newUserId('wa-reset');
    const now = baseTime();
    await register(store, userId, testCredential('a'), now);
    await store.putWebAuthnChallenge(userId, challengeOf('c1', 'sign-in', 'p1', now + TTL), now);
    await store.putWebAuthnChallenge(userId, challengeOf('r1', 'register', 'p1', now + TTL), now);
    await store.resetFactors(userId);
    expect((await store.getRecord(userId))?.webauthn).toEqual([]);
    await register(store, userId, testCredential('a'), now);
    const decision = await store.attempt(userId, attemptInput(webauthn('c1', 'p1', 'a', 0), now));
    expect(expectCode(decision, 'INVALID_CODE').reason).toBe('missing');
    expect(
      await store.addWebAuthnCredential(userId, testCredential('b'), {
        challenge: 'r1',
        binding: 'p1',
        now,
        max: 10,
      }),
    ).toBe('missing');
  });

  it(`accepts one sign-in challenge exactly once among ${concurrency} parallel verifications`, async () => {
    const store = await makeStore();
    const userId = newUserId('wa-race');
    const now = baseTime();
    await register(store, userId, testCredential('a'), now);
    await store.putWebAuthnChallenge(userId, challengeOf('c1', 'sign-in', 'p1', now + TTL), now);
    const decisions = await Promise.all(
      Array.from({ length: concurrency }, (_, i) =>
        store.attempt(userId, attemptInput(webauthn('c1', 'p1', 'a', i + 1), now, OPEN)),
      ),
    );
    expect(count(decisions, (d) => d.ok)).toBe(1);
    expect(count(decisions, (d) => !d.ok && d.code === 'INVALID_CODE' && d.reason === 'missing')).toBe(
      concurrency - 1,
    );
  });

  it(`registers at most one credential from one challenge among ${concurrency} parallel registrations`, async () => {
    const store = await makeStore();
    const userId = newUserId('wa-register-race');
    const now = baseTime();
    await store.putWebAuthnChallenge(userId, challengeOf('r1', 'register', 'b1', now + TTL), now);
    const results = await Promise.all(
      Array.from({ length: concurrency }, (_, i) =>
        store.addWebAuthnCredential(userId, testCredential(`c${i}`), {
          challenge: 'r1',
          binding: 'b1',
          now,
          max: 100,
        }),
      ),
    );
    expect(count(results, (r) => r === 'added')).toBe(1);
    expect((await store.getRecord(userId))?.webauthn).toHaveLength(1);
  });
}
