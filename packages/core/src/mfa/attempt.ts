import type {
  AttemptCheck,
  AttemptDecision,
  FactorType,
  FamilyLimits,
  LimitFamily,
  MfaUser,
  RequestContext,
} from '../types.js';
import { RETRY_WINDOW_MS } from '../defaults.js';
import type { MfaContext } from './context.js';

/** Longest `RequestContext.attemptId` taken; anything else names no attempt (every replay is then refused). */
const MAX_ATTEMPT_ID_LENGTH = 128;

function isAttemptId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ATTEMPT_ID_LENGTH;
}

/** A limiter decision as the service layer reports it (a subset of `VerifyResult`). */
export type AttemptOutcome =
  | { ok: true }
  | { ok: false; code: 'INVALID_CODE'; remaining: number; alreadyUsed?: true }
  | { ok: false; code: 'COOLDOWN'; retryAfterMs: number }
  | { ok: false; code: 'ACCOUNT_LOCKED'; retryAfterMs: number | null };

/** What an attempt is about, for its events. */
export interface AttemptSubject {
  /** The user, or null for a username that matched no user (`limiterId` then names its limiter state). */
  user: MfaUser | null;
  /** Whose limiter state decides. @default user.id */
  limiterId?: string;
  ctx: RequestContext;
  family: LimitFamily;
  /** The factor named in VERIFICATION_FAILED; `password` records PASSWORD_FAILED instead. */
  factor: FactorType | 'password';
  /** The input could not be a code at all (recorded as reason `malformed`). */
  malformed: boolean;
  /** Told when the decision evaluated the check and it failed (the address budget keeps its slot). */
  onEvaluatedFailure?: () => void;
}

/** The configured limits of a family. */
export function familyLimits(mfa: MfaContext, family: LimitFamily): FamilyLimits {
  const { limits } = mfa.options;
  return family === 'sms-setup' ? limits.smsSetup : limits[family];
}

/**
 * Runs the one atomic store decision for `check`, then records what it
 * caused. Everything that depends on a counter happens inside `store.attempt`;
 * this function only reports and never decides.
 */
export async function runAttempt(
  mfa: MfaContext,
  subject: AttemptSubject,
  check: AttemptCheck,
  now: number,
): Promise<AttemptOutcome> {
  const limiterId = subject.limiterId ?? subject.user?.id;
  if (limiterId === undefined) throw new TypeError('runAttempt needs a user or a limiterId');
  const attemptId = subject.ctx.attemptId;
  const decision = await mfa.backend.store.attempt(limiterId, {
    family: subject.family,
    check,
    limits: familyLimits(mfa, subject.family),
    lock: mfa.options.limits.lock,
    now,
    // A retry of this very attempt (its earlier answer timed out) is refused uncharged (limiter/retry.ts).
    ...(isAttemptId(attemptId) ? { retry: { attemptId, windowMs: RETRY_WINDOW_MS } } : {}),
  });
  return settleDecision(mfa, subject, decision, now);
}

/**
 * Records the events of a decision and maps it to an outcome.
 * An ACCOUNT_LOCK is acknowledged to the store only after its event was
 * appended: if appending fails this rejects, the lock stays `eventPending`,
 * and the next refused attempt records it (a lock is never enforced without
 * its event).
 */
export async function settleDecision(
  mfa: MfaContext,
  subject: AttemptSubject,
  decision: AttemptDecision,
  now: number,
): Promise<AttemptOutcome> {
  if (decision.ok) return { ok: true };
  const { user, ctx } = subject;
  const base = { user, ctx };
  const work: Promise<unknown>[] = [];

  if (decision.evaluated) {
    subject.onEvaluatedFailure?.();
    if (subject.factor === 'password') {
      work.push(mfa.events.emit('PASSWORD_FAILED', {}, base));
    } else {
      const reason = subject.malformed
        ? 'malformed'
        : decision.code === 'INVALID_CODE'
          ? decision.reason
          : 'mismatch';
      work.push(mfa.events.emit('VERIFICATION_FAILED', { factor: subject.factor, reason }, base));
    }
  }

  if (decision.code === 'COOLDOWN' && decision.started) {
    work.push(
      mfa.events.emit(
        'COOLDOWN_ACTIVATED',
        { family: subject.family, until: now + decision.retryAfterMs },
        base,
      ),
    );
  }

  if (decision.code === 'ACCOUNT_LOCKED' && (decision.started || decision.eventPending)) {
    const { lockId } = decision;
    work.push(
      mfa.events
        .emit(
          'ACCOUNT_LOCK',
          { lockId, reason: 'failures', until: decision.until, family: subject.family },
          base,
        )
        .then(() => mfa.backend.store.ackLockEvent(subject.limiterId ?? user?.id ?? '', lockId)),
    );
  }

  await Promise.all(work);

  switch (decision.code) {
    case 'INVALID_CODE':
      return {
        ok: false,
        code: 'INVALID_CODE',
        remaining: decision.remaining,
        ...(decision.reason === 'retry' ? { alreadyUsed: true as const } : {}),
      };
    case 'COOLDOWN':
      return { ok: false, code: 'COOLDOWN', retryAfterMs: Math.max(0, decision.retryAfterMs) };
    case 'ACCOUNT_LOCKED':
      return {
        ok: false,
        code: 'ACCOUNT_LOCKED',
        retryAfterMs: decision.until === null ? null : Math.max(0, decision.until - now),
      };
  }
}
