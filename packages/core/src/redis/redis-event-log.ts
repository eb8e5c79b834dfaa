import { MfaError } from '../errors.js';
import { matchesEventQuery } from '../event-query.js';
import { type EventPage, type MfaEvent, isAuditEvent } from '../events.js';
import type { EventLog } from '../ports/event-log.js';
import type { RedisKeys } from './keys.js';
import type { RedisCaller } from './redis-caller.js';
import { appendEventScript } from './scripts/append-event.lua.js';

/** What {@link createRedisEventLog} needs. */
export interface RedisEventLogDeps {
  caller: RedisCaller;
  keys: RedisKeys;
  /** Approximate cap of the events stream (XADD MAXLEN ~). */
  maxLength: number;
  /** Age past which audit events are trimmed (XADD MINID ~), ms. */
  auditRetentionMs: number;
}

/** Default page size of a query (see `EventQuery.limit`). */
export const DEFAULT_EVENT_PAGE_SIZE = 50;
/** Largest page size of a query. */
export const MAX_EVENT_PAGE_SIZE = 500;
/** Entries read per XREVRANGE while filling a page. */
const CHUNK = 256;
const STREAM_ID = /^\d+-\d+$/;
/** Audit events' ids carry this prefix: the two streams number their entries independently. */
const AUDIT_ID_PREFIX = 'audit-';

/** Cursors are base64url event ids, like the memory log's, so they stay opaque. */
function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** Where a cursor points: the stream id of the last event returned and which stream it came from. */
function decodeCursor(cursor: string): { id: string; audit: boolean } {
  const text = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const audit = text.startsWith(AUDIT_ID_PREFIX);
  const id = audit ? text.slice(AUDIT_ID_PREFIX.length) : text;
  if (!STREAM_ID.test(id)) throw validation('cursor', 'not a cursor from this log');
  return { id, audit };
}

type StreamEntry = [id: string, fields: string[]];

function validation(field: string, message: string): MfaError {
  return new MfaError('VALIDATION', { fields: { [field]: message } });
}

function decodeEntry([id, fields]: StreamEntry, idPrefix: string): MfaEvent {
  const index = fields.indexOf('e');
  const json = index >= 0 ? fields[index + 1] : undefined;
  try {
    if (json === undefined) throw new Error('missing event field');
    return { ...(JSON.parse(json) as Omit<MfaEvent, 'id'>), id: `${idPrefix}${id}` } as MfaEvent;
  } catch (error) {
    throw new MfaError('STORE_UNAVAILABLE', {
      message: `Event ${id} in the log is malformed.`,
      cause: error,
    });
  }
}

/** Orders stream ids numerically (`<ms>-<seq>`); positive when `a` is newer. */
function compareStreamIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

/** One stream read newest first, chunk by chunk, as a queue of entries. */
interface StreamReader {
  audit: boolean;
  buffer: StreamEntry[];
  /** XREVRANGE start of the next chunk. */
  start: string;
  exhausted: boolean;
}

/**
 * `EventLog` on two Redis Streams: `events` (capped by count: failures that
 * anyone can trigger) and `audit` (admin actions and locks, trimmed by age
 * only), so a flood of wrong codes cannot evict the audit trail. Stream ids
 * carry the event's time in their milliseconds part (see
 * `append-event.lua.ts`); a query walks both streams newest first with
 * XREVRANGE from the cursor and merges them (on equal ids the audit entry
 * comes first), stops at the `since` bound (an id is never earlier than its
 * event's time, so nothing at or after `since` lies below it), filters in
 * Node, and reads chunk by chunk until the page is full or both streams are
 * exhausted. `until` is applied as a filter, not an id bound, because an
 * event appended out of order may carry a later id than its time.
 */
export function createRedisEventLog({
  caller,
  keys,
  maxLength,
  auditRetentionMs,
}: RedisEventLogDeps): EventLog {
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
      const audit = isAuditEvent(event.type);
      const trim = audit
        ? [`${Math.max(0, Math.floor(event.time - auditRetentionMs))}-0`, 'MINID']
        : [maxLength, 'MAXLEN'];
      const id = await caller.script(
        appendEventScript,
        [audit ? keys.audit : keys.events],
        [trim[0] as string | number, event.time, JSON.stringify(stored), trim[1] as string],
      );
      if (typeof id !== 'string') {
        throw new MfaError('STORE_UNAVAILABLE', { cause: new Error('XADD returned no id') });
      }
      return { ...stored, id: audit ? `${AUDIT_ID_PREFIX}${id}` : id } as MfaEvent;
    },

    async query(query): Promise<EventPage> {
      const limit = query.limit ?? DEFAULT_EVENT_PAGE_SIZE;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENT_PAGE_SIZE) {
        throw validation('limit', `must be an integer from 1 to ${MAX_EVENT_PAGE_SIZE}`);
      }
      const end = query.since === undefined ? '-' : `${Math.max(0, Math.floor(query.since))}-0`;
      const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor);
      // Audit entries come first on equal ids, so after an audit cursor the events stream resumes at the same id.
      const reader = (audit: boolean): StreamReader => ({
        audit,
        buffer: [],
        start: cursor === null ? '+' : !audit && cursor.audit ? cursor.id : `(${cursor.id}`,
        exhausted: false,
      });
      const readers = [reader(true), reader(false)];
      const refill = async (r: StreamReader) => {
        const from = r.start;
        const entries = (await caller.command('events query', (client) =>
          client.xrevrange(r.audit ? keys.audit : keys.events, from, end, 'COUNT', CHUNK),
        )) as StreamEntry[];
        r.buffer = entries;
        const last = entries[entries.length - 1];
        if (entries.length < CHUNK || last === undefined) r.exhausted = true;
        else r.start = `(${last[0]}`;
      };
      const found: MfaEvent[] = [];
      // One match more than the page tells whether an older page exists.
      while (found.length <= limit) {
        await Promise.all(readers.filter((r) => r.buffer.length === 0 && !r.exhausted).map(refill));
        let next: StreamReader | undefined;
        for (const r of readers) {
          const head = r.buffer[0];
          if (head === undefined) continue;
          const nextHead = next?.buffer[0];
          if (nextHead === undefined || compareStreamIds(head[0], nextHead[0]) > 0) next = r;
        }
        const entry = next?.buffer.shift();
        if (next === undefined || entry === undefined) break;
        const event = decodeEntry(entry, next.audit ? AUDIT_ID_PREFIX : '');
        if (matchesEventQuery(event, query)) found.push(event);
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
