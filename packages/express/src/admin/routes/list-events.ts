import type { Mfa } from '@mfa-kit/core';
import type { RequestHandler } from 'express';
import { getAdminContext } from '../context.js';
import { describeEvent, resolveEventNames } from '../describe-event.js';
import { queryScopedEvents } from '../event-scope.js';
import { eventQuerySchema } from '../schemas.js';
import type { UserDirectory } from '../user-directory.js';
import { validate } from '../../http/validate.js';

/**
 * `GET /events?q=&types=&since=&until=&userId=&cursor=&limit=` (seed 004 "View
 * MFA error logs"): newest first; pass `nextCursor` back as `cursor` for the
 * next (older) page. `types` is a comma-separated list or repeated. `q` also
 * matches users' display names, usernames and e-mails (through the
 * directory). Each event carries `summary`, the sentence the CSV export has too.
 */
export function createListEventsHandler(deps: { mfa: Mfa; users: UserDirectory }): RequestHandler {
  return async (req, res) => {
    const context = getAdminContext(res);
    const input = validate(eventQuerySchema, req.query);
    const page = await queryScopedEvents(deps.mfa, deps.users, context, input);
    const nameOf = await resolveEventNames(
      page.events,
      async (id) => (await deps.users.findById(id))?.name ?? null,
    );
    const failuresBeforeLock = deps.mfa.options.limits.lock.maxConsecutiveFailures;
    res.json({
      events: page.events.map((event) => ({
        ...event,
        summary: describeEvent(event, { nameOf, failuresBeforeLock }),
      })),
      nextCursor: page.nextCursor,
    });
  };
}
