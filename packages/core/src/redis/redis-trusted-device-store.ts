import { MfaError } from '../errors.js';
import type { TrustedDeviceStore } from '../ports/trusted-device-store.js';
import type { TrustedDevice } from '../types.js';
import { callScript } from './call-script.js';
import type { RedisKeys } from './keys.js';
import type { RedisCaller } from './redis-caller.js';
import { addTrustedDeviceScript } from './scripts/add-trusted-device.lua.js';
import { touchTrustedDeviceScript } from './scripts/touch-trusted-device.lua.js';

/** What {@link createRedisTrustedDeviceStore} needs. */
export interface RedisTrustedDeviceStoreDeps {
  caller: RedisCaller;
  keys: RedisKeys;
}

function parseDevice(json: unknown): TrustedDevice {
  try {
    if (typeof json !== 'string') throw new TypeError(typeof json);
    const device = JSON.parse(json) as TrustedDevice;
    if (typeof device?.id !== 'string' || typeof device.secretHash !== 'string')
      throw new TypeError('fields');
    return device;
  } catch (error) {
    throw new MfaError('STORE_UNAVAILABLE', {
      message: 'The MFA store returned a malformed trusted device.',
      cause: error,
    });
  }
}

/**
 * `TrustedDeviceStore` on Redis: one HASH per user, `${prefix}{u:<id>}:devices`
 * (the user's hash tag, so it sits in the user's Cluster slot), field = device
 * id, value = the device as JSON. Adding and touching are Lua scripts (one
 * atomic step each); reads and revocation are single commands (a revocation
 * waits for replicas when the backend has `durability`).
 */
export function createRedisTrustedDeviceStore({
  caller,
  keys,
}: RedisTrustedDeviceStoreDeps): TrustedDeviceStore {
  return {
    async add(device, { now, maxPerUser }) {
      await callScript(caller, addTrustedDeviceScript, [keys.user(device.userId).devices], {
        device: { id: device.id, epoch: device.epoch, expiresAt: device.expiresAt },
        json: JSON.stringify(device),
        now,
        maxPerUser,
      });
    },
    async get(userId, deviceId) {
      const json = await caller.command('trusted device get', (client) =>
        client.hget(keys.user(userId).devices, deviceId),
      );
      return json === null ? null : parseDevice(json);
    },
    async list(userId) {
      const all = await caller.command('trusted device list', (client) =>
        client.hgetall(keys.user(userId).devices),
      );
      return Object.values(all).map(parseDevice);
    },
    async touch(userId, deviceId, lastUsedAt) {
      const reply = await callScript(caller, touchTrustedDeviceScript, [keys.user(userId).devices], {
        id: deviceId,
        lastUsedAt,
      });
      return Number(reply) === 1;
    },
    async revoke(userId, deviceId) {
      // Durable when configured: a failover must not bring back a device its user revoked.
      const removed = await caller.write('trusted device revoke', 'HDEL', [
        keys.user(userId).devices,
        deviceId,
      ]);
      return Number(removed) > 0;
    },
  };
}
