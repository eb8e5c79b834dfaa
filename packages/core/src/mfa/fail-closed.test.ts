import { describe, expect, it } from 'vitest';
import { MfaError, isMfaError } from '../errors.js';
import { createHarness, enrolTotp, totpAt } from '../../test-support/mfa-harness.js';

const alice = { id: 'alice', roles: ['staff'] };
const ctx = { ip: '203.0.113.9' };

describe('failClosed: only infrastructure failures look like an outage', () => {
  it('a driver/network error from the store becomes STORE_UNAVAILABLE with the error as cause', async () => {
    const h = createHarness();
    const { secret } = await enrolTotp(h, alice);
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:6379');
    h.backend.store.attempt = async () => {
      throw refused;
    };
    const error = await h.mfa.verify(alice, 'totp', totpAt(secret, h.clock.now()), ctx).catch((e) => e);
    expect(isMfaError(error, 'STORE_UNAVAILABLE')).toBe(true);
    expect((error as MfaError).cause).toBe(refused);
  });

  it('a TypeError in a store adapter surfaces unchanged as a bug, not as STORE_UNAVAILABLE', async () => {
    const h = createHarness();
    const { secret } = await enrolTotp(h, alice);
    h.backend.store.attempt = async () => {
      // What a buggy SQL adapter does: reads a property of a row that isn't there.
      return (undefined as unknown as { ok: boolean }).ok as never;
    };
    const error = await h.mfa.verify(alice, 'totp', totpAt(secret, h.clock.now()), ctx).catch((e) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(MfaError);
    expect(h.events.some((e) => e.type === 'VERIFICATION_SUCCEEDED')).toBe(false);
  });

  it('a RangeError in the policy store surfaces unchanged from the skip-MFA decision', async () => {
    const h = createHarness();
    h.backend.policies.get = async () => {
      throw new RangeError('Invalid array length');
    };
    const error = await h.mfa.requirement(alice).catch((e) => e);
    expect(error).toBeInstanceOf(RangeError);
  });

  it('an MfaError from the store keeps its code', async () => {
    const h = createHarness();
    h.backend.store.getRecord = async () => {
      throw new MfaError('KEY_UNAVAILABLE');
    };
    const error = await h.mfa.requirement(alice).catch((e) => e);
    expect(isMfaError(error, 'KEY_UNAVAILABLE')).toBe(true);
  });
});
