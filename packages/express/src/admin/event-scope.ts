import type { EventPage, EventQuery, Mfa } from '@mfa-kit/core';
import type { z } from 'zod';
import type { AdminContext } from './context.js';
import { scopeOrgId } from './org-scope.js';
import type { eventQuerySchema } from './schemas.js';
import type { UserDirectory } from './user-directory.js';

/** The validated query string of the event routes. */
export type EventQueryInput = z.output<typeof eventQuerySchema>;

/** Most directory matches a search expands to (the users an admin could mean by the text). */
export const MAX_SEARCH_USERS = 200;

/**
 * Runs an event query inside the caller's scope: an organisation admin only
 * ever sees events of their organisation, whatever filters they send. The
 * search text also matches what the admin sees of a user (display name,
 * username, e-mail): the app's directory is searched in the same scope, and
 * events about or by the users it finds match (seed 004 "Search for the
 * error log"). For a
 * caller without an organisation (and without `mfa:all-orgs`) the log can't
 * filter on "no organisation", so events of any organisation are dropped
 * from the page after the query; the cursor stays valid.
 */
export async function queryScopedEvents(
  mfa: Mfa,
  users: UserDirectory,
  context: AdminContext,
  input: EventQueryInput,
  overrides: { limit?: number; cursor?: string } = {},
): Promise<EventPage> {
  const scope = scopeOrgId(context);
  const query: EventQuery = {};
  if (input.types !== undefined && input.types.length > 0) query.types = input.types;
  if (input.userId !== undefined) query.userId = input.userId;
  if (typeof scope === 'string') query.orgId = scope;
  if (input.since !== undefined) query.since = input.since;
  if (input.until !== undefined) query.until = input.until;
  const text = input.q?.trim() ?? '';
  if (text !== '') {
    query.text = text;
    const found = await users.search({ text, orgId: scope, limit: MAX_SEARCH_USERS, cursor: undefined });
    query.textUserIds = found.users.map((u) => u.id);
  }
  const limit = overrides.limit ?? input.limit;
  if (limit !== undefined) query.limit = limit;
  const cursor = overrides.cursor ?? input.cursor;
  if (cursor !== undefined) query.cursor = cursor;
  const page = await mfa.events.query(query);
  if (scope !== null) return page;
  return { events: page.events.filter((e) => e.orgId === null), nextCursor: page.nextCursor };
}
