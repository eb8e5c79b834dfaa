import type { Router } from 'express';
import { requestContext } from '../http/request-context.js';
import { validate } from '../http/validate.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { endSession } from '../session/complete-sign-in.js';
import { endOtherSessions } from '../session/end-other-sessions.js';
import { guard } from './access.js';
import { getActor } from './actor.js';
import { emptyBodySchema } from './schemas.js';

/**
 * - `POST /sign-out`: ends this session (signed in or pending) and deletes it.
 * - `POST /sign-out-everywhere`: ends every session of the user, this one
 *   included (epoch bump: sessions on other devices are refused at their next
 *   request, wherever they are stored).
 * - `POST /sign-out-others`: ends every other session and keeps this one, under a new id.
 */
export function registerSignOutRoutes(router: Router, kit: ResolvedMfaExpressOptions): void {
  router.post('/sign-out', async (req, res) => {
    validate(emptyBodySchema, req.body);
    await endSession(req);
    res.json({ signedOut: true });
  });
  router.post('/sign-out-everywhere', guard(kit, 'signed-in'), async (req, res) => {
    validate(emptyBodySchema, req.body);
    await kit.mfa.sessions.revokeAll(
      getActor(req).user,
      { reason: 'sign-out-everywhere' },
      requestContext(req),
    );
    await endSession(req);
    if (kit.redirects.signedOut !== undefined) return res.redirect(303, kit.redirects.signedOut);
    res.json({ signedOut: true });
  });
  router.post('/sign-out-others', guard(kit, 'signed-in'), async (req, res) => {
    validate(emptyBodySchema, req.body);
    await endOtherSessions(kit, req, { reason: 'sign-out-everywhere' });
    res.json({ signedOut: false, otherSessionsEnded: true });
  });
}
