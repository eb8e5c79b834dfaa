import { MfaError } from '../errors.js';
import { isProgrammingError } from '../mfa/fail-closed.js';
import type { LuaScript } from './lua-script.js';
import type { RedisClient } from './redis-client.js';

/** A script argument as Redis receives it. */
export type ScriptArg = string | number;

/**
 * The one way the Redis stores talk to Redis: every call is bounded by a
 * timeout and every failure becomes `MfaError('STORE_UNAVAILABLE')` with the
 * ioredis error as `cause`, so no raw ioredis error escapes and no caller
 * ever gets a decision made on a failed call (fail closed).
 */
export interface RedisCaller {
  /** Runs a script with EVALSHA; on NOSCRIPT (Redis restarted, or a cluster node that never saw it) retries once with EVAL, which caches it again. */
  script(script: LuaScript, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown>;
  /** Runs plain commands under the same timeout and error mapping. */
  command<T>(name: string, run: (client: RedisClient) => Promise<T>): Promise<T>;
}

/**
 * States in which ioredis would park a command in its offline queue and run it
 * whenever the connection comes back (possibly long after we gave up on it).
 * Refusing at once keeps calls bounded and avoids late side effects.
 */
const UNAVAILABLE_STATES = new Set(['close', 'reconnecting', 'end']);

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/** Builds a {@link RedisCaller} over `client` with a per-call timeout of `timeoutMs`. */
export function createRedisCaller(client: RedisClient, timeoutMs: number): RedisCaller {
  const bounded = <T>(what: string, run: () => Promise<T>): Promise<T> => {
    if (UNAVAILABLE_STATES.has(client.status)) {
      return Promise.reject(
        new MfaError('STORE_UNAVAILABLE', {
          cause: new Error(`redis ${what}: connection is ${client.status}`),
        }),
      );
    }
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        // The command may still run later (ioredis resends unfulfilled commands
        // after a reconnect). That can only count a failure or consume a
        // step/code the caller was told failed: it never accepts anything.
        reject(
          new MfaError('STORE_UNAVAILABLE', {
            cause: new Error(`redis ${what}: no answer within ${timeoutMs} ms`),
          }),
        );
      }, timeoutMs);
      let pending: Promise<T>;
      try {
        pending = run();
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (value) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          // A programming error (e.g. a TypeError from a misused client) is a bug, not an outage.
          reject(
            error instanceof MfaError || isProgrammingError(error)
              ? error
              : new MfaError('STORE_UNAVAILABLE', { cause: error }),
          );
        },
      );
    });
  };

  return {
    script(script, keys, args) {
      const flat = [...keys, ...args];
      return bounded(`script ${script.name}`, async () => {
        try {
          return await client.evalsha(script.sha, keys.length, ...flat);
        } catch (error) {
          if (!isNoScript(error)) throw error;
          // EVAL both runs and caches the script on the node that owns the keys' slot.
          return await client.eval(script.source, keys.length, ...flat);
        }
      });
    },
    command(name, run) {
      return bounded(name, () => run(client));
    },
  };
}
