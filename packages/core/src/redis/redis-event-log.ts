import { MfaError } from '../errors.js';
import { matchesEventQuery } from '../event-query.js';
import type { EventPage, MfaEvent } from '../events.js';
import type { EventLog } from '../ports/event-log.js';
import type { RedisKeys } from './keys.js';
import type { RedisCaller } from './redis-caller.js';
import { appendEventScript } from './scripts/append-event.lua.js';

/** What {@link createRedisEventLog} needs. */
export interface RedisEventLogDeps {
  caller: RedisCaller;
  keys: RedisKeys;
  /** Approximate cap of the stream (XADD MAXLEN ~). */
  maxLength: number;
}

/** Default page size of a query (see `EventQuery.limit`). */
export const DEFAULT_EVENT_PAGE_SIZE = 50;
/** Largest page size a query may ask for. */
export const MAX_EVENT_PAGE_SIZE = 500;
/** Entries read per XREVRANGE while filling a page. */
const CHUNK = 256;
const STREAM_ID = /^\d+-\d+$/;

/** Cursors are base64url stream ids, like the memory log's, so they stay opaque. */
function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const id = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!STREAM_ID.test(id)) throw validation('cursor', 'not a cursor from this log');
  return id;
}

type StreamEntry = [id: string, fields: string[]];

function validation(field: string, message: string): MfaError {
  return new MfaError('VALIDATION', { fields: { [field]: message } });
}

function decodeEntry([id, fields]: StreamEntry): MfaEvent {
  const index = fields.indexOf('e');
  const json = index >= 0 ? fields[index + 1] : undefined;
  try {
    if (json === undefined) throw new Error('missing event field');
    return { ...(JSON.parse(json) as Omit<MfaEvent, 'id'>), id } as MfaEvent;
  } catch (error) {
    throw new MfaError('STORE_UNAVAILABLE', {
      message: `Event ${id} in the log is malformed.`,
      cause: error,
    });
  }
}

/**
 * `EventLog` on a capped Redis Stream. Stream ids are the event ids and carry
 * the event's time in their milliseconds part (see `append-event.lua.ts`), so
 * a query walks the stream newest first with XREVRANGE from the cursor,
 * stops at the `since` bound (an id is never earlier than its event's time,
 * so nothing at or after `since` lies below it), filters in Node, and reads
 * chunk by chunk until the page is full or the stream is exhausted.
 * `until` is applied as a filter, not an id bound, because an event appended
 * out of order may carry a later id than its time.
 */
export function createRedisEventLog({ caller, keys, maxLength }: RedisEventLogDeps): EventLog {
  return {
    async append(event) {
      const stored = {
        type: event.type,
        time: event.time,
        userId: event.userId,
        orgId: event.orgId ?? null,
        ip: event.ip ?? null,
        userAgent: event.userAgent ?? null,
        actor: event.actor ?? null,
        details: event.details,
      };
      const id = await caller.script(
        appendEventScript,
        [keys.events],
        [maxLength, event.time, JSON.stringify(stored)],
      );
      if (typeof id !== 'string') {
        throw new MfaError('STORE_UNAVAILABLE', { cause: new Error('XADD returned no id') });
      }
      return { ...stored, id } as MfaEvent;
    },

    async query(query): Promise<EventPage> {
      const limit = query.limit ?? DEFAULT_EVENT_PAGE_SIZE;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENT_PAGE_SIZE) {
        throw validation('limit', `must be an integer from 1 to ${MAX_EVENT_PAGE_SIZE}`);
      }
      const end = query.since === undefined ? '-' : `${Math.max(0, Math.floor(query.since))}-0`;
      let start = query.cursor === undefined ? '+' : `(${decodeCursor(query.cursor)}`;
      const found: MfaEvent[] = [];
      // One match more than the page tells whether an older page exists.
      while (found.length <= limit) {
        const from = start;
        const entries = (await caller.command('events query', (client) =>
          client.xrevrange(keys.events, from, end, 'COUNT', CHUNK),
        )) as StreamEntry[];
        for (const entry of entries) {
          const event = decodeEntry(entry);
          if (matchesEventQuery(event, query)) found.push(event);
          if (found.length > limit) break;
        }
        const last = entries[entries.length - 1];
        if (entries.length < CHUNK || last === undefined) break;
        start = `(${last[0]}`;
      }
      const events = found.slice(0, limit);
      const lastEvent = events[events.length - 1];
      return {
        events,
        nextCursor: found.length > limit && lastEvent !== undefined ? encodeCursor(lastEvent.id) : null,
      };
    },
  };
}
