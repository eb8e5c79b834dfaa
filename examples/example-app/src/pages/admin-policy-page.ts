import { Router } from 'express';
import type { AppContext } from '../context.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { can, ROLE_PRIVILEGES } from '../privileges.js';
import { requirePrivilege, userOf } from '../sign-in-state.js';

/**
 * Policy screen: roles that require MFA (seed 003), rollout per organisation
 * (seed 000), grace period, self-unlock (seed 002). Saved through mfa-kit's
 * admin router (`PUT /policy`). An organisation admin may only switch their own
 * organisation in or out; instance-wide fields belong to an owner
 * (`mfa:all-orgs`), so for others they are shown read-only and sent unchanged.
 * An owner's form replaces the whole policy, so it carries the version it
 * was read at: saved over a change made since, it is refused (409) instead
 * of undoing that change.
 */
export function createAdminPolicyPage(ctx: AppContext): Router {
  const router = Router();
  router.get('/admin/policy', requirePrivilege(ctx, 'mfa:policy'), async (_req, res) => {
    const admin = userOf(res);
    const wide = can(admin, 'mfa:all-orgs');
    const { policy, version } = await ctx.mfa.admin.getVersionedPolicy();
    const roles = [
      ...new Set([...Object.keys(ROLE_PRIVILEGES), ...ctx.users.all().flatMap((u) => u.roles)]),
    ].sort();
    const orgs = wide ? [...new Set(ctx.users.all().map((u) => u.orgId))].sort() : [admin.orgId];
    const rolloutOrgs = policy.rollout.mode === 'orgs' ? policy.rollout.orgs : [];
    const on = (value: boolean) => (value ? html` checked` : '');
    const locked = wide ? '' : html` disabled`;
    // Disabled fields are not submitted: carry their current values in hidden inputs.
    const carry = (name: string, values: readonly string[]) =>
      wide ? '' : values.map((v) => html`<input type="hidden" name="${name}" value="${v}">`);
    const graceUntil = policy.grace?.until ? new Date(policy.grace.until).toISOString().slice(0, 10) : '';
    const body = html`${wide ? '' : html`<p class="muted" id="scope-note">You manage ${admin.orgId} only: you can require MFA for your organisation and roll it out there. Roles, grace period and self-unlock are set by an owner.</p>`}
<form data-api="/api/admin/mfa/policy" data-method="PUT" data-body="policy" id="policy-form" data-success="Policy saved. It applies at each user&#39;s next request or sign-in.">
<fieldset><legend>Roles that must use MFA</legend>
${roles.map((r) => html`<label><input type="checkbox" name="requiredRoles[]" value="${r}"${on(policy.requiredRoles.includes(r))}${locked}> ${r}</label>`)}
${carry('requiredRoles[]', policy.requiredRoles)}
</fieldset>
<fieldset id="phishing-resistant-roles"><legend>Roles that must use a passkey (phishing-resistant MFA)</legend>
${roles.map((r) => html`<label><input type="checkbox" name="phishingResistantRoles[]" value="${r}"${on((policy.phishingResistantRoles ?? []).includes(r))}${locked}> ${r}</label>`)}
${carry('phishingResistantRoles[]', policy.phishingResistantRoles ?? [])}
<p class="muted">Codes (authenticator app, text message, recovery code) no longer satisfy these roles: they must register and use a passkey or security key.</p>
</fieldset>
<fieldset><legend>Organisations where everyone must use MFA</legend>
${orgs.map((o) => html`<label><input type="checkbox" name="requiredOrgs[]" value="${o}"${on(policy.requiredOrgs.includes(o))}> ${o}</label>`)}
</fieldset>
<fieldset><legend>Rollout</legend>
<label><input type="radio" name="rolloutMode" value="all"${on(policy.rollout.mode === 'all')}${locked}> Every organisation</label>
<label><input type="radio" name="rolloutMode" value="orgs"${on(policy.rollout.mode === 'orgs')}${locked}> Only these organisations (users elsewhere never see MFA):</label>
${carry('rolloutMode', [policy.rollout.mode])}
${orgs.map((o) => html`<label class="indent"><input type="checkbox" name="rolloutOrgs[]" value="${o}"${on(rolloutOrgs.includes(o))}> ${o}</label>`)}
</fieldset>
<fieldset><legend>Grace period for users who must enrol</legend>
<label>Sign-ins allowed without MFA <input type="number" min="0" name="graceSignIns" value="${policy.grace?.signIns ?? ''}"${locked}></label>
<label>Until (date) <input type="date" name="graceUntil" value="${graceUntil}"${locked}></label>
${carry('graceSignIns', policy.grace?.signIns === undefined ? [] : [String(policy.grace.signIns)])}${carry('graceUntil', graceUntil === '' ? [] : [graceUntil])}
${wide ? '' : html`<span class="why">Set by an owner.</span>`}
<p class="muted">Leave both empty to force enrolment at once.</p>
</fieldset>
<label><input type="checkbox" name="allowSelfUnlock"${on(policy.allowSelfUnlock)}${locked}> Locked users may unlock themselves with an e-mailed link</label>
<label>Reason (audit log) <input type="text" name="reason"></label>
${wide ? html`<input type="hidden" name="version" value="${version}">` : ''}
<button type="submit">Save policy</button>
<div class="result"></div>
</form>
<p class="muted">Changes take effect at each user's next request or sign-in.</p>`;
    res.send(layout('MFA policy', admin, body, null, ctx.development));
  });
  return router;
}
