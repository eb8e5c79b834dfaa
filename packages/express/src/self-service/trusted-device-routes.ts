import type { Router } from 'express';
import { sendError } from '../http/send-error.js';
import { requestContext } from '../http/request-context.js';
import { validate } from '../http/validate.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { clearTrustCookie, currentDeviceId } from '../trusted-devices/trust-cookie.js';
import { guard } from './access.js';
import { getActor } from './actor.js';
import { deviceIdSchema, emptyBodySchema } from './schemas.js';

/**
 * "Remember this device", self-service:
 * - `GET /trusted-devices`: `{ devices: [{ id, label, factor, createdAt,
 *   lastUsedAt, expiresAt, current }] }`, the devices that can still skip the
 *   second factor (`current`: this browser);
 * - `DELETE /trusted-devices/:deviceId`: revokes one (`{ revoked: true }`, 404
 *   NOT_FOUND when it is not one of the user's); revoking this browser's
 *   device also clears its cookie.
 * Revoking needs no fresh proof: it only takes trust away. Every device ends
 * at once when the user's epoch moves (reset, lock, disable, sign out everywhere).
 */
export function registerTrustedDeviceRoutes(router: Router, kit: ResolvedMfaExpressOptions): void {
  router.get('/trusted-devices', guard(kit, 'signed-in'), async (req, res) => {
    const current = currentDeviceId(req, kit);
    const devices = await kit.mfa.trustedDevices.list(getActor(req).user);
    res.json({ devices: devices.map((device) => ({ ...device, current: device.id === current })) });
  });
  router.delete('/trusted-devices/:deviceId', guard(kit, 'signed-in'), async (req, res) => {
    validate(emptyBodySchema, req.body);
    const deviceId = validate(deviceIdSchema, req.params['deviceId']);
    const { user } = getActor(req);
    const revoked = await kit.mfa.trustedDevices.revoke(
      { kind: 'user', id: user.id },
      user,
      deviceId,
      {},
      requestContext(req),
    );
    if (!revoked) return sendError(res, 'NOT_FOUND', { message: 'No such trusted device.' });
    if (deviceId === currentDeviceId(req, kit)) clearTrustCookie(res, kit);
    res.json({ revoked: true });
  });
}
