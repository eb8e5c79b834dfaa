import { checkOrigin } from '@mfa-kit/express';
import express, { Router } from 'express';
import type { AppContext } from './context.js';
import { destroySession } from './request.js';
import { toMfaUser } from './users.js';

/**
 * The app's own sign-in endpoints. `POST /api/login` is the app's existing
 * passport-local login with two mfa-kit middlewares around it: the password
 * guard (failed passwords count toward the account lock) and `startSignIn()`
 * (instead of `req.login`: log in, ask for a second factor, or force enrolment).
 */
export function createSignInRoutes(ctx: AppContext, allowedOrigins: readonly string[]): Router {
  const router = Router();
  router.post(
    '/api/login',
    checkOrigin({ allowedOrigins }),
    express.json({ limit: '4kb' }),
    ctx.kit.passwordGuard({
      findUser: (req) => {
        const username: unknown = (req.body as Record<string, unknown> | undefined)?.username;
        const user = typeof username === 'string' ? ctx.users.findByUsername(username) : null;
        return user === null ? null : toMfaUser(user);
      },
    }),
    ctx.kit.startSignIn(),
  );
  router.post('/logout', checkOrigin({ allowedOrigins }), async (req, res) => {
    await destroySession(req);
    res.clearCookie('mfa-example.sid');
    res.redirect(303, '/login?m=signed-out');
  });
  return router;
}
