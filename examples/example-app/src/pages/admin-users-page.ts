import type { UserMfaStatus } from '@mfa-kit/core';
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { can } from '../privileges.js';
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

function disabledAttr(enabled: boolean): SafeHtml {
  return enabled ? html`` : html` disabled`;
}

function actions(admin: AppUser, target: AppUser, status: UserMfaStatus): SafeHtml {
  const mayReset = can(admin, 'mfa:reset') && admin.id !== target.id;
  const resetTitle =
    admin.id === target.id
      ? "You can't reset your own MFA"
      : can(admin, 'mfa:reset')
        ? ''
        : 'Your role lacks the MFA reset privilege';
  const mayLock = can(admin, 'mfa:lock');
  const base = `/api/admin/mfa/users/${encodeURIComponent(target.id)}`;
  return html`<form data-api="${base}/reset" data-confirm="Reset MFA for ${target.username}? Their sessions end at once." data-success="MFA reset for ${target.username}. Their sessions were ended; they set up MFA again at their next sign-in.">
  <button type="submit" class="reset-mfa" title="${resetTitle}"${disabledAttr(mayReset)}>Reset MFA</button>
  ${resetTitle ? html`<span class="muted">${resetTitle}</span>` : ''}
  <div class="result"></div></form>
${
  status.limiter.locked
    ? html`<form data-api="${base}/unlock" data-success="${target.username} is unlocked and their failure counters are cleared."><button type="submit" class="unlock"${disabledAttr(mayLock)}>Unlock account</button><div class="result"></div></form>`
    : html`<form data-api="${base}/lock" data-confirm="Lock ${target.username}'s account? They can't sign in until unlocked." data-success="${target.username} is locked."><button type="submit" class="lock"${disabledAttr(mayLock)}>Lock user account</button><div class="result"></div></form>`
}
<form data-api="${base}/reset-cooldowns" data-success="Cooldowns cleared for ${target.username}."><select name="which" aria-label="Which cooldown">
  <option value="all">all cooldowns</option><option value="verification">verification cooldown</option><option value="sms-setup">1-hour SMS setup cooldown</option>
</select> <button type="submit" class="reset-cooldowns"${disabledAttr(mayLock)}>Reset cooldown</button><div class="result"></div></form>`;
}

/** Admin "Users" screen: MFA status per user, search, and the actions (disabled without the privilege, seed 000). */
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
        return html`<tr data-user="${u.username}"><td>${u.name}<br><span class="muted">${u.username} · ${u.email}</span></td><td>${u.roles.join(', ')}</td>
<td class="mfa">${status.enrolled ? 'On' : 'Off'}${status.totp ? html`<br>Authenticator app` : ''}${status.sms ? html`<br>SMS ${status.sms.maskedPhone}` : ''}<br><span class="muted">${status.recoveryCodesRemaining} recovery codes</span></td>
<td class="limiter">${limiterSummary(status, now)}</td><td>${actions(admin, u, status)}</td></tr>`;
      }),
    );
    const body = html`<form method="get" action="/admin/users"><label>Search users <input type="search" name="q" value="${q}"></label> <button type="submit">Search</button></form>
<p class="muted">${allOrgs ? 'Users of every organisation.' : `Users of ${admin.orgId}.`} Actions need a privilege: reset needs <code>mfa:reset</code>, lock/unlock/cooldowns need <code>mfa:lock</code>.</p>
<table id="users"><thead><tr><th>User</th><th>Roles</th><th>MFA</th><th>Lock and cooldowns</th><th>Actions</th></tr></thead>
<tbody>${rows}</tbody></table>`;
    res.send(layout('Users', admin, body, takeNotice(req)));
  });
  return router;
}
