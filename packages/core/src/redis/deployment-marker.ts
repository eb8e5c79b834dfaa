import { randomUUID } from 'node:crypto';
import { MfaError } from '../errors.js';
import { DEFAULT_REDIS_PREFIX } from './create-redis-backend.js';
import type { RedisCaller } from './redis-caller.js';
import type { RedisClient } from './redis-client.js';

/**
 * The deployment marker: one key, `<prefix>deployment`, whose value is
 * `<kind>:<id>`:
 * - `init:<id>`: written by the first backend that found no marker;
 * - `ack:<id>`: written by `acknowledgeStoreReset` (the CLI's
 *   `mfa-kit store acknowledge-reset`) after an operator checked a reset;
 * - `reset:<id>`: written by a backend that found its marker gone or replaced
 *   by a fresh `init`, so every process (also ones started after the wipe)
 *   refuses until an operator acknowledges.
 *
 * "Records are expected" is what a running process remembers: once a backend
 * has seen a marker, a missing marker means Redis lost its data (restart
 * without persistence, FLUSHALL, failover to an empty replica), and the
 * verification and skip-MFA decisions fail closed with `STORE_RESET` instead
 * of treating every enrolled user as never enrolled.
 */
export interface DeploymentMarker {
  /** Resolves when the marker is the one this process knows (or an acknowledged new one); else rejects with STORE_RESET. */
  check(): Promise<void>;
}

const KINDS = ['init', 'ack', 'reset'] as const;
type Kind = (typeof KINDS)[number];

function parse(value: unknown): { kind: Kind; id: string } | null {
  if (typeof value !== 'string') return null;
  const colon = value.indexOf(':');
  const kind = value.slice(0, colon) as Kind;
  return colon > 0 && KINDS.includes(kind) ? { kind, id: value.slice(colon + 1) } : null;
}

function storeReset(detail: string): MfaError {
  return new MfaError('STORE_RESET', { cause: new Error(`deployment marker ${detail}`) });
}

/** Key of the marker under `prefix`. */
export function deploymentMarkerKey(prefix: string): string {
  return `${prefix}deployment`;
}

/** What {@link createDeploymentMarker} needs. */
export interface DeploymentMarkerDeps {
  caller: RedisCaller;
  key: string;
  /** Called once, at the first check, with a start-up warning (e.g. no persistence). */
  onWarning: (message: string) => void;
}

/**
 * The marker as one backend sees it. The first `check` creates the marker if
 * there is none (SET NX) and warns when Redis persists nothing; every later
 * `check` is one GET, which callers send in parallel with their own command,
 * so it adds no sequential round trip.
 */
export function createDeploymentMarker({ caller, key, onWarning }: DeploymentMarkerDeps): DeploymentMarker {
  let known: string | null = null;
  let first: Promise<void> | null = null;
  // Checks that overlap share one GET (a sign-in reads the record and the policy in parallel).
  let inflight: Promise<void> | null = null;

  const markReset = async (detail: string): Promise<never> => {
    // Tell every other process too, including ones started after the wipe (which would otherwise re-init).
    await caller
      .command('deployment marker reset', (client) => client.set(key, `reset:${randomUUID()}`))
      .catch(() => undefined);
    throw storeReset(detail);
  };

  const judge = async (value: string | null): Promise<void> => {
    const marker = parse(value);
    if (marker === null) return markReset(value === null ? 'is gone: Redis lost its data' : 'is malformed');
    if (marker.kind === 'reset') throw storeReset('says the store was reset and not yet acknowledged');
    if (value === known) return;
    // A marker this process has not seen: an operator's acknowledgement is adopted; a fresh `init` means
    // another process found the store empty after a wipe and started over, which is exactly the reset.
    if (marker.kind === 'ack' || known === null) {
      known = value;
      return;
    }
    return markReset('was re-initialised by another process after the data was lost');
  };

  const initialise = async (): Promise<void> => {
    const fresh = `init:${randomUUID()}`;
    const [created, persistence] = await Promise.all([
      caller.command('deployment marker init', (client) => client.set(key, fresh, 'NX')),
      readPersistence(caller),
    ]);
    if (persistence !== null && !persistence.aof && !persistence.rdb) {
      onWarning(
        'mfa-kit: the connected Redis persists nothing (appendonly no, no save points): a restart loses every MFA record. Verification will fail closed with STORE_RESET until an operator acknowledges it. Enable AOF (appendonly yes) for MFA data.',
      );
    }
    const value =
      created === 'OK' ? fresh : await caller.command('deployment marker read', (client) => client.get(key));
    await judge(value);
  };

  return {
    async check() {
      if (known === null) {
        first ??= initialise().finally(() => {
          first = null;
        });
        return first;
      }
      inflight ??= caller
        .command('deployment marker read', (client) => client.get(key))
        .then(judge)
        .finally(() => {
          inflight = null;
        });
      return inflight;
    },
  };
}

/** Whether Redis has AOF and/or RDB save points, or null when CONFIG is not allowed (managed Redis). */
async function readPersistence(caller: RedisCaller): Promise<{ aof: boolean; rdb: boolean } | null> {
  try {
    const [aof, save] = await Promise.all([
      caller.command('config appendonly', (client) => configGet(client, 'appendonly')),
      caller.command('config save', (client) => configGet(client, 'save')),
    ]);
    if (aof === null || save === null) return null;
    return { aof: aof === 'yes', rdb: save.trim() !== '' };
  } catch {
    return null;
  }
}

async function configGet(client: RedisClient, name: string): Promise<string | null> {
  const reply = (await client.call('CONFIG', 'GET', name)) as unknown;
  return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : null;
}

/**
 * Acknowledges a reset of the store (the operator checked that Redis lost its
 * data and accepts that users must enrol again): writes a new `ack` marker,
 * which every running backend adopts at its next check. Used by the CLI's
 * `mfa-kit store acknowledge-reset`. Returns the new marker value.
 */
export async function acknowledgeStoreReset(
  client: RedisClient,
  options: { prefix?: string } = {},
): Promise<string> {
  const value = `ack:${randomUUID()}`;
  await client.set(deploymentMarkerKey(options.prefix ?? DEFAULT_REDIS_PREFIX), value);
  return value;
}
