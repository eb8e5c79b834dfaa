import type { Mfa } from '@mfa-kit/core';
import type { RequestHandler } from 'express';
import { getAdminContext } from '../context.js';
import { isInstanceWide } from '../org-scope.js';
import { viewPolicy } from '../policy-scope.js';

/** `GET /policy`: the current policy (an organisation admin sees only their organisation in the org lists). */
export function createGetPolicyHandler(deps: { mfa: Mfa }): RequestHandler {
  return async (_req, res) => {
    const context = getAdminContext(res);
    const policy = await deps.mfa.admin.getPolicy();
    res.json({ policy: viewPolicy(context, policy), instanceWide: isInstanceWide(context) });
  };
}
