import type { ChainableCommander } from 'ioredis';
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
  /**
   * Runs a script that spends something (a TOTP step, a recovery or SMS code,
   * an unlock token, a lock, a failure count). With {@link Durability} set it
   * sends `WAIT <replicas> <timeoutMs>` in the same pipeline, so on the same
   * connection (on a Cluster, to the node that owns the keys' slot) right
   * after the script, and resolves only once that many replicas acknowledged
   * the write. Fewer acknowledgements reject with `STORE_UNAVAILABLE`; the
   * spend stays spent on the primary (fail closed). Without durability it is
   * {@link RedisCaller.script}.
   */
  spend(script: LuaScript, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown>;
  /**
   * Runs one plain write command whose loss in a failover would weaken
   * security (a session epoch bump, a grace sign-in, a dropped SMS challenge,
   * a policy change), with the same replica acknowledgement as
   * {@link RedisCaller.spend} when {@link Durability} is set; without it, the
   * command alone. `args` start with the command's key.
   */
  write(name: string, command: string, args: readonly ScriptArg[]): Promise<unknown>;
  /** Runs plain commands under the same timeout and error mapping. */
  command<T>(name: string, run: (client: RedisClient) => Promise<T>): Promise<T>;
}

/** Replica acknowledgement required for spends (`createRedisBackend({ durability })`). */
export interface Durability {
  /** Replicas that must acknowledge a spend before it is reported as a success. */
  replicas: number;
  /** How long WAIT waits for them, ms. */
  timeoutMs: number;
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

type PipelineReply = [error: Error | null, result: unknown][] | null;

/** The script's reply from a `[script, WAIT]` pipeline, or throws what failed. */
function scriptReply(replies: PipelineReply): { reply: unknown; acknowledged: number } {
  const [script, wait] = replies ?? [];
  if (script === undefined || wait === undefined) throw new Error('redis pipeline returned no replies');
  if (script[0] !== null) throw script[0];
  if (wait[0] !== null) throw wait[0];
  return { reply: script[1], acknowledged: Number(wait[1]) };
}

/** Whether `client` is a Cluster client that autopipelines EVALSHA/EVAL (see `createRedisCaller`). */
function scriptsNeedOwnPipeline(client: RedisClient): boolean {
  if (!client.isCluster) return false;
  const { enableAutoPipelining, autoPipeliningIgnoredCommands } = client.options;
  return (
    enableAutoPipelining === true &&
    !(autoPipeliningIgnoredCommands?.includes('evalsha') && autoPipeliningIgnoredCommands.includes('eval'))
  );
}

/**
 * Builds a {@link RedisCaller} over `client` with a per-call timeout of
 * `timeoutMs`, and replica acknowledgement of spends when `durability` is given.
 */
export function createRedisCaller(
  client: RedisClient,
  timeoutMs: number,
  durability: Durability | null = null,
): RedisCaller {
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

  // Runs what `add` queues, then WAIT, in one pipeline: WAIT counts the replicas that acknowledged every
  // earlier write of *that* connection, and on a Cluster ioredis sends a pipeline to the node that owns
  // its keys' slot (WAIT has no key), so WAIT goes to the primary that made the write.
  const durably = async (what: string, add: (pipeline: ChainableCommander) => void) => {
    if (durability === null) throw new TypeError('durably() needs durability');
    const { replicas, timeoutMs: waitMs } = durability;
    const result = await bounded(`${what} (durable)`, async () => {
      const pipeline = client.pipeline();
      add(pipeline);
      return scriptReply(await pipeline.wait(replicas, waitMs).exec());
    });
    if (result.acknowledged < replicas) {
      throw new MfaError('STORE_UNAVAILABLE', {
        message: 'The MFA store could not confirm the change on its replicas. Try again shortly.',
        cause: new Error(
          `redis WAIT after ${what}: ${result.acknowledged} of ${replicas} replica(s) acknowledged within ${waitMs} ms`,
        ),
      });
    }
    return result.reply;
  };

  // ioredis' autopipelining on a Cluster groups a command by the slot of its first argument, which
  // for EVALSHA/EVAL is the SHA or the source, not a key: the script would be batched with another
  // slot's commands and the whole batch refused ("All keys in the pipeline should belong to the same
  // slots allocation group"). There a script goes out in a pipeline of its own, which ioredis routes
  // by the script's keys (test/express/*: the example on a Cluster client with autopipelining).
  const ownPipeline = scriptsNeedOwnPipeline(client);
  const runScript = async (
    command: 'evalsha' | 'eval',
    body: string,
    flat: ScriptArg[],
    keyCount: number,
  ) => {
    if (!ownPipeline) return client[command](body, keyCount, ...flat);
    const pipeline = client.pipeline();
    pipeline[command](body, keyCount, ...flat);
    const [reply] = (await pipeline.exec()) ?? [];
    if (reply === undefined) throw new Error('redis pipeline returned no replies');
    if (reply[0] !== null) throw reply[0];
    return reply[1];
  };

  return {
    script(script, keys, args) {
      const flat = [...keys, ...args];
      return bounded(`script ${script.name}`, async () => {
        try {
          return await runScript('evalsha', script.sha, flat, keys.length);
        } catch (error) {
          if (!isNoScript(error)) throw error;
          // EVAL both runs and caches the script on the node that owns the keys' slot.
          return await runScript('eval', script.source, flat, keys.length);
        }
      });
    },
    async spend(script, keys, args) {
      if (durability === null) return this.script(script, keys, args);
      const flat = [...keys, ...args];
      const what = `script ${script.name}`;
      try {
        return await durably(what, (pipeline) => pipeline.evalsha(script.sha, keys.length, ...flat));
      } catch (error) {
        if (!(error instanceof MfaError) || !isNoScript(error.cause)) throw error;
        // EVAL both runs and caches the script on the node that owns the keys' slot.
        return durably(what, (pipeline) => pipeline.eval(script.source, keys.length, ...flat));
      }
    },
    write(name, command, args) {
      if (durability === null) return bounded(name, () => client.call(command, ...args));
      return durably(name, (pipeline) => pipeline.call(command, ...args));
    },
    command(name, run) {
      return bounded(name, () => run(client));
    },
  };
}
