import type { CounterResult, CounterStore, WindowLimit } from '../ports/counter-store.js';

interface Window {
  count: number;
  /** Epoch ms when the window resets. */
  resetAt: number;
}

/** Expired windows are swept after this many writes, so keys that are never read again don't pile up. */
const SWEEP_EVERY_WRITES = 1_000;

/**
 * An in-process {@link CounterStore} with fixed windows. Each call is one
 * synchronous critical section (no `await` between the read and the write),
 * so N parallel `consume`s on one key allow exactly min(N, limit). Windows
 * are judged against the `now` passed in, never a timer, so tests control time.
 */
export function createMemoryCounterStore(): CounterStore {
  const windows = new Map<string, Window>();
  /** Sliding budgets: reservation id → time taken, per key. */
  const budgets = new Map<string, Map<string, number>>();
  let writes = 0;
  let reservations = 0;

  const sweep = (now: number) => {
    writes += 1;
    if (writes % SWEEP_EVERY_WRITES !== 0) return;
    for (const [key, window] of windows) if (now >= window.resetAt) windows.delete(key);
  };
  const live = (key: string, now: number): Window | null => {
    const window = windows.get(key);
    if (window === undefined) return null;
    if (now >= window.resetAt) {
      windows.delete(key);
      return null;
    }
    return window;
  };
  const open = (key: string, limit: WindowLimit, now: number): Window => {
    const window = live(key, now) ?? { count: 0, resetAt: now + limit.windowMs };
    windows.set(key, window);
    sweep(now);
    return window;
  };
  const result = (allowed: boolean, window: Window | null, now: number): CounterResult => ({
    allowed,
    count: window?.count ?? 0,
    retryAfterMs: window === null ? 0 : window.resetAt - now,
  });

  return {
    async consume(key, limit, now) {
      const window = open(key, limit, now);
      if (window.count >= limit.limit) return result(false, window, now);
      window.count += 1;
      return result(true, window, now);
    },
    async increment(key, limit, now) {
      const window = open(key, limit, now);
      window.count += 1;
      return result(window.count <= limit.limit, window, now);
    },
    async peek(key, limit, now) {
      const window = live(key, now);
      return result((window?.count ?? 0) < limit.limit, window, now);
    },
    async reset(key) {
      windows.delete(key);
      budgets.delete(key);
    },
    async available(key, limit, now) {
      const slots = [...(budgets.get(key)?.values() ?? [])].filter((at) => at > now - limit.windowMs);
      if (slots.length >= limit.limit) {
        const oldest = Math.min(...slots);
        return {
          allowed: false,
          count: slots.length,
          retryAfterMs: Math.max(1, oldest + limit.windowMs - now),
          id: null,
        };
      }
      return { allowed: true, count: slots.length, retryAfterMs: 0, id: null };
    },
    async reserve(key, limit, now) {
      const slots = budgets.get(key) ?? new Map<string, number>();
      for (const [id, at] of slots) if (at <= now - limit.windowMs) slots.delete(id);
      if (slots.size >= limit.limit) {
        const oldest = Math.min(...slots.values());
        return {
          allowed: false,
          count: slots.size,
          retryAfterMs: Math.max(1, oldest + limit.windowMs - now),
          id: null,
        };
      }
      reservations += 1;
      const id = String(reservations);
      slots.set(id, now);
      budgets.set(key, slots);
      return { allowed: true, count: slots.size, retryAfterMs: 0, id };
    },
    async release(key, id) {
      const slots = budgets.get(key);
      slots?.delete(id);
      if (slots?.size === 0) budgets.delete(key);
    },
  };
}
