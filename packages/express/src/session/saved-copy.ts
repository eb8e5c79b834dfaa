import type { SessionData } from 'express-session';

/**
 * What a save of a session writes, minus the cookie's `expires` (express-session
 * recomputes it from `originalMaxAge` before every save, so two saves of the
 * same state differ only by the milliseconds between them).
 */
export function savedCopy(sid: string, data: SessionData): string {
  const cookie = data.cookie as (SessionData['cookie'] & { toJSON?: () => object }) | undefined;
  const cookieJson = cookie === undefined ? undefined : (cookie.toJSON?.() ?? { ...cookie });
  return JSON.stringify([sid, { ...data, cookie: { ...cookieJson, expires: undefined } }]);
}

/** The last state each live session object was saved with under its id, by this process. */
const lastSaved = new WeakMap<object, string>();

/** Whether saving `data` under `sid` would write what this same request already wrote. */
export function alreadySaved(sid: string, data: SessionData): boolean {
  const last = lastSaved.get(data);
  // Serialised only when there is something to compare with (the first save of a request has nothing).
  return last !== undefined && last === savedCopy(sid, data);
}

/** Records that `data` was written under `sid`. */
export function markSaved(sid: string, data: SessionData): void {
  lastSaved.set(data, savedCopy(sid, data));
}

/** Forgets what `data` was saved with (after a failed save or a deletion). */
export function forgetSaved(data: object): void {
  lastSaved.delete(data);
}
