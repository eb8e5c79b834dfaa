import type { Mfa, MfaPolicy } from '@mfa-kit/core';
import type { RequestHandler } from 'express';
import { getAdminContext } from '../context.js';
import { isInstanceWide } from '../org-scope.js';
import { mergeScopedPolicy, viewPolicy } from '../policy-scope.js';
import { policyBodySchema } from '../schemas.js';
import { validate } from '../../http/validate.js';

/**
 * `PUT /policy { requiredRoles, requiredOrgs, rollout, grace, allowSelfUnlock, trustedDevices?,
 * phishingResistantRoles?, phishingResistantOrgs?, version?, reason? }` (an optional policy field
 * omitted: its current value stays):
 * replaces the policy (core validates it and records POLICY_CHANGED with the
 * before/after). Core reads the policy at every sign-in and status check, so
 * the change applies at each user's next request or sign-in. The edit is
 * computed from the policy it replaces, inside core's compare-and-set
 * (`mfa.admin.updatePolicy`): an organisation admin's toggle is merged into
 * the policy as it is when written, so it never undoes another admin's
 * concurrent change (`test/express/policy-edit-race.test.ts`); 409 CONFLICT
 * if other writes won 10 times in a row. With `version` (from `GET /policy`)
 * the save applies only to that version, else 409 CONFLICT: an owner's
 * whole-policy save from a stale page never undoes a change made since.
 */
export function createPutPolicyHandler(deps: { mfa: Mfa }): RequestHandler {
  return async (req, res) => {
    const context = getAdminContext(res);
    const body = validate(policyBodySchema, req.body);
    const grace =
      body.grace === null
        ? null
        : {
            ...(body.grace.signIns === undefined ? {} : { signIns: body.grace.signIns }),
            ...(body.grace.until === undefined ? {} : { until: body.grace.until }),
          };
    const input = {
      ...(body.reason === undefined || body.reason === '' ? {} : { reason: body.reason }),
      // A whole policy from a view read earlier: applied only to that version, so it can't undo a change made since.
      ...(body.version === undefined ? {} : { expectedVersion: body.version }),
    };
    const saved = await deps.mfa.admin.updatePolicy(
      context.actor,
      (current: MfaPolicy) => {
        const wanted: MfaPolicy = {
          requiredRoles: body.requiredRoles,
          requiredOrgs: body.requiredOrgs,
          rollout: body.rollout,
          grace,
          allowSelfUnlock: body.allowSelfUnlock,
          trustedDevices: body.trustedDevices ?? current.trustedDevices ?? { forbiddenRoles: [] },
          phishingResistantRoles: body.phishingResistantRoles ?? current.phishingResistantRoles ?? [],
          phishingResistantOrgs: body.phishingResistantOrgs ?? current.phishingResistantOrgs ?? [],
        };
        return isInstanceWide(context) ? wanted : mergeScopedPolicy(context, current, wanted);
      },
      input,
    );
    res.json({ policy: viewPolicy(context, saved), instanceWide: isInstanceWide(context) });
  };
}
