import { html, type SafeHtml } from './html.js';
import { can } from './privileges.js';
import type { AppUser } from './users.js';

/** Who the page is for: a signed-in user, a sign-in in progress (password done), or nobody. */
export type Viewer = AppUser | { pending: AppUser } | null;

/**
 * Page frame: navigation for the viewer's state (a pending sign-in sees
 * "Signing in as …" and "Cancel sign-in", never "Sign in"; marked
 * `data-pending` so the client drops them once the sign-in completes), one-shot notice,
 * the stylesheet and client script. `devInbox`: link the dev inbox (development only).
 */
export function layout(
  title: string,
  viewer: Viewer,
  body: SafeHtml,
  notice?: string | null,
  devInbox = false,
): string {
  const user = viewer !== null && !('pending' in viewer) ? viewer : null;
  const pending = viewer !== null && 'pending' in viewer ? viewer.pending : null;
  const admin = user !== null && can(user, 'mfa:read');
  const logs = user !== null && can(user, 'mfa:logs');
  const policy = user !== null && can(user, 'mfa:policy');
  const signOut = (label: string) =>
    html`<form method="post" action="/logout"${pending ? html` data-pending` : ''}><button type="submit" class="secondary">${label}</button></form>`;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · mfa-kit example</title><link rel="stylesheet" href="/style.css"></head>
<body>
<nav>
  <a href="/" class="brand">mfa-kit example</a>
  ${user ? html`<a href="/security">Security settings</a>` : ''}
  ${admin ? html`<a href="/admin/users">Users</a>` : ''}${logs ? html`<a href="/admin/logs">MFA error logs</a>` : ''}${policy ? html`<a href="/admin/policy">MFA policy</a>` : ''}
  ${devInbox ? html`<a href="/dev/inbox">Dev inbox</a>` : ''}
  <span class="who"${pending ? html` data-pending` : ''}>${
    user
      ? `${user.name} (${user.roles.join(', ')}, ${user.orgId})`
      : pending
        ? `Signing in as ${pending.username}`
        : html`<a href="/login">Sign in</a>`
  }</span>
  ${user ? signOut('Sign out') : pending ? signOut('Cancel sign-in') : ''}
</nav>
<main>
<h1>${title}</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
${body}
</main>
<script src="/app.js"></script>
</body></html>`.__html;
}
