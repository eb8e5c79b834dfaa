import type { FamilyLimits, LockLimits, MfaPolicy, TotpAlgorithm } from './types.js';

/** SHA-1: the only algorithm every authenticator app supports (RFC 6238 §1.2 allows SHA-256/512 too). */
export const DEFAULT_TOTP_ALGORITHM: TotpAlgorithm = 'SHA1';
/** Six digits, what authenticator apps show by default (RFC 4226 §5.3 requires at least 6). */
export const DEFAULT_TOTP_DIGITS = 6;
/** 30-second time step, the value RFC 6238 §5.2 recommends. */
export const DEFAULT_TOTP_PERIOD_IN_SECONDS = 30;
/**
 * One step either side of now: RFC 6238 §5.2 recommends accepting at most one
 * step of network delay, and it lets a phone ~30 s off still work (seeds 000, 002).
 */
export const DEFAULT_TOTP_WINDOW = 1;
/** Largest accepted window; wider windows multiply the guessing odds (RFC 4226 §7.4). */
export const MAX_TOTP_WINDOW = 10;
/** 160-bit secrets: RFC 4226 §4 R6 recommends 160 bits; ARCHITECTURE.md requires ≥ 160. */
export const DEFAULT_TOTP_SECRET_BYTES = 20;
/** Smallest accepted secret (160 bits, see above). */
export const MIN_TOTP_SECRET_BYTES = 20;

/** Recovery codes per set (what most products issue, e.g. seed 004 shows 10). */
export const DEFAULT_RECOVERY_CODE_COUNT = 10;

/**
 * Failed second-factor verifications before a cooldown. NIST SP 800-63B §5.2.2
 * requires limiting consecutive failures (to at most 100); 5 is seed 004's
 * "after five failed verification attempts".
 */
export const DEFAULT_FACTOR_LIMITS: Readonly<FamilyLimits> = {
  maxFailures: 5,
  cooldownMs: 5 * 60_000,
  countsTowardLock: true,
};
/** Failed phone enrolments before the 1-hour setup cooldown (seed 004). Not counted toward the lock. */
export const DEFAULT_SMS_SETUP_LIMITS: Readonly<FamilyLimits> = {
  maxFailures: 3,
  cooldownMs: 60 * 60_000,
  countsTowardLock: false,
};
/**
 * Consecutive second-factor failures (across cooldowns) that lock the account
 * until an admin unlocks it (seeds 002, 004); well under NIST SP 800-63B-4
 * §3.2.2's cap of 100. Only second factors count (they need the password).
 */
export const DEFAULT_LOCK_LIMITS: Readonly<LockLimits> = {
  maxConsecutiveFailures: 10,
  mode: 'permanent',
  durationMs: 15 * 60_000,
  growthFactor: 2,
  maxDurationMs: 24 * 60 * 60_000,
};
/**
 * The password step: growing temporary cooldowns (5 min, 15 min, 45 min,
 * then 1 h each), never a lock. Anyone who knows a username can fail it, so
 * it must not lead to a permanent lock (OWASP ASVS 5.0 V6.1.1; NIST SP
 * 800-63B-4 §3.2.2 allows delays as the rate-limiting control; Keycloak's
 * temporary lockouts). At most ~120 guesses per day per username.
 */
export const DEFAULT_PASSWORD_LIMITS: Readonly<FamilyLimits> = {
  maxFailures: 5,
  cooldownMs: 5 * 60_000,
  cooldownGrowthFactor: 3,
  maxCooldownMs: 60 * 60_000,
  countsTowardLock: false,
};
/**
 * Second-factor failures per client address (IPv6 grouped by /64) in a
 * sliding hour, across all users: bounds guessing codes of many users whose
 * passwords an attacker holds. Only second-factor evaluations are refused
 * over it, never a password step or a sign-in without a second factor.
 */
export const DEFAULT_ADDRESS_FAILURES_PER_WINDOW = 30;
/**
 * How long a spend (TOTP step, recovery or SMS code) is remembered for the
 * attempt that made it (`RequestContext.attemptId`), so that attempt's retry
 * after a timed-out answer is refused uncharged, not a charged replay: as long
 * as a pending sign-in lives by default.
 */
export const RETRY_WINDOW_MS = 10 * 60_000;
/** Sliding window of the per-address budget. */
export const DEFAULT_ADDRESS_WINDOW_MS = 60 * 60_000;
/** IPv6 addresses share a budget per /64 (RFC 6177: the smallest block a site gets). */
export const DEFAULT_IPV6_PREFIX_LENGTH = 64;

/** SMS code length (NIST SP 800-63B §5.1.3.2 uses at least 6 digits for out-of-band codes). */
export const DEFAULT_SMS_CODE_DIGITS = 6;
/** SMS code lifetime; NIST SP 800-63B §5.1.3.2 suggests ≤ 10 minutes. */
export const DEFAULT_SMS_CODE_TTL_MS = 5 * 60_000;
/** Resend cooldown per user. */
export const DEFAULT_SMS_RESEND_COOLDOWN_MS = 60_000;
/** Sends per user per hour. */
export const DEFAULT_SMS_SENDS_PER_USER_PER_HOUR = 5;
/** Sends per destination number per day. */
export const DEFAULT_SMS_SENDS_PER_PHONE_PER_DAY = 10;
/** Sends per IP per hour. */
export const DEFAULT_SMS_SENDS_PER_IP_PER_HOUR = 20;
/** Sends per country calling code per hour: an SMS-pumping (toll fraud) guard. */
export const DEFAULT_SMS_SENDS_PER_COUNTRY_PER_HOUR = 1000;

/** Unlock link lifetime (seed 002: "check your email for unlock instructions"). */
export const DEFAULT_UNLOCK_TOKEN_TTL_MS = 60 * 60_000;
/** Unlock requests per user per hour. */
export const DEFAULT_UNLOCK_REQUESTS_PER_HOUR = 3;
/**
 * Unlock requests per client IP per hour, counted before the app looks the
 * identifier up: spraying unknown identifiers from one address then costs the
 * app at most this many user lookups an hour (issue 6: "requests for unlock
 * instructions are rate limited"). Unlock requests are rare, so this leaves
 * room for a few locked users behind one NAT address.
 */
export const DEFAULT_UNLOCK_REQUESTS_PER_IP_PER_HOUR = 10;

/** Policy until an admin saves one: MFA available to everyone, required for no one. */
export const DEFAULT_POLICY: Readonly<MfaPolicy> = {
  requiredRoles: [],
  requiredOrgs: [],
  rollout: { mode: 'all' },
  grace: null,
  allowSelfUnlock: false,
  trustedDevices: { forbiddenRoles: [] },
  phishingResistantRoles: [],
  phishingResistantOrgs: [],
};

/** "Remember this device" lasts 30 days, as in Better Auth and Auth0 (`allowRememberBrowser`). */
export const DEFAULT_TRUSTED_DEVICE_TTL_MS = 30 * 24 * 60 * 60_000;
/** Longest trust accepted in the options: a year. */
export const MAX_TRUSTED_DEVICE_TTL_MS = 365 * 24 * 60 * 60_000;
/** Trusted devices kept per user; adding one more drops the least recently used. */
export const DEFAULT_TRUSTED_DEVICES_PER_USER = 10;

/** Minimum length of encryption keys (AES-256) and the hash key, in bytes. */
export const KEY_BYTES = 32;
/** Longest accepted user id. */
export const MAX_USER_ID_LENGTH = 200;
/** Longest accepted organisation id (same bound as user ids). */
export const MAX_ORG_ID_LENGTH = 200;
/** One hour in milliseconds. */
export const HOUR_MS = 60 * 60_000;
/** One day in milliseconds. */
export const DAY_MS = 24 * HOUR_MS;

/** A recovery-code use leaving this many or fewer tells the user to make new ones (security notifications). */
export const DEFAULT_LOW_RECOVERY_CODES = 3;

/**
 * A WebAuthn challenge lives 5 minutes: W3C WebAuthn §15.3 recommends ceremony timeouts of 5 to 10
 * minutes for user verification; a short life bounds what a captured options response is worth.
 */
export const DEFAULT_WEBAUTHN_CHALLENGE_TTL_MS = 5 * 60_000;
/** Credentials one user may register (passkeys on a few devices plus security keys). */
export const DEFAULT_WEBAUTHN_CREDENTIALS_PER_USER = 10;
/** Live challenges kept per user (parallel sign-ins on several browsers); the oldest is dropped past this. */
export const MAX_WEBAUTHN_CHALLENGES_PER_USER = 20;
