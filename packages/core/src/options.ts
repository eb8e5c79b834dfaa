import type { Clock, Random } from './ports/clock.js';
import type { MfaBackend } from './ports/backend.js';
import type { PhoneVerifier, SmsSender } from './ports/sms.js';
import type { SecurityNotification, SecurityNotifier } from './ports/security-notifier.js';
import type { SessionRevoker } from './ports/session-revoker.js';
import type { UnlockDelivery } from './ports/unlock-delivery.js';
import type { WebAuthnVerifier } from './ports/webauthn-verifier.js';
import type { FamilyLimits, LockLimits, MfaPolicy, RequestContext, TotpAlgorithm } from './types.js';

/** Options of {@link createMfa}. Validated once at creation; never mutated. */
export interface MfaOptions {
  /** Stores: `createMemoryBackend()` (core) or `createRedisBackend({ client })` (`@mfa-kit/core/redis`). */
  backend: MfaBackend;
  /**
   * Keys for AES-256-GCM encryption of TOTP secrets and phone numbers at rest.
   * `keys` maps a key id to 32 bytes (a Buffer/Uint8Array, or base64 text);
   * new ciphertexts use `currentKeyId`; older ids stay readable for rotation.
   */
  encryption: { keys: Record<string, Uint8Array | string>; currentKeyId: string };
  /**
   * Server-side key (≥ 32 bytes) for the keyed hashes of recovery codes and
   * SMS codes and for signing unlock tokens. Losing it invalidates recovery codes.
   */
  hashKey: Uint8Array | string;
  /** Issuer shown in authenticator apps, e.g. `Clarus WMS`. */
  issuer: string;
  totp?: {
    /** @default 'SHA1' (what every authenticator app supports; RFC 6238 §1.2) */
    algorithm?: TotpAlgorithm;
    /** @default 6 */
    digits?: 6 | 8;
    /** @default 30 (RFC 6238 §5.2 recommends 30 seconds) */
    periodInSeconds?: number;
    /** Steps accepted either side of now. @default 1 (RFC 6238 §5.2 "at most one time step" of network delay) */
    window?: number;
    /** Secret length in bytes. @default 20 (160 bits, RFC 4226 §4 R6) */
    secretBytes?: number;
  };
  recoveryCodes?: {
    /** Codes per set. @default 10 */
    count?: number;
  };
  limits?: {
    /** @default { maxFailures: 5, cooldownMs: 300_000, countsTowardLock: true } */
    totp?: Partial<FamilyLimits>;
    /** @default { maxFailures: 5, cooldownMs: 300_000, countsTowardLock: true } */
    sms?: Partial<FamilyLimits>;
    /** @default { maxFailures: 5, cooldownMs: 300_000, countsTowardLock: true } */
    recovery?: Partial<FamilyLimits>;
    /** Failed WebAuthn assertions (bad signature, used or foreign challenge, counter regression). @default { maxFailures: 5, cooldownMs: 300_000, countsTowardLock: true } */
    webauthn?: Partial<FamilyLimits>;
    /**
     * Password step reported by the app: growing cooldowns (5, 15, 45 min, then 1 h), never a lock,
     * because anyone who knows a username can fail it. `countsTowardLock: true` opts into letting
     * anonymous failures lock accounts (see the core README's threat model before doing so).
     * @default { maxFailures: 5, cooldownMs: 300_000, cooldownGrowthFactor: 3, maxCooldownMs: 3_600_000, countsTowardLock: false }
     */
    password?: Partial<FamilyLimits>;
    /** Failed phone enrolments. @default { maxFailures: 3, cooldownMs: 3_600_000, countsTowardLock: false } */
    smsSetup?: Partial<FamilyLimits>;
    /**
     * Consecutive second-factor failures that lock the account (at most 100, NIST SP 800-63B-4 §3.2.2).
     * @default { maxConsecutiveFailures: 10, mode: 'permanent', durationMs: 900_000, growthFactor: 2, maxDurationMs: 86_400_000 }
     */
    lock?: Partial<LockLimits>;
    /**
     * Second-factor failures per client address in a sliding window, across all users. Reserved before
     * each evaluation (so parallel requests can't exceed it) and given back on success. Over it, only
     * second-factor evaluations from that address are refused (COOLDOWN with `retryAfterMs`).
     */
    addressBudget?: {
      /** @default 30 */
      maxFailures?: number;
      /** @default 3_600_000 (1 hour) */
      windowMs?: number;
      /** IPv6 addresses in one prefix of this length share a budget. @default 64 */
      ipv6PrefixLength?: number;
      /**
       * The budget key of a request; return null to exempt it (e.g. a trusted office NAT). Build the
       * others with `addressKey` (exported) to keep the default IPv6 grouping.
       * @default the address (`ctx.ip`) with IPv6 grouped by `ipv6PrefixLength`; requests without an IP are exempt
       */
      key?: (ctx: RequestContext) => string | null;
    };
  };
  sms?: {
    /** Sends the codes mfa-kit generates. Required for SMS unless `verifier` is given. */
    sender?: SmsSender;
    /** Provider-generated codes (e.g. Twilio Verify) instead of mfa-kit's own. */
    verifier?: PhoneVerifier;
    /** Name in the message text. @default issuer */
    appName?: string;
    /** Domain for the origin-bound code line (`@example.com #123456`) that lets browsers autofill. @default none */
    originDomain?: string;
    /** @default 6 */
    codeDigits?: 6 | 8;
    /** @default 300_000 (5 minutes) */
    codeTtlMs?: number;
    /** @default 60_000 */
    resendCooldownMs?: number;
    /** @default 5 */
    sendsPerUserPerHour?: number;
    /** @default 10 */
    sendsPerPhonePerDay?: number;
    /** @default 20 */
    sendsPerIpPerHour?: number;
    /** Sends per country calling code per hour (toll-fraud guard). @default 1000 */
    sendsPerCountryPerHour?: number;
    /** Allowed destination calling codes, e.g. `['1', '44']`. @default undefined (every country allowed) */
    allowedCountryCodes?: string[];
  };
  /** Policy used until an admin saves one. @default { requiredRoles: [], requiredOrgs: [], rollout: { mode: 'all' }, grace: null, allowSelfUnlock: false } */
  policy?: Partial<MfaPolicy>;
  /**
   * WebAuthn (passkeys and security keys) as a second factor; off when absent.
   * The relying party (RP ID, origins) is the verifier's configuration, e.g.
   * `createWebAuthnVerifier({ rpId, rpName, origins })` from `@mfa-kit/webauthn`.
   */
  webauthn?: {
    verifier: WebAuthnVerifier;
    /** How long a registration or sign-in challenge stays usable. @default 300_000 (5 minutes) */
    challengeTtlMs?: number;
    /** Credentials per user. @default 10 */
    maxCredentials?: number;
  };
  /** "Remember this device" (trusted devices; see `mfa.trustedDevices`). */
  trustedDevices?: {
    /** How long a device stays trusted after the second factor. @default 2_592_000_000 (30 days) */
    ttlMs?: number;
    /** Devices kept per user; trusting one more drops the least recently used. @default 10 */
    maxPerUser?: number;
  };
  /** Self-unlock links (seed 002). */
  unlock?: {
    delivery?: UnlockDelivery;
    /** @default 3_600_000 */
    tokenTtlMs?: number;
    /** Unlock requests per user per hour. @default 3 */
    requestsPerHour?: number;
    /**
     * Unlock requests per client IP (`RequestContext.ip`) per hour, checked
     * before the user lookup; requests without an IP share one budget.
     * @default 10
     */
    requestsPerIpPerHour?: number;
  };
  /**
   * Deletes a user's session data eagerly after their epoch was bumped (reset,
   * disable, lock, factor removal, `sessions.revokeAll`). Optional: sessions are
   * refused because of the epoch whether or not they were deleted (see
   * `@mfa-kit/express`'s session store); this only frees the storage sooner.
   * @default none
   */
  sessionRevoker?: SessionRevoker;
  /**
   * Security notifications to the user (ASVS V6.3.5/V6.3.7): factor added or
   * removed, recovery codes regenerated or running low, admin reset or lock,
   * repeated second-factor failures after a correct password. Derived from
   * the recorded events; never contain codes or secrets.
   * @default none
   */
  notifications?: {
    /** The app's mailer. */
    notifier: SecurityNotifier;
    /** A recovery-code use leaving this many or fewer sends `recovery-codes-low`. @default 3 */
    lowRecoveryCodes?: number;
    /** Where notifier failures go (they never reach the user's request). @default console.error with the notice kind */
    onError?: (error: unknown, notification: SecurityNotification) => void;
  };
  /** @default system clock */
  clock?: Clock;
  /** @default node:crypto randomBytes */
  random?: Random;
}
