import type { WebAuthnCredentialInfo } from '@mfa-kit/core';
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { takeNotice } from '../request.js';
import { requireUser, userOf } from '../sign-in-state.js';
import { toMfaUser } from '../users.js';

function when(ms: number | null): string {
  return ms === null ? 'never' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The button that runs a WebAuthn ceremony through the client script (`data-webauthn`): `register`,
 * `sign-in` (a pending sign-in), or `step-up` ("Confirm with a passkey": options from
 * `/api/mfa/verify/webauthn/options`, then `{ factor: 'webauthn', response }` to `verify`, by default
 * `/api/mfa/verify`; `/api/mfa/disable` and `/api/mfa/recovery-codes` take the same proof).
 */
export function passkeyButton(input: {
  id: string;
  kind: 'register' | 'sign-in' | 'step-up';
  label: string;
  next?: string;
  named?: boolean;
  trust?: SafeHtml | '';
  verify?: string;
  confirm?: string;
  danger?: boolean;
}): SafeHtml {
  const urls =
    input.kind === 'register'
      ? html` data-options="/api/mfa/webauthn/register/options" data-verify="/api/mfa/webauthn/register/verify"`
      : input.kind === 'sign-in'
        ? html` data-options="/api/mfa/sign-in/webauthn/options" data-verify="/api/mfa/sign-in/webauthn"`
        : html` data-options="/api/mfa/verify/webauthn/options" data-verify="${input.verify ?? '/api/mfa/verify'}"`;
  const next = input.next === undefined ? '' : html` data-next="${input.next}"`;
  const confirm = input.confirm === undefined ? '' : html` data-confirm="${input.confirm}"`;
  return html`<form id="${input.id}" data-webauthn="${input.kind}"${urls}${next}${confirm}>
  ${input.named === true ? html`<label>Name (e.g. "Laptop", "YubiKey") <input type="text" name="name" maxlength="64"></label>` : ''}
  ${input.trust ?? ''}
  <button type="submit"${input.danger === true ? html` class="danger"` : ''}>${input.label}</button>
  <div class="result"></div>
</form>`;
}

function credentialTable(credentials: readonly WebAuthnCredentialInfo[]): SafeHtml {
  if (credentials.length === 0) return html`<p id="no-passkeys">No passkeys or security keys yet.</p>`;
  return html`<table id="passkeys"><thead><tr><th>Name</th><th>Added</th><th>Last used</th><th>Synced</th><th></th></tr></thead>
<tbody>${credentials.map(
    (c) =>
      html`<tr data-credential="${c.id}"><td class="passkey-name">${c.name}</td><td>${when(c.createdAt)}</td><td class="passkey-used">${when(c.lastUsedAt)}</td><td>${c.backupEligible ? 'yes' : 'no'}</td><td>
<form data-api="/api/mfa/webauthn/credentials/${c.id}" data-method="PATCH" class="rename-passkey" data-next="/security/passkeys"><input type="text" name="name" value="${c.name}" maxlength="64" required aria-label="New name"><button type="submit" class="secondary">Rename</button><div class="result"></div></form>
<form data-api="/api/mfa/webauthn/credentials/${c.id}" data-method="DELETE" class="remove-passkey" data-next="/security/passkeys" data-confirm="Remove ${c.name}? Your other sessions will be signed out."><button type="submit" class="danger">Remove</button><div class="result"></div></form>
</td></tr>`,
  )}</tbody></table>`;
}

/**
 * "Passkeys and security keys" (self-service): list, add (fresh proof, like
 * any factor change), rename and remove (fresh proof; every other session
 * ends). `?required=1`: `requireMfa()` sent an admin here because their role
 * requires phishing-resistant MFA and their session's proof is a code: add a
 * passkey, or confirm with one they have (a passkey step-up, `POST /verify`).
 */
export function createPasskeysPage(ctx: AppContext): Router {
  const router = Router();
  router.get('/security/passkeys', requireUser(ctx), async (req, res) => {
    const user = userOf(res);
    const available = ctx.mfa.options.webauthn !== undefined;
    const credentials = available ? await ctx.mfa.webauthn.list(toMfaUser(user)) : [];
    const required = req.query['required'] === '1';
    const body = html`${
      required
        ? html`<p class="notice" id="passkey-required" role="alert">Your role requires a passkey or security key (phishing-resistant sign-in). ${
            credentials.length === 0
              ? 'Add one now to continue.'
              : html`Confirm it is you with your passkey to continue (or <a href="/logout" id="sign-in-with-passkey">sign out</a> and sign in with it).`
          }</p>${
            credentials.length === 0
              ? ''
              : passkeyButton({
                  id: 'required-confirm-with-passkey',
                  kind: 'step-up',
                  label: 'Confirm with a passkey',
                  next: '/admin/users',
                })
          }`
        : ''
    }
${
  available
    ? html`<p>Passkeys and security keys sign you in without a code, and a fake site can't use them.</p>
${credentialTable(credentials)}
<fieldset><legend>Add a passkey or security key</legend>
${passkeyButton({ id: 'add-passkey', kind: 'register', label: 'Add a passkey', next: required ? '/admin/users' : '/security/passkeys', named: true })}
</fieldset>`
    : html`<p id="passkeys-unavailable">Passkeys need the app to be opened by a domain name (e.g. http://localhost:3000), not an IP address.</p>`
}
<p><a href="/security">Back to security settings</a></p>`;
    res.send(layout('Passkeys and security keys', user, body, takeNotice(req), ctx.development));
  });
  return router;
}
