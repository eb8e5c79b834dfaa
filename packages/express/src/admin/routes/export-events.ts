import type { Mfa } from '@mfa-kit/core';
import type { RequestHandler } from 'express';
import { EVENT_CSV_COLUMNS, csvRow, eventCsvRow } from '../csv.js';
import { getAdminContext } from '../context.js';
import { describeEvent, resolveEventNames } from '../describe-event.js';
import type { UserDirectory } from '../user-directory.js';
import { queryScopedEvents } from '../event-scope.js';
import { eventQuerySchema } from '../schemas.js';
import { validate } from '../../http/validate.js';

const BATCH = 500;

/**
 * `GET /events.csv` with the filters of `GET /events`: every matching event,
 * newest first, up to `maxRows` (`X-Truncated: true` says more existed). The
 * whole export is assembled before the headers go out, so a store failure
 * half-way still gets the uniform error body instead of a cut-off file.
 * The last column is the same sentence `GET /events` shows as `summary`.
 */
export function createExportEventsHandler(deps: {
  mfa: Mfa;
  users: UserDirectory;
  maxRows: number;
}): RequestHandler {
  return async (req, res) => {
    const context = getAdminContext(res);
    const input = validate(eventQuerySchema, req.query);
    const parts = [csvRow([...EVENT_CSV_COLUMNS])];
    const findName = async (id: string) => (await deps.users.findById(id))?.name ?? null;
    const failuresBeforeLock = deps.mfa.options.limits.lock.maxConsecutiveFailures;
    let rows = 0;
    let cursor: string | undefined = input.cursor;
    let truncated = false;
    for (;;) {
      const limit = Math.min(BATCH, deps.maxRows - rows);
      const page = await queryScopedEvents(
        deps.mfa,
        deps.users,
        context,
        input,
        cursor === undefined ? { limit } : { limit, cursor },
      );
      const nameOf = await resolveEventNames(page.events, findName);
      for (const event of page.events)
        parts.push(eventCsvRow(event, describeEvent(event, { nameOf, failuresBeforeLock })));
      rows += page.events.length;
      if (page.nextCursor === null) break;
      if (rows >= deps.maxRows) {
        truncated = true;
        break;
      }
      cursor = page.nextCursor;
    }
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="mfa-events.csv"');
    res.setHeader('Cache-Control', 'no-store');
    if (truncated) res.setHeader('X-Truncated', 'true');
    res.send(parts.join(''));
  };
}
