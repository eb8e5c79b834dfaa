import type { Clock, Mfa, MfaUser } from '@mfa-kit/core';
import type passport from 'passport';

/** Options of {@link createMfaExpress}. Validated once at creation; never mutated. */
export interface MfaExpressOptions {
  /** The mfa-kit instance from `createMfa(...)`. */
  mfa: Mfa;
  /**
   * The app's Passport instance. The `mfa-totp`, `mfa-sms` and `mfa-recovery`
   * strategies are registered on it, and the JSON routes authenticate through it.
   * Passed explicitly because Passport's default export is a global singleton.
   */
  passport: passport.Authenticator;
  /**
   * Loads the user by id, with current roles and organisation. The app owns its
   * users; the object returned is what `req.login` receives (so it may be the
   * app's own user object, as long as it has `id`, `roles` and `orgId`).
   * Return null for an unknown or disabled user.
   */
  loadUser(id: string): Promise<MfaUser | null> | MfaUser | null;
  /**
   * Origins allowed to make state-changing requests (CSRF defence: the Origin
   * header, or the Referer's origin, must be one of these), e.g.
   * `['https://app.example.com']`. Each must be an http(s) origin (no path,
   * userinfo or query: CONFIGURATION otherwise); compared exactly in
   * canonical form (see `checkOrigin`).
   */
  allowedOrigins: readonly string[];
  /**
   * Maps `req.user` (after Passport's `deserializeUser`) to an {@link MfaUser}.
   * @default reads `id`, `orgId`, `roles` and `label` from `req.user`
   */
  userFromRequest?: (user: Express.User) => MfaUser | null;
  /** How long a pending sign-in (challenge or forced enrolment) lives. @default 600_000 (10 minutes, ARCHITECTURE "Sign-in flow") */
  pendingTtlMs?: number;
  /**
   * How recent the fresh proof must be before factors change (add, replace or
   * remove a factor, change the phone number, regenerate recovery codes): a
   * verified second factor, or for a user with no factor yet a password step
   * in this same session. @default 300_000 (5 minutes)
   */
  freshFactorMs?: number;
  /** Refuse a state-changing request that has neither Origin nor Referer. @default true */
  requireOrigin?: boolean;
  /** Largest JSON body the self-service router accepts. @default '10kb' */
  bodyLimit?: string;
  /**
   * Redirects for server-rendered apps. When a path is set, the matching
   * outcome redirects there instead of answering JSON.
   * @default {} (JSON everywhere)
   */
  redirects?: {
    /** After a completed sign-in. */
    signedIn?: string;
    /** When a second factor is needed. */
    challenge?: string;
    /** When enrolment is forced. */
    enrol?: string;
    /** Where `requireMfa()` sends unauthenticated or pending sessions. */
    signIn?: string;
    /** After disabling MFA (the session ended; seed 001: "redirected to the beginning"). */
    signedOut?: string;
  };
  /**
   * Keys of the pre-login session that survive the password step (e.g.
   * `['returnTo']`). Everything else an anonymous session held is dropped
   * when the password step starts a new session (session fixation defence).
   * @default []
   */
  keepSessionData?: readonly string[];
  /** @default the clock of `mfa` */
  clock?: Clock;
  /**
   * The trusted-device cookie ("remember this device"). How long a device is
   * trusted, and for which roles it is forbidden, are core's option
   * (`trustedDevices.ttlMs`) and policy (`trustedDevices.forbiddenRoles`).
   */
  trustedDevices?: {
    /**
     * Send the cookie only over HTTPS. `false` is accepted only when every
     * allowed origin is `http://localhost` (or a loopback address), for development.
     * @default true
     */
    secureCookie?: boolean;
    /** @default 'lax' (the cookie is only read by the password step, a same-site POST) */
    sameSite?: 'lax' | 'strict';
    /** @default '__Host-mfa-trusted' with a secure cookie, else 'mfa-trusted' */
    cookieName?: string;
  };
}

/** {@link MfaExpressOptions} with defaults filled in. */
export interface ResolvedMfaExpressOptions {
  readonly mfa: Mfa;
  readonly passport: passport.Authenticator;
  readonly loadUser: (id: string) => Promise<MfaUser | null>;
  readonly allowedOrigins: readonly string[];
  readonly userFromRequest: (user: Express.User) => MfaUser | null;
  readonly pendingTtlMs: number;
  readonly freshFactorMs: number;
  readonly requireOrigin: boolean;
  readonly bodyLimit: string;
  readonly redirects: NonNullable<MfaExpressOptions['redirects']>;
  readonly keepSessionData: readonly string[];
  readonly clock: Clock;
  readonly trustedDevices: Readonly<{
    secureCookie: boolean;
    sameSite: 'lax' | 'strict';
    cookieName: string;
  }>;
}

/** 10 minutes: ARCHITECTURE "Sign-in flow" step 4. */
export const DEFAULT_PENDING_TTL_MS = 600_000;
/** 5 minutes: a second factor this recent counts as fresh for sensitive self-service actions. */
export const DEFAULT_FRESH_FACTOR_MS = 300_000;
/** Small on purpose: every self-service body is a code or a phone number. */
export const DEFAULT_BODY_LIMIT = '10kb';
