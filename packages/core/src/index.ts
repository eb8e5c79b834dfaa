// Public API of @mfa-kit/core. Values first, then types.
export { ErrorCode, MfaError, isMfaError } from './errors.js';
export { AUDIT_EVENT_TYPES, EventType } from './events.js';
export { createMfa } from './mfa/create-mfa.js';
export { addressKey } from './limiter/address-key.js';
export { computeRequirement } from './mfa/requirement.js';
export { factorSatisfies } from './mfa/factor-satisfies.js';
export { parseOrgId } from './mfa/org-id.js';
export { createMemoryBackend } from './memory/index.js';
export {
  createTOTPKeyURI,
  decodeBase32,
  encodeBase32,
  findTOTPStep,
  generateHOTP,
  generateTOTP,
  generateTOTPSecret,
} from './totp/index.js';
export { formatRecoveryCode, generateRecoveryCodes, normalizeRecoveryCode } from './recovery-codes/index.js';
export { maskPhoneNumber, parsePhoneNumber } from './phone/index.js';
export { constantTimeEqual, createKeyedHasher, createKeyRing } from './crypto/index.js';

export type { MfaErrorDetails, MfaErrorOptions } from './errors.js';
export type {
  Actor,
  EventBase,
  EventDetails,
  EventPage,
  EventQuery,
  MfaEvent,
  NewMfaEvent,
  SessionRevocationReason,
  TrustedDeviceRefusal,
} from './events.js';
export type {
  AttemptCheck,
  AttemptDecision,
  AttemptInput,
  FactorType,
  FamilyLimits,
  GraceRemaining,
  LimitFamily,
  LimiterStatus,
  LockLimits,
  MfaPolicy,
  MfaRecord,
  MfaUser,
  RequestContext,
  Requirement,
  SmsChallenge,
  SmsFactor,
  TotpAlgorithm,
  TotpFactor,
  TrustedDevice,
  WebAuthnChallenge,
  WebAuthnCredential,
} from './types.js';
export type { MfaBackend } from './ports/backend.js';
export type { Clock, Random } from './ports/clock.js';
export type { CounterResult, CounterStore, WindowLimit } from './ports/counter-store.js';
export type { EventLog } from './ports/event-log.js';
export type { AddWebAuthnCredentialResult, MfaStore } from './ports/mfa-store.js';
export type {
  WebAuthnAuthenticationVerdict,
  WebAuthnRegistrationOptionsInput,
  WebAuthnRegistrationVerdict,
  WebAuthnVerifier,
} from './ports/webauthn-verifier.js';
export type { PolicyStore, VersionedPolicy } from './ports/policy-store.js';
export type { SessionRevoker } from './ports/session-revoker.js';
export type { TrustedDeviceStore } from './ports/trusted-device-store.js';
export type { PhoneVerifier, SmsFailureReason, SmsMessage, SmsSender } from './ports/sms.js';
export type { UnlockDelivery } from './ports/unlock-delivery.js';
export type { SecurityNotice, SecurityNotification, SecurityNotifier } from './ports/security-notifier.js';
export type { MfaOptions } from './options.js';
export type { KeyedHasher, KeyRing, KeyRingOptions } from './crypto/index.js';
export type { ParsedPhoneNumber } from './phone/index.js';
export type { EventListener } from './mfa/event-recorder.js';
export type {
  CarriedFactors,
  EnrolResult,
  ImportTotpSecretInput,
  ImportTotpSecretResult,
  ReencryptAllOptions,
  ReencryptAllResult,
  ReencryptProgress,
  ReencryptResult,
  Mfa,
  PasswordReport,
  ResolvedMfaOptions,
  SignInDecision,
  SmsSendResult,
  TotpEnrolment,
  TrustedDeviceInfo,
  UserMfaStatus,
  VerifyResult,
  WebAuthnCredentialInfo,
  WebAuthnRegistrationResult,
} from './api.js';
