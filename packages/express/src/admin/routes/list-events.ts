import type { Mfa } from '@mfa-kit/core';
import type { RequestHandler } from 'express';
import { getAdminContext } from '../context.js';
import { queryScopedEvents } from '../event-scope.js';
import { eventQuerySchema } from '../schemas.js';
import { validate } from '../../http/validate.js';

/**
 * `GET /events?q=&types=&since=&until=&userId=&cursor=&limit=` (seed 004 "View
 * MFA error logs"): newest first; pass `nextCursor` back as `cursor` for the
 * next (older) page. `types` is a comma-separated list or repeated.
 */
export function createListEventsHandler(deps: { mfa: Mfa }): RequestHandler {
  return async (req, res) => {
    const context = getAdminContext(res);
    const input = validate(eventQuerySchema, req.query);
    res.json(await queryScopedEvents(deps.mfa, context, input));
  };
}
