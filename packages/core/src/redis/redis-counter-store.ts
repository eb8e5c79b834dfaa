import { randomUUID } from 'node:crypto';
import { MfaError } from '../errors.js';
import type { CounterResult, CounterStore, WindowLimit } from '../ports/counter-store.js';
import type { RedisKeys } from './keys.js';
import type { RedisCaller } from './redis-caller.js';
import { callScript } from './call-script.js';
import { counterScript } from './scripts/counter.lua.js';
import { reserveScript } from './scripts/reserve.lua.js';

/** What {@link createRedisCounterStore} needs. */
export interface RedisCounterStoreDeps {
  caller: RedisCaller;
  keys: RedisKeys;
  /** Whose clock judges windows: Redis `TIME` (default) or the caller's `now` (tests). */
  clockSource?: 'redis' | 'caller';
}

function decode(reply: unknown): CounterResult {
  if (!Array.isArray(reply) || reply.length !== 3) {
    throw new MfaError('STORE_UNAVAILABLE', {
      cause: new Error(`unexpected reply from the counter script: ${JSON.stringify(reply)}`),
    });
  }
  return { allowed: reply[0] === 1, count: Number(reply[1]), retryAfterMs: Number(reply[2]) };
}

/**
 * `CounterStore` on Redis: one Lua script per call (check and count in one atomic step), timed by Redis
 * `TIME`. consume/increment/reserve spend budget (an SMS send, a per-address failure slot): durable when
 * configured.
 */
export function createRedisCounterStore({
  caller,
  keys,
  clockSource = 'redis',
}: RedisCounterStoreDeps): CounterStore {
  const clock = (now: number) => (clockSource === 'caller' ? { now } : {});
  const run = async (mode: 'consume' | 'increment' | 'peek', key: string, limit: WindowLimit, now: number) =>
    decode(
      await callScript(
        caller,
        counterScript,
        [keys.counter(key)],
        { mode, limit: limit.limit, windowMs: limit.windowMs, ...clock(now) },
        { spend: mode !== 'peek' },
      ),
    );
  return {
    consume: (key, limit, now) => run('consume', key, limit, now),
    increment: (key, limit, now) => run('increment', key, limit, now),
    peek: (key, limit, now) => run('peek', key, limit, now),
    async reset(key) {
      await caller.command('counter reset', (client) => client.del(keys.counter(key)));
    },
    async reserve(key, limit, now) {
      const id = randomUUID();
      const result = decode(
        await callScript(
          caller,
          reserveScript,
          [keys.counter(key)],
          { limit: limit.limit, windowMs: limit.windowMs, id, ...clock(now) },
          { spend: true },
        ),
      );
      return { ...result, id: result.allowed ? id : null };
    },
    async available(key, limit, now) {
      // Takes nothing, so nothing to make durable.
      const result = decode(
        await callScript(caller, reserveScript, [keys.counter(key)], {
          limit: limit.limit,
          windowMs: limit.windowMs,
          look: true,
          ...clock(now),
        }),
      );
      return { ...result, id: null };
    },
    async release(key, id) {
      await caller.command('counter release', (client) => client.zrem(keys.counter(key), id));
    },
  };
}
