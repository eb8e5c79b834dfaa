import { Router } from 'express';
import type { AppContext } from '../context.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { currentUser, queryNotice } from '../request.js';
import { viewPending } from '../sign-in-state.js';

/** The password page and the second-factor challenge page (TOTP, SMS with "not my number", recovery code). */
export function createSignInPages(ctx: AppContext): Router {
  const router = Router();

  router.get('/login', (req, res) => {
    if (currentUser(req, ctx) !== null) return res.redirect('/');
    const body = html`<form data-api="/api/login" id="login-form">
  <label>Username <input type="text" name="username" autocomplete="username" required></label>
  <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
  <div class="result"></div>
</form>
<p class="muted">Locked out? <a href="/unlock">Email me unlock instructions</a>.</p>`;
    res.send(layout('Sign in', null, body, queryNotice(req)));
  });

  router.get('/mfa/challenge', (req, res) => {
    const view = viewPending(req, ctx);
    if (view.state === 'expired') return res.redirect('/login?m=expired');
    if (view.state === 'none') return res.redirect('/login');
    if (view.pending.stage === 'enrol') return res.redirect('/mfa/enrol');
    const { factors, maskedPhone } = view.pending;
    const body = html`<p>Signing in as <strong>${view.user.username}</strong>. Enter a code from one of your methods.</p>
${
  factors.includes('totp')
    ? html`<fieldset><legend>Authenticator app</legend>
<form data-api="/api/mfa/sign-in/totp" id="totp-form">
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
<form data-api="/api/mfa/sign-in/sms/send" id="sms-send-form"${ctx.smsToInbox ? html` data-inbox="1"` : ''}>
  <button type="submit" data-cooldown>Send code</button>
  <div class="result"></div>
</form>
<form data-api="/api/mfa/sign-in/sms" id="sms-form">
  <label>Code from the text message <input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" required></label>
  <button type="submit">Verify</button>
  <div class="result"></div>
</form>
<form data-api="/api/mfa/sign-in/not-my-number" id="not-my-number-form" data-confirm="Stop sending codes to ${maskedPhone}?">
  <button type="submit">It's not my phone number</button>
  <div class="result"></div>
</form>
</fieldset>`
    : ''
}
${
  factors.includes('recovery')
    ? html`<fieldset><legend>Recovery code</legend>
<form data-api="/api/mfa/sign-in/recovery" id="recovery-form">
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
