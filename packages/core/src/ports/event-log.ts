import type { EventPage, EventQuery, MfaEvent, NewMfaEvent } from '../events.js';

/**
 * Append-only MFA event log (the admin's "MFA error logs" and the audit
 * trail). Capped: the oldest events are dropped past the configured length.
 * Query results are newest first with an opaque cursor.
 */
export interface EventLog {
  /** Appends and returns the event with its id and time. */
  append(event: NewMfaEvent & { time: number }): Promise<MfaEvent>;
  /** Finds events; see {@link EventQuery}. */
  query(query: EventQuery): Promise<EventPage>;
}
