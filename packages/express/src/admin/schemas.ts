import { EventType } from '@mfa-kit/core';
import { z } from 'zod';

/** Longest free-text reason an admin can attach to an action (recorded in the audit event). */
export const MAX_REASON_LENGTH = 500;

const reason = z.string().trim().max(MAX_REASON_LENGTH).optional();

/** A user id in a route parameter: same bounds as `MfaUser.id`. */
export const userIdSchema = z.string().min(1).max(200);

/** Body of reset / lock / unlock. An empty body is fine. */
export const reasonBodySchema = z.strictObject({ reason }).optional().default({});

/** Body of `POST /users/:id/reset-cooldowns`. */
export const resetCooldownsBodySchema = z.strictObject({
  which: z.enum(['verification', 'sms-setup', 'all']).default('all'),
  reason,
});

/** Body of `POST /addresses/clear`: a client address as the budget saw it (IPv4 or IPv6 text). */
export const clearAddressBodySchema = z.strictObject({
  address: z.string().trim().min(1).max(100),
  reason,
});

/** Body of `PUT /users/:id/roles`: the user's whole new role list. */
export const setRolesBodySchema = z.strictObject({
  roles: z
    .array(z.string().trim().min(1).max(100))
    .max(50)
    .transform((roles) => [...new Set(roles)]),
  reason,
});

/** Query of `GET /users`. */
export const userSearchQuerySchema = z.object({
  q: z.string().max(200).optional().default(''),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

/** A time bound: ISO 8601 text or epoch milliseconds. */
const timeBound = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'Use an ISO 8601 date or epoch milliseconds.' });
      return z.NEVER;
    }
    return ms;
  });

const eventTypes = Object.keys(EventType) as [EventType, ...EventType[]];

/** `types=A,B` or `types=A&types=B`. */
const typeList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : [value])
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== ''),
  )
  .pipe(z.array(z.enum(eventTypes)).max(eventTypes.length));

/** Query of `GET /events` and `GET /events.csv`. */
export const eventQuerySchema = z
  .object({
    q: z.string().max(200).optional(),
    types: typeList.optional(),
    since: timeBound.optional(),
    until: timeBound.optional(),
    userId: userIdSchema.optional(),
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .refine((q) => q.since === undefined || q.until === undefined || q.since <= q.until, {
    message: '`since` must not be after `until`.',
    path: ['since'],
  });

const name = z.string().trim().min(1).max(100);

/** Body of `PUT /policy`: a whole {@link MfaPolicy} plus an optional reason. */
export const policyBodySchema = z.strictObject({
  requiredRoles: z.array(name).max(100),
  requiredOrgs: z.array(name).max(10_000),
  rollout: z.discriminatedUnion('mode', [
    z.strictObject({ mode: z.literal('all') }),
    z.strictObject({ mode: z.literal('orgs'), orgs: z.array(name).max(10_000) }),
  ]),
  grace: z
    .strictObject({
      signIns: z.number().int().min(0).max(1000).optional(),
      until: z.union([z.number().int().min(0), timeBound]).optional(),
    })
    .nullable(),
  allowSelfUnlock: z.boolean(),
  /** Omitted: the current setting stays. */
  trustedDevices: z.strictObject({ forbiddenRoles: z.array(name).max(100) }).optional(),
  /** `GET /policy`'s version: the save applies only if the policy is still at it (else 409 CONFLICT). */
  version: z.string().min(1).max(200).optional(),
  /** Roles that must use a phishing-resistant factor (WebAuthn). Omitted: the current list stays. */
  phishingResistantRoles: z.array(name).max(100).optional(),
  /** Organisations that must use a phishing-resistant factor. Omitted: the current list stays. */
  phishingResistantOrgs: z.array(name).max(10_000).optional(),
  reason,
});

/** Body of `POST /unlock/request`. */
export const unlockRequestBodySchema = z.strictObject({ identifier: z.string().trim().min(1).max(320) });

/** Body of `POST /unlock/redeem`. */
export const unlockRedeemBodySchema = z.strictObject({ token: z.string().min(1).max(2000) });
