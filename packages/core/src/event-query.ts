import type { EventQuery, MfaEvent } from './events.js';

/**
 * The lower-cased text that `EventQuery.text` searches: the user id, org id,
 * actor id and the JSON of the details. Exported on its own so the memory log
 * can compute it once per event at append time instead of on every query.
 */
export function eventSearchText(event: MfaEvent): string {
  return [event.userId ?? '', event.orgId ?? '', event.actor?.id ?? '', JSON.stringify(event.details)]
    .join('\n')
    .toLowerCase();
}

/**
 * Whether `event` passes the filters of `query` (everything but the cursor
 * and limit). One implementation for every event log, so memory and Redis
 * answer the same query the same way: `types` lists the types wanted (an
 * empty list matches nothing), `since`/`until` are inclusive, and `text` is a
 * case-insensitive substring of {@link eventSearchText} (or the event is
 * about, or by, one of `textUserIds`). `searchText` is that
 * text when the caller has it precomputed; otherwise it is built only if the
 * query has a `text` filter.
 */
export function matchesEventQuery(event: MfaEvent, query: EventQuery, searchText?: string): boolean {
  if (query.types !== undefined && !query.types.includes(event.type)) return false;
  if (query.userId !== undefined && event.userId !== query.userId) return false;
  if (query.orgId !== undefined && event.orgId !== query.orgId) return false;
  if (query.since !== undefined && event.time < query.since) return false;
  if (query.until !== undefined && event.time > query.until) return false;
  if (query.text === undefined || query.text === '') return true;
  const ids = query.textUserIds;
  if (ids !== undefined && ids.length > 0) {
    if (event.userId !== null && ids.includes(event.userId)) return true;
    if (event.actor !== null && ids.includes(event.actor.id)) return true;
  }
  return (searchText ?? eventSearchText(event)).includes(query.text.toLowerCase());
}
