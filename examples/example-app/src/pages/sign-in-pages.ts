import { Router } from 'express';
import type { AppContext } from '../context.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { currentUser, queryNotice } from '../request.js';
import { viewPending } from '../sign-in-state.js';
import { passkeyButton } from './passkeys-page.js';

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
    res.send(layout('Sign in', null, body, queryNotice(req), ctx.development));
  });

  router.get('/mfa/challenge', async (req, res) => {
    const view = viewPending(req, ctx);
    if (view.state === 'expired') return res.redirect('/login?m=expired');
    if (view.state === 'none') return res.redirect('/login');
    if (view.pending.stage === 'enrol') return res.redirect('/mfa/enrol');
    const { factors, maskedPhone } = view.pending;
    const days = Math.round(ctx.mfa.options.trustedDevices.ttlMs / 86_400_000);
    // "Remember this device": sent as trustDevice with the code (the client script sends checkboxes as booleans).
    // Offered only to roles the policy lets trust devices (mfa-kit refuses the others anyway).
    const forbidden = (await ctx.mfa.admin.getPolicy()).trustedDevices?.forbiddenRoles ?? [];
    const trust = view.user.roles.some((role) => forbidden.includes(role))
      ? ''
      : html`<label class="trust"><input type="checkbox" name="trustDevice"> Trust this device for ${String(days)} days</label>`;
    const body = html`<p>Signing in as <strong>${view.user.username}</strong>. Enter a code from one of your methods.</p>
${
  factors.includes('webauthn')
    ? html`<fieldset id="passkey-box"><legend>Passkey or security key</legend>
${passkeyButton({ id: 'passkey-sign-in', kind: 'sign-in', label: 'Use a passkey', next: '/', trust })}
</fieldset>`
    : ''
}
${
  factors.includes('totp')
    ? html`<fieldset><legend>Authenticator app</legend>
<form data-api="/api/mfa/sign-in/totp" id="totp-form">
  <label>6-digit code <input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" required></label>
  ${trust}
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
  ${trust}
  <button type="submit">Verify</button>
  <div class="result"></div>
</form>
<form data-api="/api/mfa/sign-in/not-my-number" id="not-my-number-form" data-confirm="Stop sending codes to ${maskedPhone}? ${factors.includes('totp') ? 'You can still sign in with your authenticator app or a recovery code.' : 'Text messages are your only way to sign in: your account will be locked until an administrator checks it is you.'}">
  <button type="submit" class="secondary">It's not my phone number</button>
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
`;
    res.send(
      layout('Two-step verification', { pending: view.user }, body, queryNotice(req), ctx.development),
    );
  });

  // "It's not my phone number" when SMS was the only factor: the account is locked and the
  // sign-in is over, so the page says so and offers nothing that would fail (seed 004).
  router.get('/mfa/not-my-number', (_req, res) => {
    const body = html`<p class="error" id="not-my-number-locked" role="alert">We will not send codes to that number any more.
Text messages were your only way to sign in, so your account is now <strong>locked</strong> until an administrator checks it is you.</p>
<p>Contact your administrator: they can unlock your account or reset your multi-factor authentication so you can set up a new phone or an authenticator app.</p>
<p><a href="/">Back to the start page</a></p>`;
    res.send(layout('Account locked', null, body, null, ctx.development));
  });

  return router;
}
