import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CounterStore } from '@mfa-kit/core';
import {
  baseTime,
  type ConformanceOptions,
  count,
  DEFAULT_CONCURRENCY,
  type MakeStore,
} from './conformance-fixtures.js';

const LIMIT = { limit: 3, windowMs: 1_000 };

const newKey = (tag: string) => `conf:${tag}:${randomUUID()}`;

/**
 * Registers vitest tests proving that a {@link CounterStore} keeps fixed
 * windows and sliding budgets judged by the `now` passed in, and that
 * `consume` and `reserve` are atomic check-and-take (2 × `concurrency`
 * parallel calls on limit 10 allow exactly 10). `makeStore` must return an
 * isolated store per call.
 *
 * @example
 * runCounterStoreConformance('memory', () => createMemoryCounterStore());
 */
export function runCounterStoreConformance(
  name: string,
  makeStore: MakeStore<CounterStore>,
  options: ConformanceOptions = {},
): void {
  const parallel = (options.concurrency ?? DEFAULT_CONCURRENCY) * 2;

  describe(`CounterStore conformance: ${name}`, () => {
    it('consume allows up to the limit, then refuses without counting, until the window ends', async () => {
      const store = await makeStore();
      const key = newKey('consume');
      const now = baseTime();
      expect(await store.consume(key, LIMIT, now)).toEqual({ allowed: true, count: 1, retryAfterMs: 1_000 });
      expect(await store.consume(key, LIMIT, now + 100)).toEqual({
        allowed: true,
        count: 2,
        retryAfterMs: 900,
      });
      expect(await store.consume(key, LIMIT, now + 400)).toEqual({
        allowed: true,
        count: 3,
        retryAfterMs: 600,
      });
      expect(await store.consume(key, LIMIT, now + 999)).toEqual({
        allowed: false,
        count: 3,
        retryAfterMs: 1,
      });
      expect(await store.consume(key, LIMIT, now + 1_000)).toEqual({
        allowed: true,
        count: 1,
        retryAfterMs: 1_000,
      });
    });

    it('reserve takes slots of a sliding window, refuses over the limit, and release gives one back', async () => {
      const store = await makeStore();
      const key = newKey('reserve');
      const now = baseTime();
      const first = await store.reserve(key, LIMIT, now);
      expect(first).toMatchObject({ allowed: true, count: 1, retryAfterMs: 0 });
      expect(first.id).not.toBeNull();
      await store.reserve(key, LIMIT, now + 400);
      const third = await store.reserve(key, LIMIT, now + 600);
      expect(third).toMatchObject({ allowed: true, count: 3 });
      // Full: refused until the oldest slot leaves the window, slot by slot.
      expect(await store.reserve(key, LIMIT, now + 999)).toEqual({
        allowed: false,
        count: 3,
        retryAfterMs: 1,
        id: null,
      });
      expect(await store.reserve(key, LIMIT, now + 1_000)).toMatchObject({ allowed: true, count: 3 });
      expect(await store.reserve(key, LIMIT, now + 1_001)).toMatchObject({
        allowed: false,
        retryAfterMs: 399,
      });
      await store.release(key, third.id ?? '');
      expect(await store.reserve(key, LIMIT, now + 1_001)).toMatchObject({ allowed: true, count: 3 });
      await store.reset(key);
      expect(await store.reserve(key, LIMIT, now + 1_001)).toMatchObject({ allowed: true, count: 1 });
    });

    it('available tells whether reserve would take a slot, and takes none', async () => {
      const store = await makeStore();
      const key = newKey('available');
      const now = baseTime();
      expect(await store.available(key, LIMIT, now)).toEqual({
        allowed: true,
        count: 0,
        retryAfterMs: 0,
        id: null,
      });
      await store.reserve(key, LIMIT, now);
      await store.reserve(key, LIMIT, now + 400);
      expect(await store.available(key, LIMIT, now + 500)).toEqual({
        allowed: true,
        count: 2,
        retryAfterMs: 0,
        id: null,
      });
      // Looking took nothing: the third slot is still there to take.
      expect(await store.reserve(key, LIMIT, now + 600)).toMatchObject({ allowed: true, count: 3 });
      expect(await store.available(key, LIMIT, now + 999)).toEqual({
        allowed: false,
        count: 3,
        retryAfterMs: 1,
        id: null,
      });
      // The oldest slot left the window.
      expect(await store.available(key, LIMIT, now + 1_000)).toMatchObject({ allowed: true, count: 2 });
    });

    it(`reserve is atomic: ${parallel} parallel reservations on limit 10 take exactly 10`, async () => {
      const store = await makeStore();
      const key = newKey('reserve-race');
      const now = baseTime();
      const results = await Promise.all(
        Array.from({ length: parallel }, () => store.reserve(key, { limit: 10, windowMs: 60_000 }, now)),
      );
      expect(count(results, (r) => r.allowed)).toBe(10);
    });

    it('increment counts past the limit', async () => {
      const store = await makeStore();
      const key = newKey('increment');
      const now = baseTime();
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await store.increment(key, LIMIT, now + i));
      expect(results.map((r) => [r.allowed, r.count])).toEqual([
        [true, 1],
        [true, 2],
        [true, 3],
        [false, 4],
        [false, 5],
      ]);
      expect(results[4]?.retryAfterMs).toBe(996);
      expect((await store.consume(key, LIMIT, now + 10)).allowed).toBe(false);
    });

    it('peek reads without counting', async () => {
      const store = await makeStore();
      const key = newKey('peek');
      const now = baseTime();
      expect(await store.peek(key, LIMIT, now)).toEqual({ allowed: true, count: 0, retryAfterMs: 0 });
      await store.consume(key, LIMIT, now);
      await store.consume(key, LIMIT, now);
      expect(await store.peek(key, LIMIT, now + 200)).toEqual({ allowed: true, count: 2, retryAfterMs: 800 });
      expect(await store.peek(key, LIMIT, now + 200)).toEqual({ allowed: true, count: 2, retryAfterMs: 800 });
      await store.consume(key, LIMIT, now);
      expect(await store.peek(key, LIMIT, now + 300)).toEqual({
        allowed: false,
        count: 3,
        retryAfterMs: 700,
      });
      expect(await store.peek(key, LIMIT, now + 1_000)).toEqual({ allowed: true, count: 0, retryAfterMs: 0 });
    });

    it('reset forgets one key only', async () => {
      const store = await makeStore();
      const key = newKey('reset');
      const other = newKey('reset');
      const now = baseTime();
      for (let i = 0; i < 3; i++) {
        await store.consume(key, LIMIT, now);
        await store.consume(other, LIMIT, now);
      }
      await store.reset(key);
      expect(await store.consume(key, LIMIT, now)).toMatchObject({ allowed: true, count: 1 });
      expect(await store.consume(other, LIMIT, now)).toMatchObject({ allowed: false, count: 3 });
      await store.reset(newKey('never-used'));
    });

    it('keeps keys apart', async () => {
      const store = await makeStore();
      const now = baseTime();
      const a = newKey('a');
      for (let i = 0; i < 3; i++) await store.consume(a, LIMIT, now);
      expect(await store.consume(newKey('b'), LIMIT, now)).toMatchObject({ allowed: true, count: 1 });
      // Keys that differ only by characters special to some backends stay apart too.
      const braces = `conf:{x}:${randomUUID()}`;
      await store.consume(braces, LIMIT, now);
      expect(await store.peek(`${braces}}`, LIMIT, now)).toMatchObject({ count: 0 });
    });

    it(`allows exactly the limit among ${parallel} parallel consumes`, async () => {
      const store = await makeStore();
      const key = newKey('race');
      const now = baseTime();
      const limit = { limit: 10, windowMs: 60_000 };
      const results = await Promise.all(
        Array.from({ length: parallel }, () => store.consume(key, limit, now)),
      );
      expect(count(results, (r) => r.allowed)).toBe(10);
      expect(
        results
          .filter((r) => r.allowed)
          .map((r) => r.count)
          .sort((a, b) => a - b),
      ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(await store.peek(key, limit, now)).toMatchObject({ allowed: false, count: 10 });
    });
  });
}
