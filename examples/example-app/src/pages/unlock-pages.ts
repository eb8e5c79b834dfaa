import { Router } from 'express';
import type { AppContext } from '../context.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { fail, field, requestContext } from '../request.js';
import { toMfaUser } from '../users.js';

/**
 * Unlock by e-mail (seed 002: "check your email for unlock instructions"). The
 * answer never says whether the account exists or is locked; the link opens a
 * page with a button, so a mail scanner that follows links can't use it up.
 */
export function createUnlockPages(ctx: AppContext): Router {
  const router = Router();

  router.get('/unlock', (_req, res) => {
    const body = html`<p>After several failed sign-in attempts your account is locked. We can e-mail you a link that unlocks it.</p>
<form data-api="/api/unlock/request" id="unlock-request-form" data-reset>
  <label>Username <input type="text" name="username" required></label>
  <button type="submit">Email me unlock instructions</button>
  <div class="result"></div>
</form>`;
    res.send(layout('Unlock your account', null, body));
  });

  router.post('/api/unlock/request', async (req, res) => {
    const user = ctx.users.findByUsername(field(req, 'username'));
    await ctx.mfa.unlock.request(user === null ? null : toMfaUser(user), requestContext(req));
    res.json({
      message: 'If your account is locked, we have sent unlock instructions to its e-mail address.',
    });
  });

  router.get('/unlock/redeem', (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const body = html`<form data-api="/api/unlock/redeem" id="unlock-redeem-form">
  <input type="hidden" name="token" value="${token}">
  <button type="submit">Unlock my account</button>
  <div class="result"></div>
</form>`;
    res.send(layout('Unlock your account', null, body));
  });

  router.post('/api/unlock/redeem', async (req, res) => {
    const result = await ctx.mfa.unlock.redeem(field(req, 'token'), requestContext(req));
    if (!result.ok) return fail(res, 'INVALID_TOKEN');
    res.json({ redirect: '/login?m=unlocked' });
  });

  return router;
}
