import type { Mfa } from '@mfa-kit/core';
import type { RequestHandler } from 'express';
import { MfaError } from '@mfa-kit/core';
import { validate } from '../../http/validate.js';
import { deviceIdSchema } from '../../self-service/schemas.js';
import { getAdminContext, loadTarget } from '../context.js';
import { reasonBodySchema, userIdSchema } from '../schemas.js';
import type { UserDirectory } from '../user-directory.js';
import { withReason } from './reset-user.js';

/** `GET /users/:id/trusted-devices`: the user's trusted devices ("remember this device") that can still skip the second factor. */
export function createListTrustedDevicesHandler(deps: { mfa: Mfa; users: UserDirectory }): RequestHandler {
  return async (req, res) => {
    const context = getAdminContext(res);
    const { user } = await loadTarget(context, deps.users, validate(userIdSchema, req.params['id']));
    res.json({ devices: await deps.mfa.trustedDevices.list(user) });
  };
}

/**
 * `POST /users/:id/trusted-devices/:deviceId/revoke { reason? }`: the device
 * no longer skips the second factor (audited as TRUSTED_DEVICE_REVOKED with
 * the admin). 404 NOT_FOUND when it is not one of the user's devices. To end
 * all of them at once, reset or lock the user (the session epoch moves).
 */
export function createRevokeTrustedDeviceHandler(deps: { mfa: Mfa; users: UserDirectory }): RequestHandler {
  return async (req, res) => {
    const context = getAdminContext(res);
    const id = validate(userIdSchema, req.params['id']);
    const deviceId = validate(deviceIdSchema, req.params['deviceId']);
    const body = validate(reasonBodySchema, req.body);
    const { user } = await loadTarget(context, deps.users, id);
    const revoked = await deps.mfa.trustedDevices.revoke(
      context.actor,
      user,
      deviceId,
      withReason(body.reason),
    );
    if (!revoked) throw new MfaError('NOT_FOUND', { message: 'No such trusted device.' });
    res.json({ ok: true, revoked: true });
  };
}
