import { type EventQuery, EventType } from '@mfa-kit/core';
import type { CliCommand } from '../command.js';
import { formatEvent } from '../format.js';
import { usageError } from '../usage-error.js';

function parseTime(flag: string, value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms))
    throw usageError(`${flag}: not a date: ${value} (use ISO 8601, e.g. 2026-01-31T12:00:00Z)`);
  return ms;
}

/** `mfa-kit events`: the MFA error log and audit trail, newest first. */
export const eventsCommand: CliCommand = {
  name: 'events',
  summary: 'List MFA events (error log and audit trail), newest first',
  help: `Usage: mfa-kit events [--type T ...] [--since ISO] [--until ISO] [--user U] [--org O]
                      [--search TEXT] [--limit N] [--cursor C] [--json]

  --type T         only this event type (repeatable or comma-separated), e.g.
                   ACCOUNT_LOCK, COOLDOWN_ACTIVATED, PROVIDER_FAILURE, NOT_MY_NUMBER, SMS_FAILURE
  --since ISO      from this time (inclusive)
  --until ISO      up to this time (inclusive)
  --user U         only events about this user
  --org O          only events of this organisation
  --search TEXT    text search over user, organisation, actor and details
  --limit N        page size, 1-500 (default 50)
  --cursor C       continue after a previous page (printed at the end of it)

Types: ${Object.keys(EventType).join(', ')}`,
  options: {
    type: { type: 'string', multiple: true },
    since: { type: 'string' },
    until: { type: 'string' },
    user: { type: 'string' },
    org: { type: 'string' },
    search: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
  },
  confirms: () => false,
  async run(context) {
    if (context.args.length > 0) throw usageError(`Unexpected argument: ${context.args[0]}`);
    const v = context.values;
    const query: EventQuery = {};
    const types = (Array.isArray(v['type']) ? v['type'] : [])
      .flatMap((t) => String(t).split(','))
      .map((t) => t.trim().toUpperCase())
      .filter((t) => t !== '');
    for (const t of types) if (!(t in EventType)) throw usageError(`Unknown event type: ${t}`);
    if (types.length > 0) query.types = types as EventType[];
    if (typeof v['since'] === 'string') query.since = parseTime('--since', v['since']);
    if (typeof v['until'] === 'string') query.until = parseTime('--until', v['until']);
    if (query.since !== undefined && query.until !== undefined && query.since > query.until) {
      throw usageError('--since is after --until.');
    }
    if (typeof v['user'] === 'string') query.userId = v['user'];
    if (typeof v['org'] === 'string') query.orgId = v['org'];
    if (typeof v['search'] === 'string') query.text = v['search'];
    if (typeof v['cursor'] === 'string') query.cursor = v['cursor'];
    if (typeof v['limit'] === 'string') {
      const limit = Number(v['limit']);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw usageError('--limit must be 1-500.');
      query.limit = limit;
    }
    const { mfa } = await context.connect();
    const page = await mfa.events.query(query);
    if (context.json) {
      context.io.out(JSON.stringify(page, null, 2));
      return;
    }
    if (page.events.length === 0) context.io.out('No events.');
    else context.io.out(page.events.map(formatEvent).join('\n'));
    if (page.nextCursor !== null) context.io.err(`More events: add --cursor ${page.nextCursor}`);
  },
};
