import { Router } from 'express';
import type { AppContext } from '../context.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { requireUser, userOf } from '../sign-in-state.js';
import { toMfaUser } from '../users.js';
import { passkeyButton } from './passkeys-page.js';
import { proofFields } from './proof-fields.js';

/** Only a path of this app (never `//host` or a URL) may be the page to go back to. */
function localPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[\w\-./?=&%]*$/.test(value) ? value : '/security';
}

/**
 * "Confirm it's you": where the client script sends a user whose change of
 * security settings was refused with 403 MFA_REQUIRED (`stepUp: true`, no
 * fresh proof in this session). A user with a factor verifies it
 * (`POST /api/mfa/verify`, which gives the session fresh proof and a new id)
 * and goes back: "Confirm with a passkey" when they have one
 * (`navigator.credentials.get()` with the options of
 * `POST /api/mfa/verify/webauthn/options`), or a code. `?passkey=1`: the
 * refusal said only a passkey will do (`requiredFactor: 'webauthn'`); a user
 * whose role requires phishing-resistant MFA gets no code form either (the
 * API refuses their code step-up).
 * A user without any factor signs in again, since a fresh password step is
 * their only proof.
 */
export function createConfirmPage(ctx: AppContext): Router {
  const router = Router();
  router.get('/confirm', requireUser(ctx), async (req, res) => {
    const user = userOf(res);
    const next = localPath(req.query['next']);
    const status = await ctx.mfa.status(toMfaUser(user));
    const passkey = ctx.mfa.options.webauthn !== undefined && status.webauthn.length > 0;
    // A role that requires phishing-resistant MFA steps up with the passkey alone (a code is refused).
    const strong = status.requirement.required && status.requirement.phishingResistant === true;
    const passkeyOnly = passkey && (strong || req.query['passkey'] === '1');
    const codes = status.totp !== null || status.sms !== null || status.recoveryCodesRemaining > 0;
    const body = status.enrolled
      ? html`<p id="confirm-intro">For your security, confirm it is you before changing how you sign in.</p>
${passkeyOnly ? html`<p class="notice" id="confirm-passkey-required" role="alert">Your role requires a passkey or security key for this: confirm with your passkey (a code won't do).</p>` : ''}
${passkey ? passkeyButton({ id: 'confirm-with-passkey', kind: 'step-up', label: 'Confirm with a passkey', next }) : ''}
${
  codes && !passkeyOnly
    ? html`<form data-api="/api/mfa/verify" id="confirm-form" data-next="${next}">
  ${proofFields(status, ctx.smsToInbox)}
  <button type="submit">Confirm${passkey ? ' with a code' : ''}</button>
  <div class="result"></div>
</form>`
    : ''
}`
      : html`<p id="confirm-intro">For your security, sign in again before changing how you sign in.</p>
<form method="post" action="/api/logout" id="confirm-sign-in-again"><button type="submit">Sign in again</button></form>`;
    res.send(layout("Confirm it's you", user, body));
  });
  return router;
}
