import { MfaError } from '../errors.js';
import type { AttemptDecision } from '../types.js';

const REASONS = new Set(['mismatch', 'replay', 'expired', 'missing']);

function fail(reply: unknown): never {
  throw new MfaError('STORE_UNAVAILABLE', {
    cause: new Error(`unexpected reply from the attempt script: ${JSON.stringify(reply)}`),
  });
}

function int(value: unknown, reply: unknown): number {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(parsed)) fail(reply);
  return parsed;
}

/**
 * Turns the compact reply of the attempt script (see `scripts/attempt.lua.ts`)
 * into an {@link AttemptDecision}. A reply of any other shape is an
 * infrastructure fault and fails closed.
 */
export function decodeAttemptReply(reply: unknown): AttemptDecision {
  if (!Array.isArray(reply)) fail(reply);
  switch (reply[0]) {
    case 1:
      return { ok: true, evaluated: true };
    case 2: {
      const reason = reply[1];
      if (typeof reason !== 'string' || !REASONS.has(reason)) fail(reply);
      return {
        ok: false,
        code: 'INVALID_CODE',
        evaluated: true,
        reason: reason as 'mismatch' | 'replay' | 'expired' | 'missing',
        failures: int(reply[2], reply),
        remaining: int(reply[3], reply),
      };
    }
    case 3:
      return {
        ok: false,
        code: 'COOLDOWN',
        evaluated: reply[1] === 1,
        started: reply[2] === 1,
        retryAfterMs: int(reply[3], reply),
      };
    case 4: {
      const until = reply[3];
      const lockId = reply[4];
      if (typeof lockId !== 'string') fail(reply);
      return {
        ok: false,
        code: 'ACCOUNT_LOCKED',
        evaluated: reply[1] === 1,
        started: reply[2] === 1,
        until: until === '' || until === null || until === undefined ? null : int(until, reply),
        lockId,
        eventPending: reply[5] === 1,
      };
    }
    default:
      return fail(reply);
  }
}
