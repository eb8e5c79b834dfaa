/**
 * The success event of a second factor, appended beside the new session's
 * save instead of before it (one sequential round trip fewer at sign-in).
 *
 * Only a sign-in that ends in {@link completeSignIn} opts in
 * ({@link deferSuccessEvent}, the self-service router's challenge routes):
 * the strategy then asks core to start the append without awaiting it
 * (`verify(…, { successEvent: 'started' })`) and files it here, and
 * `completeSignIn` awaits it together with the session save; if the append
 * failed, the sign-in fails (503 STORE_UNAVAILABLE, the new session is
 * deleted and its cookie never sent), so an accepted decision's event is
 * never lost. A strategy used any other way awaits the event itself, as core
 * does by default.
 */

/** Requests whose strategy may hand the success event to `completeSignIn`. */
const deferring = new WeakSet<object>();
/** The started append of a request's success event, until `completeSignIn` takes it. */
const started = new WeakMap<object, Promise<void>>();

/** Lets the MFA strategy of this request hand its success event to `completeSignIn` (which must follow). */
export function deferSuccessEvent(req: object): void {
  deferring.add(req);
}

/** Whether this request's strategy may hand its success event on (see {@link deferSuccessEvent}). */
export function isDeferringSuccessEvent(req: object): boolean {
  return deferring.has(req);
}

/** Files the started append of this request's success event for `completeSignIn`. */
export function holdSuccessEvent(req: object, recorded: Promise<void>): void {
  started.set(req, recorded);
}

/** The success event `completeSignIn` must await beside the save, taken (undefined when none was deferred). */
export function takeSuccessEvent(req: object): Promise<void> | undefined {
  const recorded = started.get(req);
  started.delete(req);
  deferring.delete(req);
  return recorded;
}
