import { Router } from 'express';
import type { AppContext } from '../context.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { currentUser } from '../request.js';

/**
 * The development inbox: SMS codes (console sender or `FAKE_TWILIO=1`),
 * unlock e-mails and security notifications. A real app sends these; the
 * page is mounted only in development (never with `NODE_ENV=production`).
 */
export function createInboxPage(ctx: AppContext): Router {
  const router = Router();
  router.get('/dev/inbox', (req, res) => {
    const messages = ctx.inbox.list();
    const body = html`<p class="muted">Development only: messages the app would have sent (text messages, unlock e-mails, security notifications).</p>
${ctx.redisConfigured ? html`<p class="warning" id="inbox-redis-warning" role="alert">The dev inbox is on while sessions and MFA data are in Redis. It lives in this process's memory: with several app servers each has its own inbox, and anyone who can open this page reads every code. Set <code>NODE_ENV=production</code> to turn it off.</p>` : ''}
${
  messages.length === 0
    ? html`<p>No messages yet.</p>`
    : html`<table id="inbox"><thead><tr><th>When</th><th>Kind</th><th>To</th><th>Message</th></tr></thead><tbody>
${messages.map(
  (
    m,
  ) => html`<tr class="message ${m.kind}" data-to="${m.to}"><td>${new Date(m.time).toISOString()}</td><td>${m.kind === 'sms' ? 'SMS' : 'E-mail'}</td><td>${m.to}</td>
<td>${m.subject ? html`<strong>${m.subject}</strong><br>` : ''}<span class="body">${m.body}</span>${m.link ? html`<br><a class="link" href="${m.link}">${m.link.startsWith('/unlock') ? 'Unlock my account' : m.link}</a>` : ''}</td></tr>`,
)}
</tbody></table>`
}`;
    res.send(layout('Dev inbox', currentUser(req, ctx), body, null, true));
  });
  return router;
}
