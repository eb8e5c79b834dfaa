import type { TrustedDeviceInfo } from '@mfa-kit/core';
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { can } from '../privileges.js';
import { takeNotice } from '../request.js';
import { requirePrivilege, requireUser, userOf } from '../sign-in-state.js';
import { toMfaUser } from '../users.js';

const FACTOR_WORDS: Record<string, string> = {
  totp: 'authenticator app',
  sms: 'text message',
  recovery: 'recovery code',
};

function when(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** One table of devices; `revoke(device)` renders the revoke form of a row. */
function deviceTable(
  devices: readonly TrustedDeviceInfo[],
  revoke: (d: TrustedDeviceInfo) => SafeHtml,
): SafeHtml {
  if (devices.length === 0) return html`<p id="no-devices">No trusted devices.</p>`;
  return html`<table id="devices"><thead><tr><th>Device</th><th>Trusted after</th><th>Trusted since</th><th>Last used</th><th>Until</th><th></th></tr></thead>
<tbody>${devices.map(
    (d) =>
      html`<tr data-device="${d.id}"><td>${d.label}</td><td>${FACTOR_WORDS[d.factor] ?? d.factor}</td><td>${when(d.createdAt)}</td><td>${when(d.lastUsedAt)}</td><td>${when(d.expiresAt)}</td><td>${revoke(d)}</td></tr>`,
  )}</tbody></table>`;
}

/**
 * "Trusted devices" (self-service): the browsers that skip the second factor
 * at sign-in, each with "Revoke" (mfa-kit's `DELETE /api/mfa/trusted-devices/:id`;
 * revoking this browser also clears its cookie).
 */
export function createTrustedDevicesPage(ctx: AppContext): Router {
  const router = Router();
  router.get('/security/devices', requireUser(ctx), async (req, res) => {
    const user = userOf(res);
    const devices = await ctx.mfa.trustedDevices.list(toMfaUser(user));
    const body = html`<p>These browsers skip the second factor when you sign in with your password, until the date shown.
Resetting your MFA, signing out everywhere or a locked account ends all of them.</p>
${deviceTable(
  devices,
  (d) =>
    html`<form data-api="/api/mfa/trusted-devices/${d.id}" data-method="DELETE" class="revoke-device" data-next="/security/devices" data-confirm="Stop trusting ${d.label}?"><button type="submit" class="secondary">Revoke</button><div class="result"></div></form>`,
)}
<p><a href="/security">Back to security settings</a></p>`;
    res.send(layout('Trusted devices', user, body, takeNotice(req), ctx.development));
  });
  return router;
}

/**
 * Admin view of one user's trusted devices (org-scoped like the users
 * screen); "Revoke" calls the admin router, which checks the privilege
 * (`mfa:reset`) and the organisation again.
 */
export function createAdminDevicesPage(ctx: AppContext): Router {
  const router = Router();
  router.get('/admin/users/:username/devices', requirePrivilege(ctx, 'mfa:read'), async (req, res) => {
    const admin = userOf(res);
    const target = ctx.users.findByUsername(String(req.params['username']));
    if (target === null || (!can(admin, 'mfa:all-orgs') && target.orgId !== admin.orgId)) {
      res.status(404).send('No such user.');
      return;
    }
    const devices = await ctx.mfa.trustedDevices.list(toMfaUser(target));
    const mayRevoke = can(admin, 'mfa:reset');
    const base = `/api/admin/mfa/users/${encodeURIComponent(target.id)}/trusted-devices`;
    const body = html`<p>Trusted devices of <strong>${target.name}</strong> (${target.username}).</p>
${deviceTable(
  devices,
  (d) =>
    html`<form data-api="${base}/${d.id}/revoke" class="admin-revoke-device" data-next="/admin/users/${target.username}/devices" data-confirm="Revoke ${d.label} for ${target.username}?"><button type="submit" class="secondary"${mayRevoke ? '' : html` disabled title="Your role doesn't have the MFA reset privilege."`}>Revoke</button><div class="result"></div></form>`,
)}
<p><a href="/admin/users">Back to users</a></p>`;
    res.send(layout('Trusted devices', admin, body, takeNotice(req), ctx.development));
  });
  return router;
}
