/**
 * The only front-end code: forms marked `data-api` are sent as JSON with
 * `fetch`; a success follows `redirect` or shows `message`; an error shows the
 * uniform error body (`{ error: { code, message, retryAfter?, fields?, providerCode?, hint? } }`)
 * as a readable sentence. JSON with a JSON content type is also the CSRF
 * defence: a cross-site form can't send it without a CORS preflight.
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
  if (error.providerCode !== undefined) text += ' (provider error code ' + error.providerCode + ')';
  if (error.hint) text += ' ' + error.hint;
  return text;
}
function mfaShow(form, kind, text, code) {
  const out = form.querySelector('.result') || document.getElementById('result');
  if (!out) { alert(text); return; }
  out.className = 'result ' + kind;
  out.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  if (code) out.dataset.code = code; else delete out.dataset.code;
  out.textContent = text;
  if (code === 'ACCOUNT_LOCKED') {
    const a = document.createElement('a');
    a.href = '/unlock';
    a.textContent = ' Email me unlock instructions';
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
function mfaFormData(form) {
  const data = {};
  for (const [key, value] of new FormData(form)) {
    if (key.endsWith('[]')) { const k = key.slice(0, -2); (data[k] = data[k] || []).push(value); }
    else data[key] = value;
  }
  for (const box of form.querySelectorAll('input[type=checkbox][name]:not([name$="[]"])')) data[box.name] = box.checked;
  return data;
}
document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.api) return;
  event.preventDefault();
  if (form.dataset.confirm && !confirm(form.dataset.confirm)) return;
  const submit = form.querySelector('button[type=submit]');
  if (submit) submit.disabled = true;
  try {
    const res = await fetch(form.dataset.api, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(mfaFormData(form)),
      credentials: 'same-origin',
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      const error = body.error || { code: 'INTERNAL', message: 'Request failed (' + res.status + ').' };
      mfaShow(form, 'error', mfaErrorText(error), error.code);
      if (error.code === 'SESSION_EXPIRED' || error.code === 'UNAUTHENTICATED') {
        const a = document.createElement('a'); a.href = '/login'; a.textContent = ' Sign in again';
        (form.querySelector('.result') || document.getElementById('result')).appendChild(a);
      }
      return;
    }
    if (body.redirect) { location.assign(body.redirect); return; }
    mfaShow(form, body.tone || 'ok', body.message || 'Done.', body.code);
    if (body.resendAfter) mfaCooldown(form, body.resendAfter);
    if (form.dataset.reset !== undefined) form.reset();
  } catch (err) {
    mfaShow(form, 'error', 'Network error: ' + err.message, 'NETWORK');
  } finally {
    if (submit && !(submit.textContent || '').includes('available in')) submit.disabled = false;
  }
});
`;
