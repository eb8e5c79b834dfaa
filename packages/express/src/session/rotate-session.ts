import type { Request } from 'express';
import { deferNextDestroy, settleDeferredDestroy } from './deferred-destroy.js';
import { claimNextSessionId } from './session-id.js';

/** Deletes every key of the session except its cookie and `keep` (the password step drops what an anonymous session brought). */
export function keepOnly(req: Request, keep: readonly string[]): void {
  const data = req.session as unknown as Record<string, unknown>;
  for (const key of Object.keys(data)) if (key !== 'cookie' && !keep.includes(key)) delete data[key];
}

/**
 * Gives the request a new session id owned by `owner` (OWASP Session
 * Management: renew the id at every change of privilege) and saves it before
 * returning. The session's data moves to the new id, then `update` changes
 * it; the old id's deletion, the new id's write and its epoch check go out
 * together (one round trip), and a failure of any of them rejects. The save
 * express-session makes at the end of the response then writes nothing new
 * and is skipped by the guarded store.
 */
export async function rotateSession(
  req: Request,
  owner: string | null,
  update?: (session: Request['session']) => void,
): Promise<void> {
  const carried = { ...(req.session as unknown as Record<string, unknown>) };
  delete carried['cookie'];
  claimNextSessionId(req, owner);
  deferNextDestroy(req);
  try {
    await new Promise<void>((resolve, reject) => {
      req.session.regenerate((error: unknown) => (error ? reject(error) : resolve()));
    });
    Object.assign(req.session, carried);
    update?.(req.session);
    await new Promise<void>((resolve, reject) => {
      req.session.save((error: unknown) => (error ? reject(error) : resolve()));
    });
  } finally {
    await settleDeferredDestroy(req);
  }
}
