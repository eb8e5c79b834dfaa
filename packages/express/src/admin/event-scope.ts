import type { EventPage, EventQuery, Mfa } from '@mfa-kit/core';
import type { z } from 'zod';
import type { AdminContext } from './context.js';
import { scopeOrgId } from './org-scope.js';
import type { eventQuerySchema } from './schemas.js';

/** The validated query string of the event routes. */
export type EventQueryInput = z.output<typeof eventQuerySchema>;

/**
 * Runs an event query inside the caller's scope: an organisation admin only
 * ever sees events of their organisation, whatever filters they send. For a
 * caller without an organisation (and without `mfa:all-orgs`) the log can't
 * filter on "no organisation", so events of any organisation are dropped
 * from the page after the query; the cursor stays valid.
 */
export async function queryScopedEvents(
  mfa: Mfa,
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
  if (input.q !== undefined && input.q.trim() !== '') query.text = input.q.trim();
  const limit = overrides.limit ?? input.limit;
  if (limit !== undefined) query.limit = limit;
  const cursor = overrides.cursor ?? input.cursor;
  if (cursor !== undefined) query.cursor = cursor;
  const page = await mfa.events.query(query);
  if (scope !== null) return page;
  return { events: page.events.filter((e) => e.orgId === null), nextCursor: page.nextCursor };
}
