import { randomUUID } from 'node:crypto';
import { MfaError } from '../errors.js';
import { DEFAULT_AUDIT_RETENTION_MS } from '../events.js';
import type { MfaBackend } from '../ports/backend.js';
import type { Clock } from '../ports/clock.js';
import { createDeploymentMarker, deploymentMarkerKey } from './deployment-marker.js';
import { createRedisKeys } from './keys.js';
import { createRedisCaller } from './redis-caller.js';
import type { RedisClient } from './redis-client.js';
import { createRedisCounterStore } from './redis-counter-store.js';
import { createRedisEventLog } from './redis-event-log.js';
import { createRedisMfaStore } from './redis-mfa-store.js';
import { createRedisPolicyStore } from './redis-policy-store.js';
import { createRedisTrustedDeviceStore } from './redis-trusted-device-store.js';

/** Default key prefix. */
export const DEFAULT_REDIS_PREFIX = 'mfa:';
/** Default bound on every store call, ms: long enough for a busy Redis, short enough that a sign-in fails fast. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 2_000;
/** Default approximate cap of the event stream. */
export const DEFAULT_EVENT_STREAM_MAX_LENGTH = 100_000;
/**
 * Default of `policyCacheMs`: how long a process reuses the policy it read. A
 * policy change made through this backend applies in this process at once;
 * in other processes within this bound. One second keeps the bound far below
 * the "few seconds" the policy port allows, while a busy process reads the
 * policy (and the deployment marker beside it) about once a second instead of
 * beside every session load and sign-in.
 */
export const DEFAULT_POLICY_CACHE_MS = 1_000;

/** Options of {@link createRedisBackend}. Validated once at creation; never mutated. */
export interface RedisBackendOptions {
  /** An ioredis 5 client: `new Redis(…)` (single node or Sentinel) or `new Cluster(…)`. The app owns and closes it. */
  client: RedisClient;
  /** Prefix of every key. @default 'mfa:' */
  prefix?: string;
  /**
   * Upper bound of every store call in ms, also while ioredis is offline or
   * reconnecting; past it the call rejects with `STORE_UNAVAILABLE`.
   * @default 2000
   */
  commandTimeoutMs?: number;
  /**
   * Approximate maximum number of events kept in the events stream (XADD
   * MAXLEN ~). Audit events (`AUDIT_EVENT_TYPES`: admin actions, locks and
   * unlocks) live in their own stream and don't count. @default 100000
   */
  eventStreamMaxLength?: number;
  /**
   * How long audit events (`AUDIT_EVENT_TYPES`) are kept, ms: trimmed by age
   * (XADD MINID ~), never by count, so attacker traffic can't evict them.
   * @default 34560000000 (400 days)
   */
  auditRetentionMs?: number;
  /**
   * How long this process may reuse a policy it read, ms (the policy port
   * allows a few seconds). A policy saved through this backend replaces the
   * cached one at once; a change saved by another process (another app
   * server, the CLI) applies here within `policyCacheMs`, to sign-ins and to
   * `requireMfa()` alike. 0 reads Redis (policy `GET` + deployment-marker
   * `GET`) at every sign-in and session load. From 0 to 60000.
   * @default 1000 ({@link DEFAULT_POLICY_CACHE_MS})
   */
  policyCacheMs?: number;
  /**
   * Replica acknowledgement of every decision that spends something (a TOTP
   * step, a recovery or SMS code, an unlock token's single use, a lock, a
   * failure count, an admin reset) and of every write a failover must not
   * lose (factor set or removed, recovery codes replaced, session epoch
   * bumped, grace sign-in counted, SMS challenge withdrawn, policy saved):
   * after the write, `WAIT replicas
   * timeoutMs` runs on the same connection (same Cluster node), and the
   * decision is reported only once `replicas` replicas acknowledged it. Fewer
   * → `STORE_UNAVAILABLE` (fail closed; the spend stays spent on the
   * primary). Protects against a failover to a replica that had not received
   * the spend yet. WAIT holds that connection until the replicas answer (at
   * most `timeoutMs`), so keep it small. `timeoutMs` must be below
   * `commandTimeoutMs`.
   * @default undefined (no WAIT: a failover can lose the newest spends)
   */
  durability?: { replicas: number; timeoutMs: number };
  /**
   * Start-up warnings (today: the connected Redis has neither AOF nor RDB
   * persistence), given once at the first store call.
   * @default console.warn
   */
  onWarning?: (message: string) => void;
  /** Clock of the policy cache (`policyCacheMs`); tests move it to expire the cache. @default system clock */
  clock?: Clock;
  /** Lock ids for locks started by failed attempts. @default crypto.randomUUID */
  newLockId?: () => string;
  /**
   * Whose clock judges limiter time (cooldowns, locks, windows, forgetting,
   * SMS code expiry). `'redis'`: Redis `TIME`, read inside each script, so app
   * servers with skewed clocks agree. `'caller'`: the `now` each call passes
   * (the app's injected clock); only for single-process tests that simulate
   * time, since skewed servers would then disagree.
   * @default 'redis'
   */
  clockSource?: 'redis' | 'caller';
}

function positiveInteger(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new MfaError('CONFIGURATION', {
      message: `createRedisBackend: ${name} must be an integer from 1 to ${max}, got ${String(value)}.`,
    });
  }
  return value;
}

/**
 * The stores of mfa-kit on Redis (single node, Sentinel or Cluster).
 * Every per-user key carries the user's hash tag so each atomic decision is
 * one Lua script even on a cluster; a verification decision is one EVALSHA.
 * Redis failures fail closed with `STORE_UNAVAILABLE`.
 */
export function createRedisBackend(options: RedisBackendOptions): MfaBackend {
  const client = options.client as RedisClient | undefined;
  if (client === undefined || client === null || typeof client.evalsha !== 'function') {
    throw new MfaError('CONFIGURATION', {
      message: 'createRedisBackend: `client` must be an ioredis client.',
    });
  }
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
    throw new MfaError('CONFIGURATION', {
      message:
        'createRedisBackend: `prefix` must be a string without `{` or `}` (they would break hash tags).',
    });
  }
  const timeoutMs = positiveInteger(
    'commandTimeoutMs',
    options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    600_000,
  );
  const maxLength = positiveInteger(
    'eventStreamMaxLength',
    options.eventStreamMaxLength ?? DEFAULT_EVENT_STREAM_MAX_LENGTH,
    1_000_000_000,
  );
  const auditRetentionMs = positiveInteger(
    'auditRetentionMs',
    options.auditRetentionMs ?? DEFAULT_AUDIT_RETENTION_MS,
    Number.MAX_SAFE_INTEGER,
  );
  const cacheMs = options.policyCacheMs ?? DEFAULT_POLICY_CACHE_MS;
  if (!Number.isInteger(cacheMs) || cacheMs < 0 || cacheMs > 60_000) {
    throw new MfaError('CONFIGURATION', {
      message: 'createRedisBackend: `policyCacheMs` must be an integer from 0 to 60000.',
    });
  }
  const durability =
    options.durability === undefined
      ? null
      : {
          replicas: positiveInteger('durability.replicas', options.durability?.replicas, 100),
          timeoutMs: positiveInteger('durability.timeoutMs', options.durability?.timeoutMs, timeoutMs - 1),
        };
  const clockSource = options.clockSource ?? 'redis';
  if (clockSource !== 'redis' && clockSource !== 'caller') {
    throw new MfaError('CONFIGURATION', {
      message: "createRedisBackend: `clockSource` must be 'redis' or 'caller'.",
    });
  }
  const keys = createRedisKeys(prefix);
  const caller = createRedisCaller(client, timeoutMs, durability);
  const marker = createDeploymentMarker({
    caller,
    key: deploymentMarkerKey(prefix),
    onWarning: options.onWarning ?? ((message) => console.warn(message)),
  });
  return {
    store: createRedisMfaStore({
      caller,
      keys,
      marker,
      newLockId: options.newLockId ?? randomUUID,
      clockSource,
    }),
    counters: createRedisCounterStore({ caller, keys, clockSource }),
    policies: createRedisPolicyStore({
      caller,
      keys,
      marker,
      clock: options.clock ?? { now: () => Date.now() },
      cacheMs,
    }),
    events: createRedisEventLog({ caller, keys, maxLength, auditRetentionMs }),
    trustedDevices: createRedisTrustedDeviceStore({ caller, keys }),
  };
}
