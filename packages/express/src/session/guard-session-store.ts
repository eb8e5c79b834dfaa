import type { MfaPolicy } from '@mfa-kit/core';
import type { SessionData, Store } from 'express-session';
import { holdDestroy, takeDeferral, takeDestroy } from './deferred-destroy.js';
import { attachLoadedPolicy, rememberLoadedPolicy } from './loaded-policy.js';
import { pendingNeedsNoTouch, storeTtlFollowsCookie } from './pending-touch.js';
import { alreadySaved, forgetSaved, markSaved } from './saved-copy.js';
import { sessionIdOwner } from './session-id.js';
import { sessionOwner } from './session-owner.js';
import { storeFailure } from './store-failure.js';

type Callback<T = unknown> = (error?: unknown, value?: T) => void;

const GUARDED = Symbol('mfa-kit.guardedSessionStore');

/** Whether `store` is wrapped by {@link guardSessionStore} (mfa-kit refuses to sign anyone in otherwise). */
export function isGuardedSessionStore(store: unknown): boolean {
  return typeof store === 'object' && store !== null && (store as Record<symbol, unknown>)[GUARDED] === true;
}

/**
 * The one place where a session's validity is decided (ARCHITECTURE "Session
 * model"). Wraps the app's express-session store so that:
 *
 * - **load** (`get`, `load`): a session mfa-kit issued (pending or signed in)
 *   is handed to express-session only while the epoch it records is the
 *   user's current one, and only under an id that names the same user. A
 *   stale or mismatched session is deleted and the request goes on as
 *   anonymous. The epoch read goes out in parallel with the session read
 *   when the id names its user (mfa-kit's ids do), so it costs no extra
 *   sequential round trip; for ids from elsewhere it follows the read.
 * - **save** (`set`): the epoch is read in parallel with the write, and a
 *   session found stale is deleted again at once, so a request that was in
 *   flight during a revocation can't leave its session behind. Even if that
 *   deletion failed, the load check refuses the session.
 * - **one write per state**: a save that would write exactly what this same
 *   request already wrote under the same id (Passport's explicit save in
 *   `req.login`, then express-session's at the end of the response) is
 *   answered at once without writing again; a session that was deleted or
 *   failed to save is written again.
 * - **rotation**: a regeneration mfa-kit asked to defer
 *   (`deferred-destroy.ts`) deletes the old id beside the first save of the
 *   new one; if either fails, the save fails, the new id is deleted again and
 *   that session object is never written again.
 * - `touch` only extends what exists (connect-redis: `EXPIRE`, which can't
 *   recreate a deleted key), so it passes through; whatever it extends is
 *   still checked at the next load. A session that holds only a pending
 *   sign-in the cookie already outlives, in a store whose TTL is the
 *   cookie's, is not touched (`pending-touch.ts`).
 *
 * Nothing here depends on the store's key prefix or on a session index: a
 * session nobody deleted is still refused by its epoch.
 *
 * With `currentPolicy`, the MFA policy is read in the same round trip as the
 * session and the epoch (for ids that name their user) and handed to the
 * request (`loaded-policy.ts`): `requireMfa()` checks a signed-in session's
 * factor against the current policy (phishing-resistant roles) with it, at
 * no extra sequential round trip.
 */
export function guardSessionStore<S extends Store>(
  store: S,
  currentEpoch: (userId: string) => Promise<number>,
  currentPolicy?: () => Promise<MfaPolicy>,
): S {
  const call = <T>(method: (...args: never[]) => void, ...args: unknown[]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      (method as (...a: unknown[]) => void).call(store, ...args, (error?: unknown, value?: T) =>
        error ? reject(error) : resolve(value as T),
      );
    });
  // Session objects of failed rotations: never written again.
  const abandoned = new WeakSet<object>();
  const forget = (sid: string) => call<void>(store.destroy, sid).catch(() => undefined);

  async function load(sid: string): Promise<SessionData | null> {
    const named = sessionIdOwner(sid);
    const [data, namedEpoch, policy] = await Promise.all([
      call<SessionData | null | undefined>(store.get, sid),
      named === null ? undefined : currentEpoch(named),
      named === null || currentPolicy === undefined ? undefined : currentPolicy(),
    ]);
    if (data == null) return null;
    const owner = sessionOwner(data);
    if (owner === null) return data;
    const valid =
      named === null
        ? owner.epoch === (await currentEpoch(owner.userId))
        : owner.userId === named && owner.epoch === namedEpoch;
    if (valid) {
      if (policy !== undefined) rememberLoadedPolicy(data, policy);
      return data;
    }
    await forget(sid);
    return null;
  }

  const get = (sid: string, callback: Callback<SessionData | null>) => {
    // A failed read is an outage (503 STORE_UNAVAILABLE through the app's error handler), never a 500.
    load(sid).then(
      (data) => callback(null, data),
      (error: unknown) => callback(storeFailure(error)),
    );
  };

  const set = (sid: string, data: SessionData, callback?: Callback) => {
    const done = callback ?? (() => {});
    const deletion = takeDestroy(data);
    if (abandoned.has(data) || (deletion === undefined && alreadySaved(sid, data))) return done();
    const owner = sessionOwner(data);
    forgetSaved(data);
    Promise.all([
      deletion,
      call<void>(store.set, sid, data),
      owner === null ? undefined : currentEpoch(owner.userId),
    ])
      .then(
        async ([, , epoch]) => {
          if (owner === null || epoch === owner.epoch) return markSaved(sid, data);
          await forget(sid);
        },
        async (error: unknown) => {
          // A rotation that failed half-way leaves no new session behind, not even through
          // express-session's save at the end of the failed response.
          if (deletion !== undefined) {
            abandoned.add(data);
            await forget(sid);
          }
          throw error;
        },
      )
      .then(
        () => done(),
        (error: unknown) => done(storeFailure(error)),
      );
  };

  // Store.prototype.regenerate, with the old id's deletion handed to the new session's first save when deferred.
  const regenerate = (req: Parameters<Store['regenerate']>[0], callback: Callback) => {
    if (!takeDeferral(req)) return store.regenerate(req, callback);
    const deletion = call<void>(store.destroy, req.sessionID);
    (proxy as unknown as { generate(r: typeof req): void }).generate(req);
    holdDestroy(req.session, deletion);
    callback();
  };

  // Store.prototype.load, but through the guarded `get`.
  const loadSession = (sid: string, callback: Callback) => {
    get(sid, (error, data) => {
      if (error) return callback(error);
      if (data == null) return callback();
      callback(null, store.createSession({ sessionID: sid, sessionStore: proxy } as never, data));
    });
  };

  // Store.prototype.createSession, handing the policy read with the session to its request.
  const createSession = (req: Parameters<Store['createSession']>[0], data: SessionData) => {
    attachLoadedPolicy(req, data);
    return store.createSession(req, data);
  };

  // Store.touch, except for a pending sign-in the stored TTL already outlives. Only where the store has
  // one: express-session touches only stores that implement it.
  const ttlFollowsCookie = storeTtlFollowsCookie(store);
  const touch =
    typeof store.touch === 'function'
      ? (sid: string, data: SessionData, callback?: Callback) =>
          pendingNeedsNoTouch(data, ttlFollowsCookie) ? callback?.() : store.touch!(sid, data, callback)
      : undefined;

  const proxy: S = new Proxy(store, {
    get(target, property, receiver) {
      if (property === GUARDED) return true;
      if (property === 'get') return get;
      if (property === 'set') return set;
      if (property === 'load') return loadSession;
      if (property === 'regenerate') return regenerate;
      if (property === 'createSession') return createSession;
      if (property === 'touch') return touch;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return proxy;
}
