import type { Mfa } from '@mfa-kit/core';
import type { RequestHandler } from 'express';
import { getAdminContext, toMfaUser } from '../context.js';
import { inScope, scopeOrgId } from '../org-scope.js';
import { userSearchQuerySchema } from '../schemas.js';
import { loadSummary, toRow } from '../user-summary.js';
import type { UserDirectory } from '../user-directory.js';
import { validate } from '../../http/validate.js';

/**
 * `GET /users?q=&cursor=&limit=`: one page of users in the caller's scope with
 * their MFA status (factors, lock, cooldown, recovery codes left, last event).
 */
export function createListUsersHandler(deps: {
  mfa: Mfa;
  users: UserDirectory;
  pageSize: number;
}): RequestHandler {
  return async (req, res) => {
    const context = getAdminContext(res);
    const query = validate(userSearchQuerySchema, req.query);
    const page = await deps.users.search({
      text: query.q,
      orgId: scopeOrgId(context),
      limit: query.limit ?? deps.pageSize,
      cursor: query.cursor,
    });
    // The directory is the app's code: re-check the scope instead of trusting its filter.
    const visible = page.users.filter((u) => inScope(context, u.orgId));
    const rows = await Promise.all(
      visible.map(async (u) => toRow(u, await loadSummary(deps.mfa, toMfaUser(u)))),
    );
    res.json({ users: rows, nextCursor: page.nextCursor });
  };
}
