import { MfaError } from '../errors.js';
import type { AttemptDecision } from '../types.js';

const REASONS = new Set(['mismatch', 'replay', 'expired', 'missing', 'counter']);

function fail(reply: unknown): never {
  throw new MfaError('STORE_UNAVAILABLE', {
    cause: new Error(`unexpected reply from the attempt script: ${JSON.stringify(reply)}`),
  });
}

function int(value: unknown, reply: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(reply);
  return value;
}

/**
 * Turns the JSON reply of the attempt script (see `scripts/attempt.lua.ts`)
 * into an {@link AttemptDecision}, with a lock's end translated from the
 * script's clock into the caller's: `callerNow + (lockedUntil - reply.now)`.
 * A reply of any other shape is an infrastructure fault and fails closed.
 */
export function decodeAttemptReply(reply: Record<string, unknown>, callerNow: number): AttemptDecision {
  const scriptNow = int(reply['now'], reply);
  switch (reply['code']) {
    case 'OK':
      return { ok: true, evaluated: true };
    case 'INVALID_CODE': {
      const reason = reply['reason'];
      if (reason === 'retry' && reply['evaluated'] === false) {
        const failures = int(reply['failures'], reply);
        return {
          ok: false,
          code: 'INVALID_CODE',
          evaluated: false,
          reason,
          failures,
          remaining: int(reply['remaining'], reply),
        };
      }
      if (typeof reason !== 'string' || !REASONS.has(reason)) fail(reply);
      return {
        ok: false,
        code: 'INVALID_CODE',
        evaluated: true,
        reason: reason as 'mismatch' | 'replay' | 'expired' | 'missing' | 'counter',
        failures: int(reply['failures'], reply),
        remaining: int(reply['remaining'], reply),
      };
    }
    case 'COOLDOWN':
      return {
        ok: false,
        code: 'COOLDOWN',
        evaluated: reply['evaluated'] === true,
        started: reply['started'] === true,
        retryAfterMs: int(reply['retryAfterMs'], reply),
      };
    case 'ACCOUNT_LOCKED': {
      const lockId = reply['lockId'];
      if (typeof lockId !== 'string') fail(reply);
      const until = reply['lockedUntil'];
      return {
        ok: false,
        code: 'ACCOUNT_LOCKED',
        evaluated: reply['evaluated'] === true,
        started: reply['started'] === true,
        until: until === undefined || until === null ? null : callerNow + (int(until, reply) - scriptNow),
        lockId,
        eventPending: reply['eventPending'] === true,
      };
    }
    default:
      return fail(reply);
  }
}
