import { describe, expect, it } from 'vitest';
import { type EventLog, type EventType, MfaError, type MfaEvent, type NewMfaEvent } from '@mfa-kit/core';
import {
  baseTime,
  type ConformanceOptions,
  DEFAULT_CONCURRENCY,
  type MakeStore,
} from './conformance-fixtures.js';

/** Options for {@link runEventLogConformance}. */
export interface EventLogConformanceOptions extends ConformanceOptions {
  /**
   * How many events the logs made by `makeLog` keep. When given, capping is
   * tested by appending more than that; keep it small (e.g. 60) for speed.
   * The default page size (50) is tested only when this is above 50.
   */
  maxLength?: number;
  /**
   * How long the logs made by `makeLog` keep audit events, ms. When given,
   * retention by age is tested (keep it small, e.g. 60_000; times are faked).
   */
  auditRetentionMs?: number;
}

type NewEvent = NewMfaEvent & { time: number };

function adminReset(userId: string, time: number): NewEvent {
  return {
    type: 'ADMIN_RESET',
    userId,
    actor: { kind: 'admin', id: 'root' },
    details: {},
    time,
  } as NewEvent;
}

function failed(userId: string, time: number, extra: Partial<NewEvent> = {}): NewEvent {
  return {
    type: 'VERIFICATION_FAILED',
    userId,
    details: { factor: 'totp', reason: 'mismatch' },
    time,
    ...extra,
  } as NewEvent;
}

async function appendAll(log: EventLog, events: readonly NewEvent[]): Promise<MfaEvent[]> {
  const stored: MfaEvent[] = [];
  for (const event of events) stored.push(await log.append(event));
  return stored;
}

/** Reads every page of `query`, checking that pages are newest first. */
async function readAll(log: EventLog, query: Parameters<EventLog['query']>[0]): Promise<MfaEvent[]> {
  const all: MfaEvent[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1_000; page++) {
    const result = await log.query(cursor === undefined ? query : { ...query, cursor });
    all.push(...result.events);
    if (result.nextCursor === null) return all;
    expect(result.events.length).toBe(query.limit ?? 50);
    cursor = result.nextCursor;
  }
  throw new Error('pagination did not end');
}

async function expectValidation(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(MfaError);
  expect((error as MfaError).code).toBe('VALIDATION');
}

/**
 * Registers vitest tests proving that an {@link EventLog} appends with ids,
 * returns newest first, applies every filter of `EventQuery`, paginates with
 * a cursor that visits each event exactly once, rejects bad limits and
 * cursors with `VALIDATION`, and (with `maxLength`) drops the oldest events.
 * `makeLog` must return an isolated, empty log per call.
 *
 * @example
 * runEventLogConformance('memory', () => createMemoryEventLog({ maxLength: 60 }), { maxLength: 60 });
 */
export function runEventLogConformance(
  name: string,
  makeLog: MakeStore<EventLog>,
  options: EventLogConformanceOptions = {},
): void {
  // A capped log can only prove that it keeps as many parallel appends as it holds.
  const concurrency = Math.min(
    options.concurrency ?? DEFAULT_CONCURRENCY,
    options.maxLength ?? Number.POSITIVE_INFINITY,
  );

  describe(`EventLog conformance: ${name}`, () => {
    it('append returns the event with an id, its time and explicit nulls', async () => {
      const log = await makeLog();
      const time = baseTime();
      const event = await log.append(failed('u1', time));
      expect(event).toEqual({
        id: expect.any(String),
        time,
        type: 'VERIFICATION_FAILED',
        userId: 'u1',
        orgId: null,
        ip: null,
        userAgent: null,
        actor: null,
        details: { factor: 'totp', reason: 'mismatch' },
      });
      const full = await log.append(
        failed('u2', time + 1, {
          orgId: 'org-1',
          ip: '203.0.113.7',
          userAgent: 'Mozilla/5.0',
          actor: { kind: 'admin', id: 'admin-1' },
        }),
      );
      expect(full).toMatchObject({ orgId: 'org-1', ip: '203.0.113.7', userAgent: 'Mozilla/5.0' });
      expect(full.actor).toEqual({ kind: 'admin', id: 'admin-1' });
      expect(full.id).not.toBe(event.id);
      expect((await log.query({})).events).toEqual([full, event]);
    });

    it('returns newest first with unique ids', async () => {
      const log = await makeLog();
      const time = baseTime();
      const stored = await appendAll(
        log,
        Array.from({ length: 6 }, (_, i) => failed(`u${i}`, time + Math.floor(i / 2))),
      );
      const page = await log.query({});
      expect(page.events.map((e) => e.userId)).toEqual(['u5', 'u4', 'u3', 'u2', 'u1', 'u0']);
      expect(page.nextCursor).toBeNull();
      expect(new Set(stored.map((e) => e.id)).size).toBe(6);
    });

    it('filters by types, user, organisation and an inclusive date range', async () => {
      const log = await makeLog();
      const t = baseTime();
      await appendAll(log, [
        failed('alice', t, { orgId: 'org-a' }),
        {
          type: 'ACCOUNT_LOCK',
          userId: 'alice',
          details: { lockId: 'l1', reason: 'failures', until: null },
          time: t + 10,
          orgId: 'org-a',
        },
        {
          type: 'COOLDOWN_ACTIVATED',
          userId: 'bob',
          details: { family: 'totp', until: t + 60_000 },
          time: t + 20,
          orgId: 'org-b',
        },
        failed('bob', t + 30, { orgId: 'org-b' }),
        { type: 'SESSION_EXPIRED', userId: null, details: { stage: 'challenge' }, time: t + 40 },
      ]);
      const types = (query: Parameters<EventLog['query']>[0]) =>
        log.query(query).then((page) => page.events.map((e) => `${e.type}:${e.userId}`));
      expect(await types({ types: ['ACCOUNT_LOCK', 'COOLDOWN_ACTIVATED'] })).toEqual([
        'COOLDOWN_ACTIVATED:bob',
        'ACCOUNT_LOCK:alice',
      ]);
      expect(await types({ userId: 'alice' })).toEqual(['ACCOUNT_LOCK:alice', 'VERIFICATION_FAILED:alice']);
      expect(await types({ orgId: 'org-b' })).toEqual(['VERIFICATION_FAILED:bob', 'COOLDOWN_ACTIVATED:bob']);
      expect(await types({ since: t + 10, until: t + 30 })).toEqual([
        'VERIFICATION_FAILED:bob',
        'COOLDOWN_ACTIVATED:bob',
        'ACCOUNT_LOCK:alice',
      ]);
      expect(await types({ since: t + 41 })).toEqual([]);
      expect(await types({ until: t })).toEqual(['VERIFICATION_FAILED:alice']);
      expect(
        await types({ types: ['VERIFICATION_FAILED'], userId: 'bob', since: t + 30, until: t + 30 }),
      ).toEqual(['VERIFICATION_FAILED:bob']);
      expect(await types({ types: ['SMS_FAILURE' as EventType] })).toEqual([]);
    });

    it('searches text case-insensitively over user, organisation, actor and details', async () => {
      const log = await makeLog();
      const t = baseTime();
      await appendAll(log, [
        failed('Carol.Smith', t),
        failed('dave', t + 1, { orgId: 'Acme-Corp' }),
        {
          type: 'ADMIN_RESET',
          userId: 'erin',
          details: { reason: 'lost phone' },
          actor: { kind: 'admin', id: 'Root-Admin' },
          time: t + 2,
        },
        {
          type: 'PROVIDER_FAILURE',
          userId: 'frank',
          details: {
            provider: 'twilio',
            providerCode: 21211,
            maskedPhone: '+1 ••• ••• 1234',
            message: 'Invalid To',
          },
          time: t + 3,
        },
      ]);
      const users = (text: string) => log.query({ text }).then((page) => page.events.map((e) => e.userId));
      expect(await users('carol.smith')).toEqual(['Carol.Smith']);
      expect(await users('ACME')).toEqual(['dave']);
      expect(await users('root-admin')).toEqual(['erin']);
      expect(await users('LOST PHONE')).toEqual(['erin']);
      expect(await users('21211')).toEqual(['frank']);
      expect(await users('1234')).toEqual(['frank']);
      expect(await users('no such text')).toEqual([]);
    });

    it('paginates with a cursor, visiting every matching event exactly once, newest first', async () => {
      const log = await makeLog();
      const t = baseTime();
      const stored = await appendAll(
        log,
        Array.from({ length: 23 }, (_, i) => failed(i % 3 === 0 ? 'match' : 'other', t + i)),
      );
      const expected = stored.filter((e) => e.userId === 'match').reverse();
      const pages = await readAll(log, { userId: 'match', limit: 3 });
      expect(pages.map((e) => e.id)).toEqual(expected.map((e) => e.id));
      const everything = await readAll(log, { limit: 5 });
      expect(everything.map((e) => e.id)).toEqual([...stored].reverse().map((e) => e.id));
    });

    it('a cursor keeps its place when newer events arrive', async () => {
      const log = await makeLog();
      const t = baseTime();
      await appendAll(
        log,
        Array.from({ length: 4 }, (_, i) => failed(`u${i}`, t + i)),
      );
      const first = await log.query({ limit: 2 });
      expect(first.events.map((e) => e.userId)).toEqual(['u3', 'u2']);
      await log.append(failed('late', t + 10));
      const second = await log.query({ limit: 2, cursor: first.nextCursor ?? 'missing' });
      expect(second.events.map((e) => e.userId)).toEqual(['u1', 'u0']);
      expect(second.nextCursor).toBeNull();
    });

    if (options.maxLength === undefined || options.maxLength > 50) {
      it('pages 50 events by default', async () => {
        const log = await makeLog();
        const t = baseTime();
        await appendAll(
          log,
          Array.from({ length: 51 }, (_, i) => failed('u', t + i)),
        );
        const page = await log.query({});
        expect(page.events).toHaveLength(50);
        expect(page.nextCursor).not.toBeNull();
        expect((await log.query({ cursor: page.nextCursor ?? '' })).events).toHaveLength(1);
      });
    }

    it('rejects a limit outside 1..500 and a malformed cursor with VALIDATION', async () => {
      const log = await makeLog();
      await log.append(failed('u', baseTime()));
      for (const limit of [0, -1, 501, 1.5, Number.NaN]) await expectValidation(log.query({ limit }));
      expect((await log.query({ limit: 500 })).events).toHaveLength(1);
      expect((await log.query({ limit: 1 })).events).toHaveLength(1);
      for (const cursor of ['', 'not a cursor!', '%%%', Buffer.from('garbage').toString('base64url')]) {
        await expectValidation(log.query({ cursor }));
      }
    });

    it('hands out copies', async () => {
      const log = await makeLog();
      const appended = await log.append(failed('u', baseTime()));
      (appended.details as { reason: string }).reason = 'changed';
      const [read] = (await log.query({})).events;
      expect(read?.details).toEqual({ factor: 'totp', reason: 'mismatch' });
    });

    it(`keeps all of ${concurrency} parallel appends with unique ids`, async () => {
      const log = await makeLog();
      const t = baseTime();
      const stored = await Promise.all(
        Array.from({ length: concurrency }, (_, i) => log.append(failed(`p${i}`, t))),
      );
      expect(new Set(stored.map((e) => e.id)).size).toBe(concurrency);
      const all = await readAll(log, { limit: 7 });
      expect(new Set(all.map((e) => e.userId))).toEqual(new Set(stored.map((e) => e.userId)));
    });

    it('merges audit events (admin actions, locks) with other events newest first across pages', async () => {
      const log = await makeLog();
      const t = baseTime();
      const stored = await appendAll(
        log,
        Array.from({ length: 11 }, (_, i) =>
          i % 3 === 1 ? adminReset(`a${i}`, t + i) : failed(`f${i}`, t + i),
        ),
      );
      expect(new Set(stored.map((e) => e.id)).size).toBe(11);
      const all = await readAll(log, { limit: 2 });
      expect(all.map((e) => e.id)).toEqual([...stored].reverse().map((e) => e.id));
      const audit = await readAll(log, { types: ['ADMIN_RESET'], limit: 1 });
      expect(audit.map((e) => e.userId)).toEqual(['a10', 'a7', 'a4', 'a1']);
    });

    const { maxLength } = options;
    if (maxLength !== undefined) {
      it(`keeps only the newest ${maxLength} events`, async () => {
        const log = await makeLog();
        const t = baseTime();
        const stored = await appendAll(
          log,
          Array.from({ length: maxLength + 7 }, (_, i) => failed(`u${i}`, t + i)),
        );
        const all = await readAll(log, { limit: 500 });
        expect(all.map((e) => e.id)).toEqual(
          stored
            .slice(7)
            .reverse()
            .map((e) => e.id),
        );
      });

      it(`a flood of ${maxLength * 2} failures evicts no audit event (admin actions, locks)`, async () => {
        const log = await makeLog();
        const t = baseTime();
        const reset = await log.append(adminReset('victim', t));
        const lock = await log.append({
          type: 'ACCOUNT_LOCK',
          userId: 'victim',
          details: { lockId: 'l1', reason: 'failures', until: null },
          time: t + 1,
        } as NewEvent);
        await appendAll(
          log,
          Array.from({ length: maxLength * 2 }, (_, i) => failed('attacker-target', t + 2 + i)),
        );
        const audit = await readAll(log, { types: ['ADMIN_RESET', 'ACCOUNT_LOCK'], limit: 10 });
        expect(audit.map((e) => e.id)).toEqual([lock.id, reset.id]);
        const failures = await readAll(log, { types: ['VERIFICATION_FAILED'], limit: 500 });
        expect(failures).toHaveLength(maxLength);
      });
    }
    const { auditRetentionMs } = options;
    if (auditRetentionMs !== undefined) {
      it(`drops audit events older than ${auditRetentionMs} ms, and only those`, async () => {
        const log = await makeLog();
        const t = baseTime();
        await log.append(adminReset('old', t));
        const kept = await log.append(adminReset('recent', t + 2));
        const newest = await log.append(adminReset('newest', t + auditRetentionMs + 1));
        const audit = await readAll(log, { types: ['ADMIN_RESET'], limit: 10 });
        expect(audit.map((e) => e.id)).toEqual([newest.id, kept.id]);
      });
    }
  });
}
