import { MfaError } from '../errors.js';
import { eventSearchText, matchesEventQuery } from '../event-query.js';
import { DEFAULT_AUDIT_RETENTION_MS, type EventPage, type MfaEvent, isAuditEvent } from '../events.js';
import type { EventLog } from '../ports/event-log.js';

/** Default number of events kept before the oldest are dropped. */
export const DEFAULT_EVENT_LOG_MAX_LENGTH = 10_000;
/** Default page size of {@link EventLog.query}. */
export const DEFAULT_EVENT_PAGE_SIZE = 50;
/** Largest page size of {@link EventLog.query}. */
export const MAX_EVENT_PAGE_SIZE = 500;

/** Options for {@link createMemoryEventLog}. */
export interface MemoryEventLogOptions {
  /** Events kept; older ones are dropped, like a capped Redis Stream. Audit events don't count. @default 10_000 */
  maxLength?: number;
  /** Audit events (`AUDIT_EVENT_TYPES`) older than this (ms before the newest event) are dropped; never by count. @default 400 days */
  auditRetentionMs?: number;
}

interface Entry {
  /** Numeric parts of the id, for ordering without parsing strings on every query. */
  ms: number;
  seq: number;
  event: MfaEvent;
  /** {@link eventSearchText} of the event, computed once at append. */
  haystack: string;
  audit: boolean;
}

const ID_PATTERN = /^(\d+)-(\d+)$/;

/** Ids look like Redis stream ids (`<ms>-<seq>`), so memory and Redis logs hand out the same shape. */
function formatId(ms: number, seq: number): string {
  return `${ms}-${seq}`;
}

function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { ms: number; seq: number } {
  const match = /^[A-Za-z0-9_-]+$/.test(cursor)
    ? ID_PATTERN.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
    : null;
  if (match === null) {
    throw new MfaError('VALIDATION', {
      message: 'Invalid cursor.',
      fields: { cursor: 'not a cursor from this log' },
    });
  }
  return { ms: Number(match[1]), seq: Number(match[2]) };
}

function pageSize(limit: number | undefined): number {
  const size = limit ?? DEFAULT_EVENT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_EVENT_PAGE_SIZE) {
    throw new MfaError('VALIDATION', {
      message: `limit must be an integer from 1 to ${MAX_EVENT_PAGE_SIZE}.`,
      fields: { limit: `an integer from 1 to ${MAX_EVENT_PAGE_SIZE}` },
    });
  }
  return size;
}

/**
 * An in-process, capped {@link EventLog}. Ids are `<ms>-<seq>` and increase
 * with every append (like Redis stream ids: an event stamped earlier than the
 * previous one still gets a later id), so "newest first" is append order
 * reversed and a cursor is simply the last id returned.
 */
export function createMemoryEventLog(options: MemoryEventLogOptions = {}): EventLog {
  const maxLength = options.maxLength ?? DEFAULT_EVENT_LOG_MAX_LENGTH;
  if (!Number.isInteger(maxLength) || maxLength < 1) {
    throw new MfaError('CONFIGURATION', { message: 'eventLogMaxLength must be a positive integer.' });
  }
  const auditRetentionMs = options.auditRetentionMs ?? DEFAULT_AUDIT_RETENTION_MS;
  const entries: Entry[] = [];
  let ordinary = 0;
  let oldestAuditMs: number | null = null;
  let lastMs = -1;
  let lastSeq = 0;

  return {
    async append(input) {
      const ms = Math.max(Math.floor(input.time), lastMs);
      const seq = ms === lastMs ? lastSeq + 1 : 0;
      lastMs = ms;
      lastSeq = seq;
      const event = structuredClone({
        ...input,
        id: formatId(ms, seq),
        orgId: input.orgId ?? null,
        ip: input.ip ?? null,
        userAgent: input.userAgent ?? null,
        actor: input.actor ?? null,
      }) as MfaEvent;
      const audit = isAuditEvent(event.type);
      entries.push({ ms, seq, event, haystack: eventSearchText(event), audit });
      if (audit) oldestAuditMs ??= ms;
      else ordinary++;
      // Like the Redis log's two streams: ordinary events capped by count, audit events by age only.
      const cutoffMs = ms - auditRetentionMs;
      if (ordinary > maxLength || (oldestAuditMs !== null && oldestAuditMs < cutoffMs)) {
        let excess = ordinary - maxLength;
        const kept = entries.filter((entry) => {
          if (entry.audit) return entry.ms >= cutoffMs;
          return excess-- <= 0;
        });
        entries.splice(0, entries.length, ...kept);
        ordinary = kept.filter((entry) => !entry.audit).length;
        oldestAuditMs = kept.find((entry) => entry.audit)?.ms ?? null;
      }
      return structuredClone(event);
    },
    async query(query): Promise<EventPage> {
      const size = pageSize(query.limit);
      const before = query.cursor === undefined ? null : decodeCursor(query.cursor);
      const events: MfaEvent[] = [];
      let hasMore = false;
      for (let i = entries.length - 1; i >= 0; i--) {
        const entry = entries[i]!;
        if (
          before !== null &&
          (entry.ms > before.ms || (entry.ms === before.ms && entry.seq >= before.seq))
        ) {
          continue;
        }
        if (!matchesEventQuery(entry.event, query, entry.haystack)) continue;
        if (events.length === size) {
          hasMore = true;
          break;
        }
        events.push(structuredClone(entry.event));
      }
      const last = events.at(-1);
      return { events, nextCursor: hasMore && last !== undefined ? encodeCursor(last.id) : null };
    },
  };
}
