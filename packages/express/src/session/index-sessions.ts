import type { SessionData, Store } from 'express-session';
import type { SessionIndex } from './session-index.js';

type SetCallback = (error?: unknown) => void;

/**
 * Wraps an express-session store so that every logged-in session is filed in
 * the {@link SessionIndex} when it is first saved under its id: after
 * `req.login` (which regenerates the id) and after any later regeneration.
 * The index write goes out beside the session write inside `store.set`, and
 * the save is answered only when both succeeded (a session whose entry
 * failed is deleted again), so a session is never live without being
 * revocable. Ordinary requests that do not modify the session (express-session only calls `touch`) cost nothing
 * extra; a session already filed under its id is not filed again.
 *
 * Only sessions that went through mfa-kit's sign-in carry the user id
 * (`session.mfa.userId`); sessions logged in by other means are not indexed.
 */
export function indexSessions<S extends Store>(store: S, index: SessionIndex): S {
  const set = (sid: string, session: SessionData, callback?: SetCallback): void => {
    const done = callback ?? (() => {});
    const state = session.mfa;
    const filed = state !== undefined && state.indexedSid === sid;
    if (state === undefined || filed) {
      store.set(sid, session, done);
      return;
    }
    // The index entry and the session go out side by side (one round trip); the save is answered only
    // when both are written. A session whose entry failed is deleted again: none lives unfiled.
    // Mutates the live session object on purpose: the stored copy says it is filed, so later saves of
    // this id skip the index.
    state.indexedSid = sid;
    const saved = new Promise<void>((resolve, reject) =>
      store.set(sid, session, (error?: unknown) => (error ? reject(error) : resolve())),
    );
    Promise.allSettled([index.add(state.userId, sid), saved]).then(([filing, saving]) => {
      if (filing.status === 'rejected') {
        delete state.indexedSid;
        store.destroy(sid, () => done(filing.reason));
        return;
      }
      if (saving.status === 'rejected') return done(saving.reason);
      done();
    });
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'set') return set;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
