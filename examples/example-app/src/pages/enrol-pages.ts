import { Router } from 'express';
import QRCode from 'qrcode';
import type { AppContext } from '../context.js';
import { findEnroller } from '../enrolling-user.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { currentUser, saveSession, takeNotice } from '../request.js';
import { toMfaUser } from '../users.js';

/** Enrolment (TOTP with QR code, or a phone), the optional-enrolment offer, and the one-time recovery codes page. */
export function createEnrolPages(ctx: AppContext): Router {
  const router = Router();

  router.get('/mfa/enrol', async (req, res) => {
    const enroller = await findEnroller(req, ctx);
    if (enroller.state === 'expired') return res.redirect('/login?m=expired');
    if (enroller.state === 'challenge') return res.redirect('/mfa/challenge');
    if (enroller.state === 'none') return res.redirect('/login');
    const { user, forced } = enroller;
    const mfaUser = toMfaUser(user);
    const status = await ctx.mfa.status(mfaUser);
    if (!status.requirement.available) {
      req.session.notice = 'Multi-factor authentication is not available for your organisation yet.';
      await saveSession(req);
      return res.redirect('/security');
    }
    let started = req.session.totpEnrolment;
    if (status.totp === null && started === undefined) {
      const enrolment = await ctx.mfa.totp.beginEnrolment(mfaUser);
      started = { sealedSecret: enrolment.sealedSecret, secret: enrolment.secret, uri: enrolment.uri };
      req.session.totpEnrolment = started;
      await saveSession(req);
    }
    const qr = started === undefined ? null : await QRCode.toDataURL(started.uri, { margin: 1, width: 220 });
    const reason =
      status.requirement.required && status.requirement.reason === 'organisation'
        ? 'your organisation'
        : `your role (${user.roles.join(', ')})`;
    const body = html`${
      forced
        ? html`<p class="notice" id="forced-notice">Multi-factor authentication is required for ${reason}. You must set it up before you can continue.</p>`
        : ''
    }
${
  started !== undefined && qr !== null
    ? html`<fieldset id="totp-enrol"><legend>Authenticator app</legend>
<ol>
  <li>Scan this QR code with your authenticator app (Google Authenticator, Authy, 1Password…):<br>
    <img src="${qr}" alt="QR code for your authenticator app" width="220" height="220"></li>
  <li>Or enter this secret by hand: <code class="secret" id="totp-secret">${started.secret}</code></li>
  <li>Enter the 6-digit code the app shows:</li>
</ol>
<form data-api="/api/enrol/totp/confirm" id="totp-confirm-form">
  <label>Code <input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" required></label>
  <button type="submit">Turn on</button>
  <div class="result"></div>
</form></fieldset>`
    : html`<p>Your authenticator app is set up.</p>`
}
<fieldset id="sms-enrol"><legend>${status.sms === null ? 'Or use text messages' : `Change phone (now ${status.sms.maskedPhone})`}</legend>
<form data-api="/api/enrol/sms/start" id="sms-start-form">
  <label>Mobile number in international format <input type="tel" name="phone" placeholder="+14155550100" required></label>
  <button type="submit" data-cooldown>Send code</button>
  <div class="result"></div>
</form>
<form data-api="/api/enrol/sms/confirm" id="sms-confirm-form">
  <label>Code from the text message <input type="text" name="code" inputmode="numeric" required></label>
  <button type="submit">Confirm phone</button>
  <div class="result"></div>
</form>
<p class="muted">Development: +15005550001 (invalid number), +15005550004 (opted out) and +15005550500 (provider error 500) fail like Twilio.</p>
</fieldset>
${forced ? html`<form method="post" action="/logout"><button type="submit">Cancel and sign out</button></form>` : html`<p><a href="/security">Back to security settings</a></p>`}`;
    res.send(layout('Set up multi-factor authentication', forced ? null : user, body, takeNotice(req)));
  });

  router.get('/mfa/offer', async (req, res) => {
    const user = currentUser(req, ctx);
    if (user === null) return res.redirect('/login');
    const body = html`<p>Protect your account with a second step at sign-in: a code from an authenticator app or a text message.</p>
<p><a href="/mfa/enrol" id="enrol-now">Set up now</a></p>
<form data-api="/api/enrol/decline" id="decline-form">
  <button type="submit">Decline for now</button>
  <div class="result"></div>
</form>
<p class="muted">You can turn it on later from Security settings.</p>`;
    res.send(layout('Turn on multi-factor authentication?', user, body, takeNotice(req)));
  });

  router.get('/mfa/recovery-codes', async (req, res) => {
    const user = currentUser(req, ctx);
    if (user === null) return res.redirect('/login');
    const codes = req.session.freshRecoveryCodes;
    delete req.session.freshRecoveryCodes;
    await saveSession(req);
    const body =
      codes === undefined
        ? html`<p>Recovery codes are shown only once, when they are created. Generate a new set in <a href="/security">Security settings</a> if you lost them.</p>`
        : html`<p><strong>Save these recovery codes now</strong> in a password manager or another safe place. Each works once, instead of a code from your phone. They will not be shown again.</p>
<ol class="codes" id="recovery-codes">${codes.map((code) => html`<li>${code}</li>`)}</ol>
<p><a href="/" id="continue">I saved them, continue</a></p>`;
    res.send(layout('Your recovery codes', user, body, takeNotice(req)));
  });

  return router;
}
