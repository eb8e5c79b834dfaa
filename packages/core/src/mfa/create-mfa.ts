import type { Mfa } from '../api.js';
import { createKeyRing, createKeyedHasher } from '../crypto/index.js';
import type { MfaOptions } from '../options.js';
import { createAdmin } from './admin.js';
import type { MfaContext } from './context.js';
import { declineEnrolment } from './decline-enrolment.js';
import { disableMfa } from './disable.js';
import { failClosed } from './fail-closed.js';
import { createEventRecorder } from './event-recorder.js';
import { createSecurityNotifierListener } from './security-notices.js';
import { DEFAULT_LOW_RECOVERY_CODES } from '../defaults.js';
import type { SecurityNotification } from '../ports/security-notifier.js';
import { clearAddress } from './clear-address.js';
import { reportPassword, reportUnknownUser } from './password.js';
import { regenerateRecoveryCodes } from './recovery-codes.js';
import { importTotpSecret } from './import-totp-secret.js';
import { reencryptAllUsers, reencryptUser } from './reencrypt.js';
import { computeRequirement, loadPolicy } from './requirement.js';
import { resolveOptions } from './resolve-options.js';
import { signInWithPassword, startSignIn } from './sign-in.js';
import { beginSmsEnrolment, confirmSmsEnrolment } from './sms-enrolment.js';
import { reportNotMyNumber, sendSmsSignInCode } from './sms-sign-in.js';
import { createSessions } from './sessions.js';
import { getStatus } from './status.js';
import { beginTotpEnrolment, confirmTotpEnrolment } from './totp-enrolment.js';
import { createTrustedDevices } from './trusted-devices.js';
import { createUnlock } from './unlock.js';
import { verifyFactor } from './verify.js';
import { createWebAuthnCredentials } from './webauthn-credentials.js';
import { beginWebAuthnRegistration, finishWebAuthnRegistration } from './webauthn-registration.js';
import { verifyWebAuthnSignIn, webAuthnSignInOptions } from './webauthn-sign-in.js';
import { assertUser } from './assert-user.js';

/** Default `notifications.onError`: one line naming the notice, never its content. */
function logNotifierFailure(error: unknown, notification: SecurityNotification): void {
  const reason = error instanceof Error ? error.message : String(error);
  console.error(
    `[mfa-kit] security notification "${notification.notice.kind}" for user ${notification.userId} failed: ${reason}`,
  );
}

/**
 * Builds one mfa-kit instance from its ports. Every option is validated here
 * (a bad option throws `MfaError('CONFIGURATION')` at startup, not at a
 * user's sign-in); nothing is global, so several instances can coexist.
 */
export function createMfa(options: MfaOptions): Mfa {
  const resolved = resolveOptions(options);
  // Both validate their keys and throw CONFIGURATION (32-byte AES keys with ids; a ≥ 32-byte hash key).
  const sealer = createKeyRing({ ...resolved.encryption, random: resolved.random });
  const hasher = createKeyedHasher(resolved.hashKey);
  const clock = resolved.clock;
  const events = createEventRecorder(resolved.backend.events, clock);
  const notifications = resolved.notifications;
  if (notifications !== undefined) {
    events.subscribe(
      createSecurityNotifierListener({
        notifier: notifications.notifier,
        lowRecoveryCodes: notifications.lowRecoveryCodes ?? DEFAULT_LOW_RECOVERY_CODES,
        onError: notifications.onError ?? logNotifierFailure,
      }),
    );
  }
  const mfa: MfaContext = {
    options: resolved,
    backend: resolved.backend,
    sealer,
    hasher,
    events,
    now: () => clock.now(),
  };
  const admin = createAdmin(mfa);
  const unlock = createUnlock(mfa);
  const sessions = createSessions(mfa);
  const trustedDevices = createTrustedDevices(mfa);
  const webauthnCredentials = createWebAuthnCredentials(mfa);

  return {
    options: resolved,
    requirement: failClosed(async (user) => {
      assertUser(user);
      const [policy, record] = await Promise.all([loadPolicy(mfa), mfa.backend.store.getRecord(user.id)]);
      return computeRequirement(policy, user, record);
    }),
    status: failClosed((user) => getStatus(mfa, user)),
    startSignIn: failClosed((user, ctx, input) => startSignIn(mfa, user, ctx, input)),
    verify: failClosed((user, factor, code, ctx, input) =>
      verifyFactor(mfa, user, factor, code, ctx, input?.carried, input?.successEvent === 'started'),
    ),
    declineEnrolment: failClosed((user, ctx) => declineEnrolment(mfa, user, ctx)),
    disable: failClosed((user, proof, ctx) => disableMfa(mfa, user, proof, ctx)),
    totp: {
      beginEnrolment: failClosed((user) => beginTotpEnrolment(mfa, user)),
      confirmEnrolment: failClosed((user, sealedSecret, code, ctx) =>
        confirmTotpEnrolment(mfa, user, sealedSecret, code, ctx),
      ),
    },
    webauthn: {
      registrationOptions: failClosed((user, input) => beginWebAuthnRegistration(mfa, user, input)),
      verifyRegistration: failClosed((user, input, ctx) => finishWebAuthnRegistration(mfa, user, input, ctx)),
      signInOptions: failClosed((user, input) => webAuthnSignInOptions(mfa, user, input)),
      verifySignIn: failClosed((user, input, ctx) => verifyWebAuthnSignIn(mfa, user, input, ctx)),
      stepUpOptions: failClosed((user, input) => webAuthnSignInOptions(mfa, user, input, 'step-up')),
      verifyStepUp: failClosed((user, input, ctx) => verifyWebAuthnSignIn(mfa, user, input, ctx, 'step-up')),
      list: failClosed(webauthnCredentials.list),
      rename: failClosed(webauthnCredentials.rename),
      remove: failClosed(webauthnCredentials.remove),
    },
    recovery: {
      regenerate: failClosed((user, ctx) => regenerateRecoveryCodes(mfa, user, ctx)),
    },
    sms: {
      beginEnrolment: failClosed((user, phone, ctx) => beginSmsEnrolment(mfa, user, phone, ctx)),
      confirmEnrolment: failClosed((user, code, ctx) => confirmSmsEnrolment(mfa, user, code, ctx)),
      sendSignInCode: failClosed((user, ctx) => sendSmsSignInCode(mfa, user, ctx)),
      notMyNumber: failClosed((user, ctx) => reportNotMyNumber(mfa, user, ctx)),
    },
    password: {
      report: failClosed((user, success, ctx) => reportPassword(mfa, user, success, ctx)),
      signIn: failClosed((user, ctx, input) => signInWithPassword(mfa, user, ctx, input)),
      reportUnknownUser: failClosed((username, ctx) => reportUnknownUser(mfa, username, ctx)),
    },
    admin: {
      reset: failClosed(admin.reset),
      lock: failClosed(admin.lock),
      unlock: failClosed(admin.unlock),
      resetCooldowns: failClosed(admin.resetCooldowns),
      clearAddress: failClosed((actor, address, input) => clearAddress(mfa, actor, address, input)),
      getPolicy: failClosed(admin.getPolicy),
      getVersionedPolicy: failClosed(admin.getVersionedPolicy),
      setPolicy: failClosed(admin.setPolicy),
      updatePolicy: failClosed(admin.updatePolicy),
    },
    sessions: {
      epoch: failClosed(async (userId) => sessions.epoch(userId)),
      revokeAll: failClosed(sessions.revokeAll),
    },
    trustedDevices: {
      trust: failClosed(trustedDevices.trust),
      list: failClosed(trustedDevices.list),
      revoke: failClosed(trustedDevices.revoke),
    },
    unlock: {
      request: unlock.request,
      redeem: failClosed(unlock.redeem),
    },
    events: {
      query: failClosed((query) => mfa.backend.events.query(query)),
      record: failClosed((event) => events.record(event)),
      subscribe: (listener) => events.subscribe(listener),
    },
    maintenance: {
      reencrypt: failClosed((userId) => reencryptUser(mfa, userId)),
      reencryptAll: failClosed((options) => reencryptAllUsers(mfa, options)),
      importTotpSecret: failClosed((actor, user, input) => importTotpSecret(mfa, actor, user, input)),
    },
  };
}
