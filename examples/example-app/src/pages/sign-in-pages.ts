import { type Request, Router } from 'express';
import type { AppContext } from '../context.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { currentUser } from '../request.js';
import { readPending } from '../sign-in-state.js';

/** Fixed messages for `/login?m=…` (never reflect arbitrary query text). */
const LOGIN_MESSAGES: Readonly<Record<string, string>> = {
  'signed-out': 'You signed out.',
  expired: 'Your session expired. Sign in again.',
  'mfa-disabled':
    'Multi-factor authentication is off. For your security you were signed out everywhere: sign in again.',
  unlocked: 'Your account is unlocked. Sign in again.',
};

function loginMessage(req: Request): string | null {
  const key = typeof req.query.m === 'string' ? req.query.m : '';
  return LOGIN_MESSAGES[key] ?? null;
}

/** The password page and the second-factor challenge page. */
export function createSignInPages(ctx: AppContext): Router {
  const router = Router();

  router.get('/login', (req, res) => {
    if (currentUser(req, ctx) !== null) return res.redirect('/');
    const message = loginMessage(req);
    res.send(
      layout(
        'Sign in',
        null,
        html`<form data-api="/api/login" id="login-form">
  <label>Username <input type="text" name="username" autocomplete="username" required></label>
  <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
  <div class="result"></div>
</form>
<p class="muted">Locked out? <a href="/unlock">Email me unlock instructions</a>.</p>`,
        message,
      ),
    );
  });

  router.get('/mfa/challenge', async (req, res) => {
    const lookup = await readPending(req, ctx);
    if (lookup.state === 'expired') return res.redirect('/login?m=expired');
    if (lookup.state === 'none') return res.redirect('/login');
    if (lookup.pending.stage === 'enrol') return res.redirect('/mfa/enrol');
    const { factors, maskedPhone } = lookup.pending;
    const body = html`<p>Signing in as <strong>${lookup.user.username}</strong>. Enter a code from one of your methods.</p>
${
  factors.includes('totp')
    ? html`<fieldset><legend>Authenticator app</legend>
<form data-api="/api/challenge/verify" id="totp-form">
  <input type="hidden" name="factor" value="totp">
  <label>6-digit code <input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" required></label>
  <button type="submit">Verify</button>
  <div class="result"></div>
</form>
<p class="muted">Codes refresh every 30 seconds and rely on accurate time: if codes are rejected, set your phone's time to automatic.</p>
</fieldset>`
    : ''
}
${
  factors.includes('sms') && maskedPhone !== null
    ? html`<fieldset id="sms-box"><legend>Text message to ${maskedPhone}</legend>
<form data-api="/api/challenge/sms" id="sms-send-form">
  <button type="submit" data-cooldown>Send code</button>
  <div class="result"></div>
</form>
<form data-api="/api/challenge/verify" id="sms-form">
  <input type="hidden" name="factor" value="sms">
  <label>Code from the text message <input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" required></label>
  <button type="submit">Verify</button>
  <div class="result"></div>
</form>
<form data-api="/api/challenge/not-my-number" id="not-my-number-form" data-confirm="Stop sending codes to ${maskedPhone}?">
  <button type="submit">It's not my phone number</button>
  <div class="result"></div>
</form>
</fieldset>`
    : ''
}
${
  factors.includes('recovery')
    ? html`<fieldset><legend>Recovery code</legend>
<form data-api="/api/challenge/verify" id="recovery-form">
  <input type="hidden" name="factor" value="recovery">
  <label>Recovery code (e.g. kayp-lz3p-ke5v-5j1h) <input type="text" name="code" autocomplete="off" required></label>
  <button type="submit">Use recovery code</button>
  <div class="result"></div>
</form>
<p class="muted">Each recovery code works once.</p>
</fieldset>`
    : ''
}
<form method="post" action="/logout"><button type="submit">Cancel</button></form>`;
    res.send(layout('Two-step verification', null, body));
  });

  return router;
}
