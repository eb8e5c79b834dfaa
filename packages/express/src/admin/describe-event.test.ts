import type { MfaEvent } from '@mfa-kit/core';
import { describe, expect, it } from 'vitest';
import { describeEvent } from './describe-event.js';

const base = {
  id: '1-0',
  time: Date.UTC(2026, 2, 1, 9, 0),
  userId: 'u2',
  orgId: 'acme',
  ip: null,
  userAgent: null,
};
const nameOf = (id: string) => ({ u7: 'Owen Owner' })[id] ?? null;

describe('describeEvent (the MFA error log and CSV sentences)', () => {
  it.each<[MfaEvent, string]>([
    [
      {
        ...base,
        type: 'ACCOUNT_LOCK',
        actor: null,
        details: { lockId: 'x', reason: 'failures', until: null, family: 'totp' },
      },
      'Locked until an admin unlocks it after 10 failed sign-in attempts (last: authenticator codes)',
    ],
    [
      {
        ...base,
        type: 'ACCOUNT_LOCK',
        actor: { kind: 'admin', id: 'u7' },
        details: { lockId: 'x', reason: 'admin', until: null },
      },
      'Locked by admin Owen Owner',
    ],
    [
      {
        ...base,
        type: 'PROVIDER_FAILURE',
        actor: null,
        details: {
          provider: 'twilio',
          providerCode: 500,
          maskedPhone: '+1 ••• ••• 0142',
          message: 'The SMS provider failed.',
        },
      },
      'Provider failure: Twilio 500 sending to +1 ••• ••• 0142. The SMS provider failed.',
    ],
    [
      {
        ...base,
        type: 'COOLDOWN_ACTIVATED',
        actor: null,
        details: { family: 'sms', until: Date.UTC(2026, 2, 1, 9, 5) },
      },
      'Cooldown until 2026-03-01 09:05 UTC after too many failed text-message codes',
    ],
    [
      {
        ...base,
        type: 'ROLE_CHANGED',
        actor: { kind: 'admin', id: 'u7' },
        details: { before: ['admin'], after: ['user'], reason: 'lost phone' },
      },
      'Roles changed by admin Owen Owner: admin → user (reason: lost phone)',
    ],
    [
      { ...base, type: 'ADMIN_RESET', actor: { kind: 'cli', id: 'cli', osUser: 'ops' }, details: {} },
      'MFA reset by the CLI (run by ops)',
    ],
  ])('%#: %s', (event, sentence) => {
    expect(describeEvent(event, { nameOf, failuresBeforeLock: 10 })).toBe(sentence);
  });

  it('names an admin it cannot resolve by id', () => {
    const event: MfaEvent = {
      ...base,
      type: 'ADMIN_UNLOCK',
      actor: { kind: 'admin', id: 'u9' },
      details: {},
    };
    expect(describeEvent(event)).toBe('Unlocked by admin u9; failure counters cleared');
  });
});
