import { Router } from 'express';
import type { AppContext } from '../context.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { can } from '../privileges.js';
import { currentUser, queryNotice, takeNotice } from '../request.js';
import { requireUser, userOf } from '../sign-in-state.js';
import { toMfaUser } from '../users.js';

/** Home: what the signed-in user can do, or the seeded accounts to try. */
export function createHomePage(ctx: AppContext): Router {
  const router = Router();
  router.get('/', (req, res, next) => {
    const user = currentUser(req, ctx);
    if (user !== null) return next();
    const pending = req.session.mfaPending;
    const body = html`${
      pending
        ? html`<p class="notice">You have a sign-in in progress: <a href="${pending.stage === 'enrol' ? '/mfa/enrol' : '/mfa/challenge'}">continue</a>.</p>`
        : ''
    }
<p>This is an Express + passport-local app with mfa-kit added. <a href="/login">Sign in</a> as one of the seeded users (password <code>${ctx.users.demoPassword}</code>):</p>
<table><thead><tr><th>User</th><th>Roles</th><th>Organisation</th></tr></thead><tbody>
${ctx.users.all().map((u) => html`<tr><td>${u.username}</td><td>${u.roles.join(', ')}</td><td>${u.orgId}</td></tr>`)}
</tbody></table>
<p>Locked out? <a href="/unlock">Email me unlock instructions</a>.${ctx.development ? html` Codes and e-mails arrive in the <a href="/dev/inbox">dev inbox</a>.` : ''}</p>`;
    res.send(layout('mfa-kit example', null, body, takeNotice(req) ?? queryNotice(req), ctx.development));
  });
  // Signed in: requireUser() first, so a role that now requires MFA sends the user to set it up (seed 003).
  router.get('/', requireUser(ctx), async (req, res) => {
    const user = userOf(res);
    const status = await ctx.mfa.status(toMfaUser(user));
    const state = req.session.mfa;
    const recoveryNotice =
      state?.factor === 'recovery'
        ? `You signed in with a recovery code; it can't be used again. ${status.recoveryCodesRemaining} recovery code${status.recoveryCodesRemaining === 1 ? '' : 's'} left.`
        : null;
    const grace =
      state?.via === 'grace'
        ? 'Multi-factor authentication is required for your account and your grace period is running out: set it up now in Security settings.'
        : null;
    const body = html`<p id="welcome">Welcome, ${user.name}. You are signed in${
      req.session.mfa?.factor
        ? html` with ${req.session.mfa.factor === 'recovery' ? 'a recovery code' : req.session.mfa.factor.toUpperCase()}`
        : ' without a second factor'
    }.</p>
<p>Multi-factor authentication is <strong>${status.enrolled ? 'on' : 'off'}</strong> for your account. <a href="/security">Security settings</a></p>
${can(user, 'mfa:read') ? html`<p>Admin: see Users, MFA error logs and MFA policy in the menu.</p>` : ''}`;
    res.send(
      layout(
        'Home',
        user,
        body,
        takeNotice(req) ?? queryNotice(req) ?? recoveryNotice ?? grace,
        ctx.development,
      ),
    );
  });
  return router;
}
