import type { Mfa } from '@mfa-kit/core';
import type { RequestHandler } from 'express';
import { getAdminContext } from '../context.js';
import { isInstanceWide } from '../org-scope.js';
import { viewPolicy } from '../policy-scope.js';

/**
 * `GET /policy`: the current policy (an organisation admin sees only their
 * organisation in the org lists) and its `version`, which a `PUT /policy`
 * may send back so that a save from this view is refused (409) if the policy
 * changed meanwhile.
 */
export function createGetPolicyHandler(deps: { mfa: Mfa }): RequestHandler {
  return async (_req, res) => {
    const context = getAdminContext(res);
    const { policy, version } = await deps.mfa.admin.getVersionedPolicy();
    res.json({ policy: viewPolicy(context, policy), instanceWide: isInstanceWide(context), version });
  };
}
