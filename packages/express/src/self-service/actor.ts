import type { MfaUser } from '@mfa-kit/core';
import type { Request } from 'express';
import type { PendingSignIn } from '../session/session-data.js';

/** Who is calling a self-service route: a logged-in user or a pending sign-in. */
export interface Actor {
  user: MfaUser;
  /** The object to give `req.login` (the app's user for logged-in sessions, `loadUser`'s result otherwise). */
  loginUser: Express.User;
  /** Set when the caller is a pending sign-in rather than a logged-in session. */
  pending: PendingSignIn | null;
}

const actors = new WeakMap<Request, Actor>();

/** Remembers the actor an access guard resolved, for the route handler of the same request. */
export function setActor(req: Request, actor: Actor): void {
  actors.set(req, actor);
}

/** The actor the route's access guard resolved. Throws if the route was mounted without a guard. */
export function getActor(req: Request): Actor {
  const actor = actors.get(req);
  if (actor === undefined) throw new Error('self-service route mounted without an access guard');
  return actor;
}
