import type { Request } from 'express';
import { claimNextSessionId } from './session-id.js';

/** Deletes every key of the session except its cookie and `keep` (the password step drops what an anonymous session brought). */
export function keepOnly(req: Request, keep: readonly string[]): void {
  const data = req.session as unknown as Record<string, unknown>;
  for (const key of Object.keys(data)) if (key !== 'cookie' && !keep.includes(key)) delete data[key];
}

/**
 * Gives the request a new session id owned by `owner` (OWASP Session
 * Management: renew the id at every change of privilege). express-session
 * destroys the old id in the store; the session's data moves to the new id.
 */
export function rotateSession(req: Request, owner: string | null): Promise<void> {
  const carried = { ...(req.session as unknown as Record<string, unknown>) };
  delete carried['cookie'];
  claimNextSessionId(req, owner);
  return new Promise((resolve, reject) => {
    req.session.regenerate((error: unknown) => {
      if (error) return reject(error);
      Object.assign(req.session, carried);
      resolve();
    });
  });
}
