/**
 * The only front-end code. Forms marked `data-api` are sent as JSON with
 * `fetch` to mfa-kit's routes (or the app's `/api/login`). An error shows the
 * uniform error body (`{ error: { code, message, retryAfter?, fields?,
 * providerCode?, hint? } }`) as a readable sentence; a success is read by
 * what it contains:
 * - `status` (sign-in): `challenge` → /mfa/challenge, `enrol` → /mfa/enrol,
 *   `signed-in` → home (or the optional-enrolment offer, seed 000);
 * - `recoveryCodes`: shown once, in the page, never stored (seed 001);
 * - `qrCode`/`secret` (TOTP enrolment): filled into `[data-fill]` elements;
 * - `sent` (SMS): "we sent a code" and the resend countdown;
 * - `signedOut` (MFA disabled): back to sign in (seed 001);
 * - `notMyNumber`: the locked-account page, or the challenge without SMS (seed 004);
 * - otherwise `data-next` (navigate) or a message.
 * A `form[data-webauthn]` (`register`, `sign-in` or `step-up`) runs a WebAuthn
 * ceremony: options from `data-options`, `navigator.credentials` with the
 * browser's own JSON helpers, then `{ response, name?, trustDevice? }` to
 * `data-verify` (`step-up`: `{ factor: 'webauthn', response }`, "Confirm with
 * a passkey"). A 403 MFA_REQUIRED with `stepUp` goes to "Confirm it's you"
 * (`/confirm?passkey=1` when `requiredFactor` is `webauthn`: only a passkey
 * will do).
 * Attributes: `data-method` (default POST), `data-body` (a named body
 * builder), `data-confirm`, `data-success`, `data-autosubmit`.
 *
 * A `button[data-sms-send]` inside a form (Security settings: "Text me a
 * code") POSTs `{}` to that URL (`/api/mfa/sms/send`), shows "we sent a code"
 * or the error in the form's result, starts the resend countdown, and selects
 * factor `sms` so the form submits the texted code.
 */
export const CLIENT_SCRIPT = `
'use strict';
function mfaDuration(seconds) {
  if (seconds < 90) return seconds + ' second' + (seconds === 1 ? '' : 's');
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return minutes + ' minutes';
  return Math.ceil(minutes / 60) + ' hours';
}
function mfaErrorText(error) {
  let text = error.message || 'Something went wrong.';
  if (error.retryAfter) text += ' Try again in ' + mfaDuration(error.retryAfter) + '.';
  if (error.fields) text += ' ' + Object.entries(error.fields).map(([k, v]) => k + ': ' + v).join('; ');
  // Name the provider's code once: the message may already contain it.
  if (error.providerCode !== undefined && !text.includes(String(error.providerCode))) text += ' (provider error code ' + error.providerCode + ')';
  if (error.hint) text += ' ' + error.hint;
  return text;
}
function mfaOutput(form) {
  return form.querySelector('.result') || document.getElementById('result');
}
function mfaShow(form, kind, text, code) {
  const out = mfaOutput(form);
  if (!out) { alert(text); return; }
  out.className = 'result ' + kind;
  out.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  if (code) out.dataset.code = code; else delete out.dataset.code;
  out.textContent = text;
  const link = code === 'ACCOUNT_LOCKED' ? ['/unlock', ' Email me unlock instructions']
    : code === 'SESSION_EXPIRED' || code === 'UNAUTHENTICATED' && !form.matches('#login-form') ? ['/login', ' Sign in again'] : null;
  if (link) {
    const a = document.createElement('a');
    a.href = link[0];
    a.textContent = link[1];
    out.appendChild(a);
  }
}
function mfaCooldown(form, seconds) {
  const button = form.querySelector('[data-cooldown]');
  if (!button) return;
  const label = button.dataset.label || button.textContent;
  button.dataset.label = label;
  let left = seconds;
  button.disabled = true;
  const tick = () => {
    if (left <= 0) { button.disabled = false; button.textContent = label; return; }
    button.textContent = label + ' (available in ' + left + ' s)';
    left -= 1;
    setTimeout(tick, 1000);
  };
  tick();
}
function mfaShowCodes(codes, next) {
  // The codes follow a completed enrolment: a pending sign-in's "Cancel sign-in" no longer applies.
  for (const el of document.querySelectorAll('[data-pending]')) el.remove();
  const main = document.querySelector('main');
  main.replaceChildren();
  const h = document.createElement('h1');
  h.textContent = 'Your recovery codes';
  const p = document.createElement('p');
  p.textContent = 'Save these recovery codes now in a password manager or another safe place. Each works once, instead of a code from your phone. They will not be shown again.';
  const list = document.createElement('ol');
  list.id = 'recovery-codes';
  list.className = 'codes';
  for (const code of codes) { const li = document.createElement('li'); li.textContent = code; list.appendChild(li); }
  const a = document.createElement('a');
  a.id = 'continue';
  a.href = next || '/';
  a.textContent = 'I saved them, continue';
  main.append(h, p, list, a);
}
const mfaBodies = {
  roles(data) {
    return { roles: [data.role] };
  },
  policy(data) {
    const until = (data.graceUntil || '').trim();
    const signIns = (data.graceSignIns || '').trim();
    const grace = until === '' && signIns === '' ? null : {};
    if (grace && signIns !== '') grace.signIns = Number(signIns);
    if (grace && until !== '') grace.until = Date.parse(until + 'T23:59:59.999Z');
    const body = {
      requiredRoles: data.requiredRoles || [],
      requiredOrgs: data.requiredOrgs || [],
      rollout: data.rolloutMode === 'orgs' ? { mode: 'orgs', orgs: data.rolloutOrgs || [] } : { mode: 'all' },
      grace,
      allowSelfUnlock: data.allowSelfUnlock === true,
      phishingResistantRoles: data.phishingResistantRoles || [],
    };
    if ((data.reason || '').trim() !== '') body.reason = data.reason.trim();
    if (data.version) body.version = data.version;
    return body;
  },
};
function mfaFormData(form) {
  const data = {};
  for (const [key, value] of new FormData(form)) {
    if (key.endsWith('[]')) { const k = key.slice(0, -2); (data[k] = data[k] || []).push(value); }
    else data[key] = value;
  }
  for (const box of form.querySelectorAll('input[type=checkbox][name]:not([name$="[]"])')) data[box.name] = box.checked;
  const build = form.dataset.body && mfaBodies[form.dataset.body];
  return build ? build(data) : data;
}
function mfaSucceeded(form, body) {
  if (Array.isArray(body.recoveryCodes)) { mfaShowCodes(body.recoveryCodes, form.dataset.next); return; }
  if (body.status === 'challenge') { location.assign('/mfa/challenge'); return; }
  if (body.status === 'enrol') { location.assign('/mfa/enrol'); return; }
  if (body.status === 'signed-in') { location.assign(body.offerEnrolment ? '/mfa/offer' : form.dataset.next || '/'); return; }
  if (body.signedOut) { location.assign('/login?m=mfa-disabled'); return; }
  if (body.qrCode) {
    for (const el of document.querySelectorAll('[data-fill]')) {
      const value = body[el.dataset.fill];
      if (el.tagName === 'IMG') el.src = value; else el.textContent = value;
    }
    for (const el of document.querySelectorAll('[data-reveal]')) el.hidden = false;
    form.hidden = true;
    return;
  }
  if (body.sent) {
    mfaShow(form, 'ok', 'We sent a code to ' + body.maskedPhone + '.' + (form.dataset.inbox ? ' (Development: see the dev inbox.)' : ''));
    mfaCooldown(form, Math.ceil(body.resendAfterMs / 1000));
    return;
  }
  if (body.notMyNumber) { location.assign(body.locked ? '/mfa/not-my-number' : '/mfa/challenge?m=not-my-number'); return; }
  if (form.dataset.next) { location.assign(form.dataset.next); return; }
  mfaShow(form, 'ok', body.message || form.dataset.success || 'Done.');
}
// 403 MFA_REQUIRED with stepUp: no fresh proof in this session; confirm it's you, then come back.
function mfaConfirmItsYou(error) {
  const passkey = error && error.requiredFactor === 'webauthn' ? 'passkey=1&' : '';
  location.assign('/confirm?' + passkey + 'next=' + encodeURIComponent(location.pathname + location.search));
}
async function mfaSubmit(form) {
  const submit = form.querySelector('button[type=submit]');
  if (submit) submit.disabled = true;
  try {
    const res = await fetch(form.dataset.api, {
      method: form.dataset.method || 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(mfaFormData(form)),
      credentials: 'same-origin',
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      const error = body.error || { code: 'INTERNAL', message: 'Request failed (' + res.status + ').' };
      if (error.code === 'MFA_REQUIRED' && error.stepUp) { mfaConfirmItsYou(error); return; }
      mfaShow(form, 'error', mfaErrorText(error), error.code);
      return;
    }
    mfaSucceeded(form, body);
  } catch (err) {
    mfaShow(form, 'error', 'Network error: ' + err.message, 'NETWORK');
  } finally {
    if (submit && !(submit.textContent || '').includes('available in')) submit.disabled = false;
  }
}
async function mfaSendSms(button) {
  const form = button.form;
  if (!form) return;
  button.disabled = true;
  let cooldown = 0;
  try {
    const res = await fetch(button.dataset.smsSend, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: '{}',
      credentials: 'same-origin',
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      const error = body.error || { code: 'INTERNAL', message: 'Request failed (' + res.status + ').' };
      mfaShow(form, 'error', mfaErrorText(error), error.code);
      return;
    }
    const factor = form.querySelector('select[name=factor]');
    if (factor) factor.value = 'sms';
    mfaShow(form, 'ok', 'We sent a code to ' + body.maskedPhone + '. Enter it under Code.' + (button.dataset.inbox ? ' (Development: see the dev inbox.)' : ''));
    cooldown = Math.ceil((body.resendAfterMs || 0) / 1000);
    const input = form.querySelector('input[name=code]');
    if (input) input.focus();
  } catch (err) {
    mfaShow(form, 'error', 'Network error: ' + err.message, 'NETWORK');
  } finally {
    if (cooldown > 0) mfaCooldown(form, cooldown); else button.disabled = false;
  }
}
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('button[data-sms-send]') : null;
  if (!button) return;
  event.preventDefault();
  mfaSendSms(button);
});
// WebAuthn: a form[data-webauthn] asks data-options for the ceremony's options, runs it with
// navigator.credentials (the browser's own JSON helpers), and posts { response, ... } to data-verify.
async function mfaWebAuthn(form) {
  const submit = form.querySelector('button[type=submit]');
  if (submit) submit.disabled = true;
  const post = (url, body) => fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  try {
    const res = await post(form.dataset.options, {});
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      const error = body.error || { code: 'INTERNAL', message: 'Request failed (' + res.status + ').' };
      if (error.code === 'MFA_REQUIRED' && error.stepUp) { mfaConfirmItsYou(error); return; }
      mfaShow(form, 'error', mfaErrorText(error), error.code);
      return;
    }
    const register = form.dataset.webauthn === 'register';
    let credential;
    try {
      credential = register
        ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(body.options) })
        : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(body.options) });
    } catch (err) {
      mfaShow(form, 'error', 'The passkey was not used: ' + err.message, 'WEBAUTHN_CANCELLED');
      return;
    }
    const data = mfaFormData(form);
    const payload = form.dataset.webauthn === 'step-up'
      ? { factor: 'webauthn', response: credential.toJSON() }
      : { response: credential.toJSON() };
    if (register && (data.name || '').trim() !== '') payload.name = data.name.trim();
    if (!register && data.trustDevice === true) payload.trustDevice = true;
    const verify = await post(form.dataset.verify, payload);
    const result = await verify.json().catch(() => ({}));
    if (!verify.ok) {
      const error = result.error || { code: 'INTERNAL', message: 'Request failed (' + verify.status + ').' };
      mfaShow(form, 'error', mfaErrorText(error), error.code);
      return;
    }
    mfaSucceeded(form, result);
  } catch (err) {
    mfaShow(form, 'error', 'Network error: ' + err.message, 'NETWORK');
  } finally {
    if (submit) submit.disabled = false;
  }
}
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.webauthn) {
    event.preventDefault();
    if (!form.dataset.confirm || confirm(form.dataset.confirm)) mfaWebAuthn(form);
    return;
  }
  if (!(form instanceof HTMLFormElement) || !form.dataset.api) return;
  event.preventDefault();
  if (form.dataset.confirm && !confirm(form.dataset.confirm)) return;
  mfaSubmit(form);
});
for (const form of document.querySelectorAll('form[data-autosubmit]')) mfaSubmit(form);
`;
