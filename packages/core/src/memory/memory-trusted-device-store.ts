import type { TrustedDeviceStore } from '../ports/trusted-device-store.js';
import type { TrustedDevice } from '../types.js';

/**
 * Drops the devices `add` must drop (expired at `now`, other epoch), then the
 * least recently used above `maxPerUser`. Shared rule of both stores; the
 * Redis script mirrors it.
 */
function keep(
  devices: TrustedDevice[],
  added: TrustedDevice,
  now: number,
  maxPerUser: number,
): TrustedDevice[] {
  const live = devices.filter((d) => d.id !== added.id && d.expiresAt > now && d.epoch === added.epoch);
  live.sort((a, b) => b.lastUsedAt - a.lastUsedAt || b.createdAt - a.createdAt);
  return [added, ...live.slice(0, Math.max(0, maxPerUser - 1))];
}

/** An in-process {@link TrustedDeviceStore}; records are copied in and out. */
export function createMemoryTrustedDeviceStore(): TrustedDeviceStore {
  const byUser = new Map<string, Map<string, TrustedDevice>>();
  return {
    async add(device, { now, maxPerUser }) {
      const devices = byUser.get(device.userId) ?? new Map<string, TrustedDevice>();
      const kept = keep([...devices.values()], { ...device }, now, maxPerUser);
      byUser.set(device.userId, new Map(kept.map((d) => [d.id, d])));
    },
    async get(userId, deviceId) {
      const device = byUser.get(userId)?.get(deviceId);
      return device === undefined ? null : { ...device };
    },
    async list(userId) {
      return [...(byUser.get(userId)?.values() ?? [])].map((d) => ({ ...d }));
    },
    async touch(userId, deviceId, lastUsedAt) {
      const device = byUser.get(userId)?.get(deviceId);
      if (device === undefined) return false;
      device.lastUsedAt = lastUsedAt;
      return true;
    },
    async revoke(userId, deviceId) {
      return byUser.get(userId)?.delete(deviceId) ?? false;
    },
  };
}
