/**
 * Session-id rotation whose deletion of the old id goes out with the first
 * save of the new one (one round trip for both instead of two in a row).
 *
 * Only mfa-kit's own rotations opt in ({@link deferNextDestroy}), and each of
 * them saves the new session before it answers and then calls
 * {@link settleDeferredDestroy}: the save waits for the deletion (a failed
 * deletion fails the save, hence the request, exactly as a failed
 * `regenerate` did), and a rotation that ends without a save (an error
 * before it) still waits for the deletion there. Any other regeneration
 * (the app's own, `req.logout`) deletes first, as express-session does.
 */

/** Requests whose next regeneration defers the deletion of the old id. */
const deferring = new WeakSet<object>();
/** A regenerated session object → the deletion of the id it replaced, until its first save takes it. */
const pendingBySession = new WeakMap<object, Promise<void>>();

/** Makes the next regeneration of `req`'s session defer the old id's deletion to the new session's first save. */
export function deferNextDestroy(req: object): void {
  deferring.add(req);
}

/** Whether the regeneration of `req` now running was asked to defer (the request is then no longer marked). */
export function takeDeferral(req: object): boolean {
  const marked = deferring.has(req);
  deferring.delete(req);
  return marked;
}

/** Files the deletion of the old id under the new session object. */
export function holdDestroy(session: object, deletion: Promise<void>): void {
  // Observed by the save or by settleDeferredDestroy; never an unhandled rejection meanwhile.
  deletion.catch(() => undefined);
  pendingBySession.set(session, deletion);
}

/** The deletion a save of `session` must wait for, taken (a later save of the same object waits for nothing). */
export function takeDestroy(session: object): Promise<void> | undefined {
  const deletion = pendingBySession.get(session);
  pendingBySession.delete(session);
  return deletion;
}

/**
 * Ends a deferred rotation of `req`: clears a mark no regeneration used and
 * waits for a deletion no save took, so its failure is reported here.
 */
export async function settleDeferredDestroy(req: { session?: object }): Promise<void> {
  deferring.delete(req);
  const deletion = req.session === undefined ? undefined : takeDestroy(req.session);
  if (deletion !== undefined) await deletion;
}
