import { Router } from 'express';
import type { AppContext } from '../context.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { ROLE_PRIVILEGES } from '../privileges.js';
import { requirePrivilege, userOf } from '../sign-in-state.js';

/** Policy screen: roles that require MFA (seed 003), rollout per organisation (seed 000), grace period, self-unlock. */
export function createAdminPolicyPage(ctx: AppContext): Router {
  const router = Router();
  router.get('/admin/policy', requirePrivilege(ctx, 'mfa:read'), async (_req, res) => {
    const admin = userOf(res);
    const policy = await ctx.mfa.admin.getPolicy();
    const roles = [
      ...new Set([...Object.keys(ROLE_PRIVILEGES), ...ctx.users.all().flatMap((u) => u.roles)]),
    ].sort();
    const orgs = [...new Set(ctx.users.all().map((u) => u.orgId))].sort();
    const rolloutOrgs = policy.rollout.mode === 'orgs' ? policy.rollout.orgs : [];
    const checked = (on: boolean) => (on ? html` checked` : '');
    const graceUntil = policy.grace?.until ? new Date(policy.grace.until).toISOString().slice(0, 10) : '';
    const body = html`<form data-api="/api/admin/policy" id="policy-form">
<fieldset><legend>Roles that must use MFA</legend>
${roles.map((r) => html`<label><input type="checkbox" name="requiredRoles[]" value="${r}"${checked(policy.requiredRoles.includes(r))}> ${r}</label>`)}
</fieldset>
<fieldset><legend>Organisations where everyone must use MFA</legend>
${orgs.map((o) => html`<label><input type="checkbox" name="requiredOrgs[]" value="${o}"${checked(policy.requiredOrgs.includes(o))}> ${o}</label>`)}
</fieldset>
<fieldset><legend>Rollout</legend>
<label><input type="radio" name="rolloutMode" value="all"${checked(policy.rollout.mode === 'all')}> Every organisation</label>
<label><input type="radio" name="rolloutMode" value="orgs"${checked(policy.rollout.mode === 'orgs')}> Only these organisations (users elsewhere never see MFA):</label>
${orgs.map((o) => html`<label style="margin-left:2rem"><input type="checkbox" name="rolloutOrgs[]" value="${o}"${checked(rolloutOrgs.includes(o))}> ${o}</label>`)}
</fieldset>
<fieldset><legend>Grace period for users who must enrol</legend>
<label>Sign-ins allowed without MFA <input type="number" min="0" name="graceSignIns" value="${policy.grace?.signIns ?? ''}"></label>
<label>Until (date) <input type="date" name="graceUntil" value="${graceUntil}"></label>
<p class="muted">Leave both empty to force enrolment at once.</p>
</fieldset>
<label><input type="checkbox" name="allowSelfUnlock"${checked(policy.allowSelfUnlock)}> Locked users may unlock themselves with an e-mailed link</label>
<label>Reason (audit log) <input type="text" name="reason"></label>
<button type="submit">Save policy</button>
<div class="result"></div>
</form>
<p class="muted">The policy applies to the whole app; changes take effect at each user's next request or sign-in.</p>`;
    res.send(layout('MFA policy', admin, body));
  });
  return router;
}
