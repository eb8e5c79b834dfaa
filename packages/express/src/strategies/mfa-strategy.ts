import {
  type Clock,
  ErrorCode,
  type FactorType,
  type Mfa,
  MfaError,
  type MfaUser,
  type VerifyResult,
} from '@mfa-kit/core';
import type { Request } from 'express';
import { Strategy } from 'passport-strategy';
import { errorStatus } from '../http/error-status.js';
import { ALREADY_USED_MESSAGE } from '../http/outcome-error.js';
import { requestContext } from '../http/request-context.js';
import { readPending } from '../session/read-pending.js';
import { claimNextSessionId } from '../session/session-id.js';
import { holdSuccessEvent, isDeferringSuccessEvent } from '../session/success-event.js';
import type { PendingSignIn, SessionMfaState } from '../session/session-data.js';

/** Why an MFA strategy failed; passed to `this.fail(failure, status)` so the app can render it. */
export interface MfaStrategyFailure {
  code: 'INVALID_CODE' | 'COOLDOWN' | 'ACCOUNT_LOCKED' | 'SESSION_EXPIRED' | 'NOT_ENROLLED';
  message: string;
  /** Milliseconds until a retry may succeed (COOLDOWN, temporary ACCOUNT_LOCKED). */
  retryAfterMs?: number;
  /** Attempts left before the cooldown (INVALID_CODE). */
  remaining?: number;
  /** INVALID_CODE only: this sign-in already spent the code, its answer was lost; nothing was charged. */
  alreadyUsed?: true;
}

/** `info` passed to `this.success(user, info)`. */
export interface MfaStrategySuccess {
  factor: FactorType;
  completedAt: number;
  recoveryCodesRemaining: number;
}

/** Done callback of an app verify callback (Passport convention). */
export type MfaVerifyDone = (error: unknown, user?: MfaUser | false, info?: object) => void;

/**
 * Optional app verify callback, run after the code was accepted: a last say
 * (e.g. refuse a user the app has just suspended). Call `done(null, user)` to
 * accept, `done(null, false, info)` to fail, `done(error)` for an error.
 */
export type MfaVerifyFunction = (user: MfaUser, result: MfaStrategySuccess, done: MfaVerifyDone) => void;
/** {@link MfaVerifyFunction} with the request first (`passReqToCallback: true`). */
export type MfaVerifyFunctionWithRequest = (
  req: Request,
  user: MfaUser,
  result: MfaStrategySuccess,
  done: MfaVerifyDone,
) => void;

/** Options of the MFA strategies. */
export interface MfaStrategyOptions {
  mfa: Mfa;
  /** Loads the user (with current roles and organisation) from the pending sign-in's user id. */
  loadUser: (id: string) => Promise<MfaUser | null> | MfaUser | null;
  /** Body field holding the code. @default 'code' */
  codeField?: string;
  /** Pass the request as first argument of the verify callback. @default false */
  passReqToCallback?: boolean;
  /** @default the clock of `mfa` */
  clock?: Clock;
}

type Settle =
  | { kind: 'success'; user: MfaUser; info: MfaStrategySuccess }
  | { kind: 'fail'; failure: MfaStrategyFailure }
  | { kind: 'error'; error: unknown };

/** Message of a factor this pending sign-in does not offer. */
const NOT_OFFERED_MESSAGE =
  'This sign-in cannot be completed with this method. Use one of the methods offered.';

function failure(code: MfaStrategyFailure['code'], extra: Partial<MfaStrategyFailure> = {}): Settle {
  return { kind: 'fail', failure: { code, message: ErrorCode[code], ...extra } };
}

/**
 * Base of the `mfa-totp`, `mfa-sms` and `mfa-recovery` Passport strategies:
 * reads the pending sign-in from `req.session`, verifies the code through
 * core (limiter included), and calls exactly one of `success`, `fail` or
 * `error`. Keeps no per-request state on the strategy object (Passport runs
 * each request on `Object.create(strategy)`, but state on `this` would still
 * leak through the prototype): everything lives in local variables. (Its
 * configuration is in ordinary fields, not `#private` ones, because `#private`
 * members are not reachable through `Object.create(strategy)`.)
 *
 * On success the session's MFA state is written before `success`, so use the
 * strategy with `passport.authenticate(name, { keepSessionInfo: true })`; the
 * self-service router does that for you.
 */
export abstract class MfaStrategy extends Strategy {
  /** Passport's strategy name, e.g. `mfa-totp`. */
  abstract readonly name: string;
  /** The factor this strategy verifies. */
  protected abstract readonly factor: FactorType;
  protected readonly mfaOption: Mfa;
  protected readonly loadUserOption: (id: string) => Promise<MfaUser | null> | MfaUser | null;
  protected readonly codeFieldOption: string;
  protected readonly clockOption: Clock;
  protected readonly verifyOption: MfaVerifyFunction | MfaVerifyFunctionWithRequest | undefined;
  protected readonly passReqToCallbackOption: boolean;

  constructor(options: MfaStrategyOptions, verify?: MfaVerifyFunction | MfaVerifyFunctionWithRequest) {
    super();
    if (typeof options?.mfa?.verify !== 'function')
      throw new MfaError('CONFIGURATION', { message: 'MFA strategy: `mfa` (from createMfa) is required' });
    if (typeof options.loadUser !== 'function')
      throw new MfaError('CONFIGURATION', { message: 'MFA strategy: `loadUser(id)` is required' });
    if (verify !== undefined && typeof verify !== 'function')
      throw new MfaError('CONFIGURATION', {
        message: 'MFA strategy: the verify callback must be a function',
      });
    this.mfaOption = options.mfa;
    this.loadUserOption = options.loadUser;
    this.codeFieldOption = options.codeField ?? 'code';
    this.clockOption = options.clock ?? options.mfa.options?.clock ?? { now: () => Date.now() };
    this.verifyOption = verify;
    this.passReqToCallbackOption = options.passReqToCallback ?? false;
  }

  override authenticate(req: Request): void {
    let settled = false;
    // Exactly one of success/fail/error per request, whatever the async path.
    const settle = (outcome: Settle): void => {
      if (settled) return;
      settled = true;
      if (outcome.kind === 'success') this.success(outcome.user, outcome.info);
      else if (outcome.kind === 'fail') this.fail(outcome.failure, errorStatus[outcome.failure.code]);
      else
        this.error(
          outcome.error instanceof Error
            ? outcome.error
            : new MfaError('STORE_UNAVAILABLE', { cause: outcome.error }),
        );
    };
    this.decide(req).then(settle, (error: unknown) => settle({ kind: 'error', error }));
  }

  protected async decide(req: Request): Promise<Settle> {
    if (req.session === undefined)
      return {
        kind: 'error',
        error: new MfaError('CONFIGURATION', { message: 'MFA strategies need express-session' }),
      };
    const lookup = await readPending(req, this.mfaOption, this.clockOption);
    if (lookup.state !== 'live' || lookup.pending.stage !== 'challenge') return failure('SESSION_EXPIRED');
    const pending = lookup.pending;
    // The pending sign-in names the factors that may complete it: only those that satisfy the policy
    // (a passkey for a phishing-resistant role). Any other is refused before anything is verified.
    if (!pending.factors.includes(this.factor))
      return failure('NOT_ENROLLED', { message: NOT_OFFERED_MESSAGE });
    const user = await this.loadUserOption(pending.userId);
    if (user === null) return failure('SESSION_EXPIRED');
    const body: unknown = req.body;
    const code =
      typeof body === 'object' && body !== null
        ? (body as Record<string, unknown>)[this.codeFieldOption]
        : undefined;
    // The factor the challenge carried spares a matching TOTP code the record read (core decides, bound to it).
    const result = await this.verifyFactor(req, user, code, pending);
    if (!result.ok) {
      switch (result.code) {
        case 'INVALID_CODE':
          return failure(
            'INVALID_CODE',
            result.alreadyUsed
              ? { remaining: result.remaining, alreadyUsed: true, message: ALREADY_USED_MESSAGE }
              : { remaining: result.remaining },
          );
        case 'COOLDOWN':
          return failure('COOLDOWN', { retryAfterMs: result.retryAfterMs });
        case 'ACCOUNT_LOCKED':
          return failure(
            'ACCOUNT_LOCKED',
            result.retryAfterMs === null ? {} : { retryAfterMs: result.retryAfterMs },
          );
        case 'NOT_ENROLLED':
          return failure('NOT_ENROLLED');
      }
    }
    const info: MfaStrategySuccess = {
      factor: result.factor,
      completedAt: this.clockOption.now(),
      recoveryCodesRemaining: result.recoveryCodesRemaining,
    };
    const accepted = await this.runVerify(req, user, info);
    if (result.recorded !== undefined) {
      // Refused by the app: nothing follows, so the event of the accepted code is awaited here.
      if (accepted.kind !== 'success') await result.recorded;
      // Else completeSignIn awaits it beside the new session's save (session/success-event.ts).
      else holdSuccessEvent(req, result.recorded);
    }
    if (accepted.kind !== 'success') return accepted;
    const state: SessionMfaState = {
      userId: user.id,
      completedAt: info.completedAt,
      factor: info.factor,
      verifiedAt: info.completedAt,
      passwordAt: pending.passwordAt,
      epoch: pending.epoch,
      via: 'mfa',
      offerEnrolment: false,
    };
    delete req.session.mfaPending;
    delete req.session.mfaTotpEnrolment;
    req.session.mfa = state;
    // Passport's req.login regenerates the id next: the new one names the user.
    claimNextSessionId(req, user.id);
    return accepted;
  }

  /** Verifies the submitted `code` for this strategy's factor through core (limiter included). */
  protected verifyFactor(
    req: Request,
    user: MfaUser,
    code: unknown,
    pending: PendingSignIn,
  ): Promise<VerifyResult> {
    return this.mfaOption.verify(user, this.factor, code, requestContext(req), {
      ...(pending.carried === undefined ? {} : { carried: pending.carried }),
      // Only when completeSignIn follows and awaits the event beside the save (session/success-event.ts).
      ...(isDeferringSuccessEvent(req) ? { successEvent: 'started' as const } : {}),
    });
  }

  protected runVerify(req: Request, user: MfaUser, info: MfaStrategySuccess): Promise<Settle> {
    const verify = this.verifyOption;
    if (verify === undefined) return Promise.resolve({ kind: 'success', user, info });
    return new Promise((resolve) => {
      let answered = false;
      const done: MfaVerifyDone = (error, verifiedUser, failInfo) => {
        if (answered) return;
        answered = true;
        if (error) return resolve({ kind: 'error', error });
        if (!verifiedUser) {
          const message = (failInfo as { message?: unknown } | undefined)?.message;
          return resolve(failure('INVALID_CODE', typeof message === 'string' ? { message } : {}));
        }
        resolve({ kind: 'success', user: verifiedUser, info });
      };
      try {
        if (this.passReqToCallbackOption) (verify as MfaVerifyFunctionWithRequest)(req, user, info, done);
        else (verify as MfaVerifyFunction)(user, info, done);
      } catch (error) {
        done(error);
      }
    });
  }
}
