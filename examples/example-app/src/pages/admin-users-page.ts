import type { UserMfaStatus } from '@mfa-kit/core';
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { assignable, can, PRIVILEGE_WORDS, privilegesOf, ROLES } from '../privileges.js';
import { takeNotice } from '../request.js';
import { requirePrivilege, userOf } from '../sign-in-state.js';
import { type AppUser, toMfaUser } from '../users.js';

function limiterSummary(status: UserMfaStatus, now: number): SafeHtml {
  const { limiter } = status;
  const cooldowns = Object.entries(limiter.families)
    .filter(([, f]) => f?.cooldownUntil !== null && f?.cooldownUntil !== undefined && f.cooldownUntil > now)
    .map(
      ([family, f]) => `${family} until ${new Date(f?.cooldownUntil ?? 0).toISOString().slice(11, 19)} UTC`,
    );
  return html`${limiter.locked ? html`<strong class="locked">Locked</strong>${limiter.lockReason ? ` (${limiter.lockReason})` : ''}<br>` : html`Not locked<br>`}
${cooldowns.length > 0 ? html`<span class="cooldown">Cooldown: ${cooldowns.join(', ')}</span><br>` : ''}
<span class="muted">${limiter.consecutiveFailures} consecutive failures</span>`;
}

/** ` disabled` when `why` is set, and the reason shown under the control. */
function disabledBy(why: string | null): { attr: SafeHtml; note: SafeHtml } {
  return why === null
    ? { attr: html``, note: html`` }
    : { attr: html` disabled title="${why}"`, note: html`<span class="why">${why}</span>` };
}

function lacks(privilege: string): string {
  return `Your role doesn't have the ${privilege} privilege.`;
}

function roleControl(admin: AppUser, target: AppUser, base: string): SafeHtml {
  const why = !can(admin, 'mfa:roles')
    ? lacks('role change')
    : admin.id === target.id
      ? "You can't change your own role."
      : !assignable(admin, target.roles)
        ? `${target.name} has privileges you don't have.`
        : null;
  const off = disabledBy(why);
  const current = target.roles[0] ?? 'user';
  return html`<form data-api="${base}/roles" data-method="PUT" data-body="roles" class="change-role inline" data-success="${target.username}'s role is changed. MFA follows the new role from their next request.">
  <select name="role" aria-label="New role for ${target.username}"${off.attr}>
    ${ROLES.map((r) => html`<option value="${r}"${r === current ? html` selected` : ''}${assignable(admin, [r]) ? '' : html` disabled`}>${r}</option>`)}
  </select>
  <button type="submit" class="change-role secondary"${off.attr}>Change role</button>${off.note}
  <div class="result"></div></form>`;
}

function actions(admin: AppUser, target: AppUser, status: UserMfaStatus): SafeHtml {
  const self = admin.id === target.id;
  const reset = disabledBy(
    self ? "You can't reset your own MFA here." : can(admin, 'mfa:reset') ? null : lacks('MFA reset'),
  );
  const lockWhy = can(admin, 'mfa:lock')
    ? self
      ? "You can't lock your own account."
      : null
    : lacks('account lock');
  const lock = disabledBy(lockWhy);
  const cooldown = disabledBy(can(admin, 'mfa:lock') ? null : lacks('cooldown reset'));
  const base = `/api/admin/mfa/users/${encodeURIComponent(target.id)}`;
  return html`<form data-api="${base}/reset" data-confirm="Reset MFA for ${target.username}? Their sessions end at once." data-success="MFA reset for ${target.username}. Their sessions were ended; they set up MFA again at their next sign-in.">
  <button type="submit" class="reset-mfa danger"${reset.attr}>Reset MFA</button>${reset.note}
  <div class="result"></div></form>
${
  status.limiter.locked
    ? html`<form data-api="${base}/unlock" data-success="${target.username} is unlocked and their failure counters are cleared."><button type="submit" class="unlock"${lock.attr}>Unlock account</button>${lock.note}<div class="result"></div></form>`
    : html`<form data-api="${base}/lock" data-confirm="Lock ${target.username}'s account? They can't sign in until unlocked." data-success="${target.username} is locked."><button type="submit" class="lock"${lock.attr}>Lock user account</button>${lock.note}<div class="result"></div></form>`
}
<form data-api="${base}/reset-cooldowns" class="inline" data-success="Cooldowns cleared for ${target.username}."><select name="which" aria-label="Which cooldown"${cooldown.attr}>
  <option value="all">all cooldowns</option><option value="verification">verification cooldown</option><option value="sms-setup">1-hour SMS setup cooldown</option>
</select> <button type="submit" class="reset-cooldowns secondary"${cooldown.attr}>Reset cooldown</button>${cooldown.note}<div class="result"></div></form>
${roleControl(admin, target, base)}`;
}

/** Admin "Users" screen: MFA status per user, search, the actions (disabled, with the reason, without the privilege: seed 000) and the role (seed 003). */
export function createAdminUsersPage(ctx: AppContext): Router {
  const router = Router();
  router.get('/admin/users', requirePrivilege(ctx, 'mfa:read'), async (req, res) => {
    const admin = userOf(res);
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    const allOrgs = can(admin, 'mfa:all-orgs');
    const users = ctx.users.search(q).filter((u) => allOrgs || u.orgId === admin.orgId);
    const now = ctx.clock.now();
    const rows = await Promise.all(
      users.map(async (u) => {
        const status = await ctx.mfa.status(toMfaUser(u));
        return html`<tr data-user="${u.username}"><td>${u.name}<br><span class="muted">${u.username} · ${u.email}</span></td><td class="roles">${u.roles.join(', ')}<br><span class="muted">${status.requirement.required ? 'MFA required' : 'MFA optional'}</span></td>
<td class="mfa">${status.enrolled ? 'On' : 'Off'}${status.totp ? html`<br>Authenticator app` : ''}${status.sms ? html`<br>SMS ${status.sms.maskedPhone}` : ''}<br><span class="muted">${status.recoveryCodesRemaining} recovery codes</span>${status.enrolled ? html`<br><a href="/admin/users/${u.username}/devices" class="trusted-devices">Trusted devices</a>` : ''}</td>
<td class="limiter">${limiterSummary(status, now)}</td><td>${actions(admin, u, status)}</td></tr>`;
      }),
    );
    const mine = privilegesOf(admin.roles).map((p) => PRIVILEGE_WORDS[p]);
    const body = html`<form method="get" action="/admin/users" class="inline"><label>Search users <input type="search" name="q" value="${q}"></label> <button type="submit">Search</button></form>
<p class="muted" id="my-privileges">${allOrgs ? 'Users of every organisation.' : `Users of ${admin.orgId}.`} As ${admin.roles.join(', ')} you can: ${mine.join(', ')}.</p>
<table id="users"><thead><tr><th>User</th><th>Role</th><th>MFA</th><th>Lock and cooldowns</th><th>Actions</th></tr></thead>
<tbody>${rows}</tbody></table>`;
    res.send(layout('Users', admin, body, takeNotice(req), ctx.development));
  });
  return router;
}
