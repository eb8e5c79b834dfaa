import { html, type SafeHtml } from './html.js';
import { can } from './privileges.js';
import type { AppUser } from './users.js';

const STYLE = `
body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#222}
nav{display:flex;gap:1rem;align-items:center;border-bottom:1px solid #ccc;padding-bottom:.5rem;margin-bottom:1rem}
nav .who{margin-left:auto;color:#555}
form{margin:.5rem 0}
fieldset{border:1px solid #ddd;margin:1rem 0;padding:.75rem}
label{display:block;margin:.25rem 0}
input[type=text],input[type=password],input[type=tel],input[type=search],input[type=date],input[type=number]{padding:.3rem;min-width:14rem}
button{padding:.3rem .8rem;margin:.2rem 0}
.result:empty{display:none}
.result,.notice{padding:.5rem;margin:.5rem 0;border-radius:4px}
.error{background:#fde8e8;border:1px solid #e0a0a0}
.ok,.notice{background:#e8f6e8;border:1px solid #9c9}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}
code.secret,ol.codes{font-family:ui-monospace,monospace;font-size:1.1rem}
.muted{color:#666}
`;

/** Page frame: navigation, one-shot notice, the client script. */
export function layout(title: string, user: AppUser | null, body: SafeHtml, notice?: string | null): string {
  const admin = user !== null && can(user, 'mfa:read');
  const logs = user !== null && can(user, 'mfa:logs');
  const policy = user !== null && can(user, 'mfa:policy');
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · mfa-kit example</title><style>${STYLE}</style></head>
<body>
<nav>
  <a href="/">Home</a>
  ${user ? html`<a href="/security">Security settings</a>` : html`<a href="/login">Sign in</a>`}
  ${admin ? html`<a href="/admin/users">Users</a>` : ''}${logs ? html`<a href="/admin/logs">MFA error logs</a>` : ''}${policy ? html`<a href="/admin/policy">MFA policy</a>` : ''}
  <a href="/dev/inbox">Dev inbox</a>
  ${
    user
      ? html`<span class="who">${user.name} (${user.roles.join(', ')}, ${user.orgId})</span>
  <form method="post" action="/logout"><button type="submit">Sign out</button></form>`
      : ''
  }
</nav>
<main>
<h1>${title}</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
${body}
</main>
<script src="/app.js"></script>
</body></html>`.__html;
}
