import { type EventQuery, EventType } from '@mfa-kit/core';
import { describeEvent } from '@mfa-kit/express';
import { type Request, Router } from 'express';
import type { AppContext } from '../context.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { can } from '../privileges.js';
import { requirePrivilege, userOf } from '../sign-in-state.js';

/** The seed 004 filter names first, then every other event type. */
export const EVENT_TYPE_LABELS: ReadonlyArray<readonly [EventType, string]> = [
  ['ACCOUNT_LOCK', 'Account Lock'],
  ['COOLDOWN_ACTIVATED', 'Cooldown Activated'],
  ['PROVIDER_FAILURE', 'MFA Provider Failure'],
  ['NOT_MY_NUMBER', 'Not My Number'],
  ['SMS_FAILURE', 'SMS failure'],
  ['SESSION_EXPIRED', 'Session Expired'],
  ...Object.keys(EventType)
    .filter(
      (t) =>
        ![
          'ACCOUNT_LOCK',
          'COOLDOWN_ACTIVATED',
          'PROVIDER_FAILURE',
          'NOT_MY_NUMBER',
          'SMS_FAILURE',
          'SESSION_EXPIRED',
        ].includes(t),
    )
    .map((t) => [t as EventType, t.replaceAll('_', ' ').toLowerCase()] as const),
];

interface LogFilter {
  q: string;
  type: string;
  since: string;
  until: string;
  user: string;
}

function filterOf(req: Request): LogFilter {
  const s = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : '');
  return { q: s('q'), type: s('type'), since: s('since'), until: s('until'), user: s('user') };
}

function queryOf(
  filter: LogFilter,
  orgId: string | undefined,
  cursor: string | undefined,
  limit: number,
  textUserIds: readonly string[],
): EventQuery {
  const since = Date.parse(`${filter.since}T00:00:00.000Z`);
  const until = Date.parse(`${filter.until}T23:59:59.999Z`);
  const type = EVENT_TYPE_LABELS.find(([t]) => t === filter.type)?.[0];
  return {
    ...(orgId === undefined ? {} : { orgId }),
    limit,
    ...(filter.q ? { text: filter.q, textUserIds } : {}),
    ...(type ? { types: [type] } : {}),
    ...(Number.isNaN(since) ? {} : { since }),
    ...(Number.isNaN(until) ? {} : { until }),
    ...(filter.user ? { userId: filter.user } : {}),
    ...(cursor ? { cursor } : {}),
  };
}

/**
 * The same filter in the query language of mfa-kit's admin router, whose
 * `GET /events.csv` does the export (quoting and spreadsheet-formula
 * neutralising included).
 */
function csvQuery(filter: LogFilter): string {
  const params = new URLSearchParams();
  if (filter.q) params.set('q', filter.q);
  if (EVENT_TYPE_LABELS.some(([t]) => t === filter.type)) params.set('types', filter.type);
  if (!Number.isNaN(Date.parse(`${filter.since}T00:00:00.000Z`)))
    params.set('since', `${filter.since}T00:00:00.000Z`);
  if (!Number.isNaN(Date.parse(`${filter.until}T23:59:59.999Z`)))
    params.set('until', `${filter.until}T23:59:59.999Z`);
  if (filter.user) params.set('userId', filter.user);
  return params.toString();
}

/** "MFA error logs" (seed 004): search, date filter, type filter, pages, and a link to the CSV export. */
export function createAdminLogsPage(ctx: AppContext): Router {
  const router = Router();

  router.get('/admin/logs', requirePrivilege(ctx, 'mfa:logs'), async (req, res) => {
    const admin = userOf(res);
    const filter = filterOf(req);
    const cursor = typeof req.query.cursor === 'string' ? req.query.cursor : undefined;
    const orgId = can(admin, 'mfa:all-orgs') ? undefined : admin.orgId;
    // Search by what the admin sees (name, username, e-mail), in their organisation only: the
    // same rule as mfa-kit's GET /events, which the CSV link uses.
    const matching = filter.q
      ? ctx.users
          .search(filter.q)
          .filter((u) => orgId === undefined || u.orgId === orgId)
          .map((u) => u.id)
      : [];
    const page = await ctx.mfa.events.query(queryOf(filter, orgId, cursor, 50, matching));
    const nameOf = (id: string) => ctx.users.findById(id)?.name ?? null;
    const failuresBeforeLock = ctx.mfa.options.limits.lock.maxConsecutiveFailures;
    const body = html`<form method="get" action="/admin/logs" id="log-filter">
  <label>Search (name, username, e-mail or text) <input type="search" name="q" value="${filter.q}"></label>
  <label>Type <select name="type"><option value="">All types</option>
    ${EVENT_TYPE_LABELS.map(([t, label]) => html`<option value="${t}"${t === filter.type ? html` selected` : ''}>${label}</option>`)}
  </select></label>
  <label>From <input type="date" name="since" value="${filter.since}"></label>
  <label>To <input type="date" name="until" value="${filter.until}"></label>
  <button type="submit">Filter</button>
  <a href="/api/admin/mfa/events.csv?${csvQuery(filter)}" id="csv-export">Export CSV</a>
</form>
${
  page.events.length === 0
    ? html`<p id="no-records">No records available.</p>`
    : html`<table id="events"><thead><tr><th>Time (UTC)</th><th>Type</th><th>User</th><th>Actor</th><th>Details</th></tr></thead><tbody>
${page.events.map(
  (
    e,
  ) => html`<tr class="event" data-type="${e.type}"><td>${new Date(e.time).toISOString().replace('T', ' ').slice(0, 19)}</td><td>${EVENT_TYPE_LABELS.find(([t]) => t === e.type)?.[1] ?? e.type}</td>
<td class="user">${e.userId ? (nameOf(e.userId) ?? e.userId) : ''}</td><td>${e.actor ? (e.actor.kind === 'admin' ? (nameOf(e.actor.id) ?? e.actor.id) : e.actor.kind) : ''}</td>
<td><span class="summary">${describeEvent(e, { nameOf, failuresBeforeLock })}</span><details><summary>Raw event</summary><pre>${JSON.stringify(e, null, 2)}</pre></details></td></tr>`,
)}</tbody></table>`
}
${page.nextCursor ? html`<p><a href="/admin/logs?${new URLSearchParams({ ...filter, cursor: page.nextCursor }).toString()}">Older events</a></p>` : ''}`;
    res.send(layout('MFA error logs', admin, body, null, ctx.development));
  });

  return router;
}
