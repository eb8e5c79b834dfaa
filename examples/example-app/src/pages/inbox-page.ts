import { Router } from 'express';
import type { AppContext } from '../context.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { currentUser } from '../request.js';

/**
 * The development inbox: SMS codes (when no Twilio is configured) and unlock
 * e-mails. A real app sends these; never expose such a page in production.
 */
export function createInboxPage(ctx: AppContext): Router {
  const router = Router();
  router.get('/dev/inbox', (req, res) => {
    const messages = ctx.inbox.list();
    const body = html`<p class="muted">Development only: messages the app would have sent.${ctx.smsToInbox ? '' : ' SMS go through Twilio, so only e-mails appear here.'}</p>
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
    res.send(layout('Dev inbox', currentUser(req, ctx), body));
  });
  return router;
}
