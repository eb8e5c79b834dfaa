/**
 * Timings a demo or a test may want shorter or longer than mfa-kit's
 * defaults, settable from the environment (see the README). Each is passed
 * to mfa-kit unchanged; unset means mfa-kit's default.
 */
export interface ExampleSettings {
  /** `MFA_PENDING_TTL_MS`: how long a pending sign-in (challenge or forced enrolment) lives. mfa-kit default 10 minutes. */
  pendingTtlMs?: number;
  /** `MFA_FRESH_FACTOR_MS`: how recent a second factor must be for factor changes. mfa-kit default 5 minutes. */
  freshFactorMs?: number;
  /** `MFA_COOLDOWN_MS`: cooldown after 5 failed codes (authenticator, SMS, recovery, passkey, password). Default 5 minutes. */
  cooldownMs?: number;
  /** `MFA_SMS_RESEND_COOLDOWN_MS`: wait before another SMS code. Default 60 seconds. */
  smsResendCooldownMs?: number;
  /** `MFA_SMS_SETUP_COOLDOWN_MS`: the phone set-up cooldown after failed enrolments. Default 1 hour. */
  smsSetupCooldownMs?: number;
}

const VARIABLES: ReadonlyArray<readonly [keyof ExampleSettings, string]> = [
  ['pendingTtlMs', 'MFA_PENDING_TTL_MS'],
  ['freshFactorMs', 'MFA_FRESH_FACTOR_MS'],
  ['cooldownMs', 'MFA_COOLDOWN_MS'],
  ['smsResendCooldownMs', 'MFA_SMS_RESEND_COOLDOWN_MS'],
  ['smsSetupCooldownMs', 'MFA_SMS_SETUP_COOLDOWN_MS'],
];

/**
 * Reads {@link ExampleSettings} from environment variables (milliseconds,
 * e.g. `MFA_PENDING_TTL_MS=30000`). A value that is not a positive whole
 * number throws, naming the variable, so a typo never silently means "default".
 */
export function settingsFromEnv(env: Readonly<Record<string, string | undefined>>): ExampleSettings {
  const settings: ExampleSettings = {};
  for (const [key, name] of VARIABLES) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
      throw new Error(`${name} must be a positive whole number of milliseconds (got "${raw}")`);
    }
    settings[key] = Number(raw);
  }
  return settings;
}

/** The settings as mfa-kit's `createMfa` limits and SMS options. */
export function mfaTimings(settings: ExampleSettings) {
  const cooldown = settings.cooldownMs === undefined ? {} : { cooldownMs: settings.cooldownMs };
  return {
    limits: {
      totp: cooldown,
      sms: cooldown,
      recovery: cooldown,
      webauthn: cooldown,
      password: cooldown,
      ...(settings.smsSetupCooldownMs === undefined
        ? {}
        : { smsSetup: { cooldownMs: settings.smsSetupCooldownMs } }),
    },
    sms: settings.smsResendCooldownMs === undefined ? {} : { resendCooldownMs: settings.smsResendCooldownMs },
  };
}
