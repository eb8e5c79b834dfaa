import type { EventQuery, MfaEvent } from '../events.js';

/**
 * Whether `event` passes the filters of `query` (everything but the cursor
 * and limit), with the memory log's rules: `types` lists the types wanted
 * (an empty list matches nothing), `since`/`until` are inclusive, and `text`
 * is a case-insensitive substring of the user id, org id, actor id and the
 * JSON of the details.
 */
export function matchesEventQuery(event: MfaEvent, query: EventQuery): boolean {
  if (query.types !== undefined && !query.types.includes(event.type)) return false;
  if (query.userId !== undefined && event.userId !== query.userId) return false;
  if (query.orgId !== undefined && event.orgId !== query.orgId) return false;
  if (query.since !== undefined && event.time < query.since) return false;
  if (query.until !== undefined && event.time > query.until) return false;
  if (query.text !== undefined && query.text !== '') {
    const haystack = [
      event.userId ?? '',
      event.orgId ?? '',
      event.actor?.id ?? '',
      JSON.stringify(event.details),
    ]
      .join('\n')
      .toLowerCase();
    if (!haystack.includes(query.text.toLowerCase())) return false;
  }
  return true;
}
