import type { Requirement } from '@mfa-kit/core';
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { passkeyButton } from './passkeys-page.js';
import { proofFields } from './proof-fields.js';
import { takeNotice } from '../request.js';
import { requireUser, userOf } from '../sign-in-state.js';
import { toMfaUser } from '../users.js';

function describeRequirement(requirement: Requirement): string {
  if (!requirement.available)
    return 'Multi-factor authentication is not available for your organisation yet. Contact your administrator.';
  if (!requirement.required) return 'Optional for your account.';
  return requirement.reason === 'role' ? 'Required for your role.' : 'Required by your organisation.';
}

/** Security settings: MFA status, enable later (seed 000), recovery codes, phone, disable (seeds 001, 002). */
export function createSecurityPage(ctx: AppContext): Router {
  const router = Router();
  router.get('/security', requireUser(ctx), async (req, res) => {
    const user = userOf(res);
    const status = await ctx.mfa.status(toMfaUser(user));
    const { requirement } = status;
    // A passkey proves it is you too ("Confirm with a passkey": the step-up options, then the route).
    const passkey = ctx.mfa.options.webauthn !== undefined && status.webauthn.length > 0;
    const body = html`<section id="mfa-status">
<h2>Multi-factor authentication: <span id="mfa-state">${status.enrolled ? 'On' : 'Off'}</span></h2>
<p id="mfa-requirement">${describeRequirement(requirement)}</p>
<ul>
  <li>Authenticator app: ${status.totp ? 'set up' : 'not set up'}</li>
  <li>Text messages: ${status.sms ? `to ${status.sms.maskedPhone}` : 'not set up'}</li>
  <li>Recovery codes left: <span id="recovery-remaining">${status.recoveryCodesRemaining}</span></li>
  <li>Passkeys and security keys: <span id="passkey-count">${String(status.webauthn.length)}</span></li>
</ul>
${ctx.mfa.options.webauthn === undefined ? '' : html`<p><a href="/security/passkeys" id="passkeys-link">Passkeys and security keys</a>: add, rename or remove</p>`}
${status.enrolled ? html`<p><a href="/security/devices" id="trusted-devices-link">Trusted devices</a>: browsers that skip the second factor</p>` : ''}
</section>
${
  requirement.available && !status.enrolled
    ? html`<p><a href="/mfa/enrol" id="enable-mfa">Enable MFA</a></p>`
    : ''
}
${
  requirement.available && status.enrolled
    ? html`<p><a href="/mfa/enrol">${status.totp ? 'Add or change phone number' : 'Add an authenticator app or change phone'}</a></p>
<fieldset><legend>Recovery codes</legend>
<p>Generate a new set; the old codes stop working.</p>
<form data-api="/api/mfa/recovery-codes" id="regenerate-form" data-next="/security">
  ${proofFields(status, ctx.smsToInbox)}
  <button type="submit">Generate new recovery codes</button>
  <div class="result"></div>
</form>
${passkey ? passkeyButton({ id: 'regenerate-with-passkey', kind: 'step-up', label: 'Confirm with a passkey and generate', verify: '/api/mfa/recovery-codes', next: '/security' }) : ''}</fieldset>
<fieldset id="disable-mfa"${requirement.required ? html` disabled` : ''}><legend>Disable MFA</legend>
${requirement.required ? html`<p class="why" id="disable-why">Your ${requirement.reason === 'role' ? 'role' : 'organisation'} requires MFA, so it can't be turned off here. An administrator can reset it if you lose your device.</p>` : html`<p>Turns off every method and signs you out everywhere. Use a different recovery code from the one you signed in with.</p>`}
<form data-api="/api/mfa/disable" id="disable-form" data-confirm="Turn off multi-factor authentication?">
  ${proofFields(status, ctx.smsToInbox)}
  <button type="submit" class="danger">Deactivate</button>
  <div class="result"></div>
</form>
${passkey ? passkeyButton({ id: 'disable-with-passkey', kind: 'step-up', label: 'Confirm with a passkey and deactivate', verify: '/api/mfa/disable', confirm: 'Turn off multi-factor authentication?', danger: true }) : ''}</fieldset>`
    : ''
}`;
    res.send(layout('Security settings', user, body, takeNotice(req), ctx.development));
  });
  return router;
}
