import { MfaError } from '../errors.js';
import type { CounterResult, CounterStore, WindowLimit } from '../ports/counter-store.js';
import type { RedisKeys } from './keys.js';
import type { RedisCaller } from './redis-caller.js';
import { counterScript } from './scripts/counter.lua.js';

/** What {@link createRedisCounterStore} needs. */
export interface RedisCounterStoreDeps {
  caller: RedisCaller;
  keys: RedisKeys;
}

function decode(reply: unknown): CounterResult {
  if (!Array.isArray(reply) || reply.length !== 3) {
    throw new MfaError('STORE_UNAVAILABLE', {
      cause: new Error(`unexpected reply from the counter script: ${JSON.stringify(reply)}`),
    });
  }
  return { allowed: reply[0] === 1, count: Number(reply[1]), retryAfterMs: Number(reply[2]) };
}

/** `CounterStore` on Redis: one Lua script per call (check and count in one atomic step). */
export function createRedisCounterStore({ caller, keys }: RedisCounterStoreDeps): CounterStore {
  // consume/increment spend budget (an unlock token's single use, a per-IP failure budget): durable when configured.
  const run = async (
    mode: 'consume' | 'increment' | 'peek',
    key: string,
    limit: WindowLimit,
    now: number,
  ) => {
    const args = [mode, limit.limit, limit.windowMs, now];
    const keyList = [keys.counter(key)];
    return decode(
      await (mode === 'peek'
        ? caller.script(counterScript, keyList, args)
        : caller.spend(counterScript, keyList, args)),
    );
  };
  return {
    consume: (key, limit, now) => run('consume', key, limit, now),
    increment: (key, limit, now) => run('increment', key, limit, now),
    peek: (key, limit, now) => run('peek', key, limit, now),
    async reset(key) {
      await caller.command('counter reset', (client) => client.del(keys.counter(key)));
    },
  };
}
