import type { SessionData, Store } from 'express-session';
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
 * - `touch` only extends what exists (connect-redis: `EXPIRE`, which can't
 *   recreate a deleted key), so it passes through; whatever it extends is
 *   still checked at the next load.
 *
 * Nothing here depends on the store's key prefix or on a session index: a
 * session nobody deleted is still refused by its epoch.
 */
export function guardSessionStore<S extends Store>(
  store: S,
  currentEpoch: (userId: string) => Promise<number>,
): S {
  const call = <T>(method: (...args: never[]) => void, ...args: unknown[]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      (method as (...a: unknown[]) => void).call(store, ...args, (error?: unknown, value?: T) =>
        error ? reject(error) : resolve(value as T),
      );
    });
  const forget = (sid: string) => call<void>(store.destroy, sid).catch(() => undefined);

  async function load(sid: string): Promise<SessionData | null> {
    const named = sessionIdOwner(sid);
    const [data, namedEpoch] = await Promise.all([
      call<SessionData | null | undefined>(store.get, sid),
      named === null ? undefined : currentEpoch(named),
    ]);
    if (data == null) return null;
    const owner = sessionOwner(data);
    if (owner === null) return data;
    const valid =
      named === null
        ? owner.epoch === (await currentEpoch(owner.userId))
        : owner.userId === named && owner.epoch === namedEpoch;
    if (valid) return data;
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
    const owner = sessionOwner(data);
    if (owner === null) return store.set(sid, data, done);
    Promise.all([call<void>(store.set, sid, data), currentEpoch(owner.userId)])
      .then(([, epoch]) => (epoch === owner.epoch ? undefined : forget(sid)))
      .then(
        () => done(),
        (error: unknown) => done(storeFailure(error)),
      );
  };

  // Store.prototype.load, but through the guarded `get`.
  const loadSession = (sid: string, callback: Callback) => {
    get(sid, (error, data) => {
      if (error) return callback(error);
      if (data == null) return callback();
      callback(null, store.createSession({ sessionID: sid, sessionStore: proxy } as never, data));
    });
  };

  const proxy: S = new Proxy(store, {
    get(target, property, receiver) {
      if (property === GUARDED) return true;
      if (property === 'get') return get;
      if (property === 'set') return set;
      if (property === 'load') return loadSession;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return proxy;
}
