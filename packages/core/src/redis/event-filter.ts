import type { EventQuery, MfaEvent } from '../events.js';

/**
 * Whether `event` passes the filters of `query` (everything but the cursor
 * and limit). `text` is a case-insensitive substring over the user id, org
 * id, the actor and the JSON of the details, as {@link EventQuery} documents.
 */
export function matchesEventQuery(event: MfaEvent, query: EventQuery): boolean {
  if (query.types !== undefined && query.types.length > 0 && !query.types.includes(event.type)) return false;
  if (query.userId !== undefined && event.userId !== query.userId) return false;
  if (query.orgId !== undefined && event.orgId !== query.orgId) return false;
  if (query.since !== undefined && event.time < query.since) return false;
  if (query.until !== undefined && event.time > query.until) return false;
  if (query.text !== undefined && query.text !== '') {
    const haystack = [
      event.userId ?? '',
      event.orgId ?? '',
      event.actor === null ? '' : `${event.actor.kind} ${event.actor.id} ${event.actor.osUser ?? ''}`,
      JSON.stringify(event.details),
    ]
      .join('\n')
      .toLowerCase();
    if (!haystack.includes(query.text.toLowerCase())) return false;
  }
  return true;
}
