import { Router } from 'express';
import type { AppContext } from '../context.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { currentUser, takeNotice } from '../request.js';
import { entryPoint, mustEnrolNow, viewPending } from '../sign-in-state.js';
import { FAILING_TEST_NUMBERS } from '../dev/console-sms-sender.js';
import { DEV_TWILIO_NUMBERS } from '../dev/dev-twilio.js';

const CONSOLE_FAILING: Record<string, string> = Object.fromEntries(
  Object.entries(FAILING_TEST_NUMBERS).map(([n, e]) => [
    n,
    `${e.code === 'PROVIDER_FAILURE' ? 'provider error' : 'SMS failure'} ${String(e.details.providerCode)}`,
  ]),
);
import { type AppUser, toMfaUser } from '../users.js';
import { passkeyButton } from './passkeys-page.js';

/**
 * The enrolling user: logged in, or a pending sign-in in forced enrolment
 * (seeds 002, 003). A logged-in user whose role now requires MFA (seed 003)
 * is forced too: {@link requireUser} sent them here.
 */
async function enroller(req: Parameters<typeof viewPending>[0], ctx: AppContext) {
  const user = currentUser(req, ctx);
  if (user !== null) return { state: 'ok' as const, user, forced: await mustEnrolNow(req, ctx, user) };
  const view = viewPending(req, ctx);
  if (view.state !== 'live') return { state: view.state };
  if (view.pending.stage !== 'enrol') return { state: 'challenge' as const };
  return { state: 'ok' as const, user: view.user, forced: true };
}

function reasonText(user: AppUser, reason: 'role' | 'organisation' | null | undefined): string {
  return reason === 'organisation' ? 'your organisation' : `your role (${user.roles.join(', ')})`;
}

/** Enrolment (authenticator app with QR code, or a phone) and the optional-enrolment offer (seed 000). */
export function createEnrolPages(ctx: AppContext): Router {
  const router = Router();

  router.get('/mfa/enrol', async (req, res) => {
    const who = await enroller(req, ctx);
    if (who.state === 'expired') return res.redirect('/login?m=expired');
    if (who.state === 'challenge') return res.redirect('/mfa/challenge');
    if (who.state !== 'ok') return res.redirect('/login');
    const { user, forced } = who;
    const status = await ctx.mfa.status(toMfaUser(user));
    if (!status.requirement.available) {
      req.session.notice = 'Multi-factor authentication is not available for your organisation yet.';
      return res.redirect('/security');
    }
    const next = forced ? '/' : '/security';
    const body = html`${
      forced
        ? html`<p class="notice" id="forced-notice">Multi-factor authentication is required for ${reasonText(user, req.session.mfaPending?.reason ?? (status.requirement.reason === 'organisation' ? 'organisation' : 'role'))}. You must set it up before you can continue.</p>`
        : ''
    }
${
  ctx.mfa.options.webauthn === undefined
    ? ''
    : html`<fieldset id="passkey-enrol"><legend>Passkey or security key${status.requirement.required && status.requirement.phishingResistant === true ? ' (required for your role)' : ''}</legend>
<p>Sign in with your fingerprint, face, screen lock or a security key: a fake site can't use it.</p>
${passkeyButton({ id: 'add-passkey', kind: 'register', label: 'Add a passkey', next, named: true })}
</fieldset>`
}
${
  status.requirement.required && status.requirement.phishingResistant === true
    ? html`<p class="muted" id="passkey-only">Your role requires a phishing-resistant method: a passkey or a security key.</p>`
    : html`${
        status.totp === null
          ? html`<fieldset id="totp-enrol"><legend>Authenticator app</legend>
<form data-api="/api/mfa/totp/enrol" id="totp-start-form" data-autosubmit>
  <button type="submit">Show the QR code</button>
  <div class="result"></div>
</form>
<div id="totp-setup" data-reveal hidden>
<ol>
  <li>Scan this QR code with your authenticator app (Google Authenticator, Authy, 1Password…):<br>
    <img data-fill="qrCode" id="totp-qr" alt="QR code for your authenticator app" width="220" height="220"></li>
  <li>Or enter this secret by hand: <code class="secret" id="totp-secret" data-fill="secret"></code></li>
  <li>Enter the 6-digit code the app shows:</li>
</ol>
<form data-api="/api/mfa/totp/confirm" id="totp-confirm-form" data-next="${next}">
  <label>Code <input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" required></label>
  <button type="submit">Turn on</button>
  <div class="result"></div>
</form></div></fieldset>`
          : html`<p>Your authenticator app is set up.</p>`
      }
<fieldset id="sms-enrol"><legend>${status.sms === null ? 'Or use text messages' : `Change phone (now ${status.sms.maskedPhone})`}</legend>
<form data-api="/api/mfa/sms/enrol" id="sms-start-form"${ctx.smsToInbox ? html` data-inbox="1"` : ''}>
  <label>Mobile number in international format <input type="tel" name="phone" placeholder="+14155550100" required></label>
  <button type="submit" data-cooldown>Send code</button>
  <div class="result"></div>
</form>
<form data-api="/api/mfa/sms/confirm" id="sms-confirm-form" data-next="${next}">
  <label>Code from the text message <input type="text" name="code" inputmode="numeric" required></label>
  <button type="submit">Confirm phone</button>
  <div class="result"></div>
</form>
${ctx.development ? html`<p class="muted" id="dev-numbers">Development: codes arrive in the <a href="/dev/inbox" target="_blank">dev inbox</a>. These numbers fail like Twilio: ${Object.entries(ctx.smsToInbox ? CONSOLE_FAILING : DEV_TWILIO_NUMBERS).map(([n, what], i) => html`${i > 0 ? ', ' : ''}<code>${n}</code> (${what})`)}.</p>` : ''}
</fieldset>`
}
${forced ? html`<p class="muted">Can't set it up now? Use <strong>Cancel sign-in</strong> above; you will be asked again at your next sign-in.</p>` : html`<p><a href="/security">Back to security settings</a></p>`}`;
    const viewer = forced && currentUser(req, ctx) === null ? { pending: user } : user;
    res.send(layout('Set up multi-factor authentication', viewer, body, takeNotice(req), ctx.development));
  });

  router.get('/mfa/offer', async (req, res) => {
    const user = currentUser(req, ctx);
    // A sign-in in progress goes back to its step (forced enrolment never dead-ends at /login).
    if (user === null) return res.redirect(entryPoint(req));
    const requirement = await ctx.mfa.requirement(toMfaUser(user));
    // Required but inside a grace period: no "decline", only "later" (the grace runs out).
    const grace = requirement.required ? requirement.graceRemaining : null;
    const parts =
      grace === null
        ? []
        : [
            grace.signIns === null ? null : `Sign-ins left without it: ${grace.signIns}.`,
            grace.until === null
              ? null
              : `It is required from ${new Date(grace.until).toISOString().slice(0, 10)}.`,
          ].filter((x) => x !== null);
    const left = grace?.signIns === 0 ? 'This was your last sign-in without it.' : parts.join(' ');
    const body = requirement.required
      ? html`<p class="notice" id="grace-notice">Multi-factor authentication is now required for your account. You are in a grace period; after it you must set it up to continue. ${left}</p>
<p><a href="/mfa/enrol" id="enrol-now">Set up now</a> · <a href="/" id="later">Remind me later</a></p>`
      : html`<p>Protect your account with a second step at sign-in: a code from an authenticator app or a text message.</p>
<p><a href="/mfa/enrol" id="enrol-now">Set up now</a></p>
<form data-api="/api/mfa/decline" id="decline-form" data-next="/?m=declined">
  <button type="submit">Decline for now</button>
  <div class="result"></div>
</form>
<p class="muted">You can turn it on later from Security settings.</p>`;
    res.send(layout('Turn on multi-factor authentication?', user, body, null, ctx.development));
  });

  return router;
}
