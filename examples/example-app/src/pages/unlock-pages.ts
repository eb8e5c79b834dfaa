import { Router } from 'express';
import { html } from '../html.js';
import { layout } from '../layout.js';

/**
 * Unlock by e-mail (seed 002: "check your email for unlock instructions"),
 * through mfa-kit's unlock router. The answer never says whether the account
 * exists or is locked; the e-mailed link opens a page with a button, so a mail
 * scanner that follows links can't use the single-use token up.
 */
export function createUnlockPages(): Router {
  const router = Router();

  router.get('/unlock', (_req, res) => {
    const body = html`<p>After several failed sign-in attempts your account is locked. We can e-mail you a link that unlocks it.</p>
<form data-api="/api/account/unlock/request" id="unlock-request-form">
  <label>Username or e-mail <input type="text" name="identifier" required></label>
  <button type="submit">Email me unlock instructions</button>
  <div class="result"></div>
</form>`;
    res.send(layout('Unlock your account', null, body));
  });

  router.get('/unlock/redeem', (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const body = html`<form data-api="/api/account/unlock/redeem" id="unlock-redeem-form" data-next="/login?m=unlocked">
  <input type="hidden" name="token" value="${token}">
  <button type="submit">Unlock my account</button>
  <div class="result"></div>
</form>`;
    res.send(layout('Unlock your account', null, body));
  });

  return router;
}
