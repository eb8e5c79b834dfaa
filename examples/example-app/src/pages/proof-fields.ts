import type { UserMfaStatus } from '@mfa-kit/core';
import { html, type SafeHtml } from '../html.js';

/**
 * Factor + code fields. With SMS enrolled, "Text me a code" calls
 * `POST /api/mfa/sms/send` (client script: `data-sms-send`) so an SMS-only
 * user can answer with a texted code instead of a recovery code.
 */
export function proofFields(status: UserMfaStatus, smsToInbox: boolean): SafeHtml {
  return html`<label>Prove it is you with
  <select name="factor">
    ${status.totp ? html`<option value="totp">authenticator app code</option>` : ''}
    ${status.sms ? html`<option value="sms">code texted to ${status.sms.maskedPhone}</option>` : ''}
    ${status.recoveryCodesRemaining > 0 ? html`<option value="recovery">recovery code</option>` : ''}
  </select></label>
  <label>Code <input type="text" name="code" autocomplete="off" required></label>
  ${
    status.sms
      ? html`<button type="button" class="sms-send" data-sms-send="/api/mfa/sms/send" data-cooldown${smsToInbox ? html` data-inbox="1"` : ''}>Text me a code</button>`
      : ''
  }`;
}
