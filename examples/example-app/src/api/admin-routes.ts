import type { Actor, MfaPolicy } from '@mfa-kit/core';
import { type Request, type Response, Router } from 'express';
import type { AppContext } from '../context.js';
import type { Privilege } from '../privileges.js';
import { fail, field } from '../request.js';
import { requirePrivilege, userOf } from '../sign-in-state.js';
import { type AppUser, toMfaUser } from '../users.js';

function actorOf(res: Response): Actor {
  return { kind: 'admin', id: userOf(res).id };
}

/** The target user, only inside the admin's own organisation (others look like missing users). */
function targetOf(req: Request, res: Response, ctx: AppContext): AppUser | null {
  const target = ctx.users.findById(String(req.params.id));
  if (target === null || target.orgId !== userOf(res).orgId) {
    fail(res, 'NOT_FOUND', { message: 'No such user in your organisation.' });
    return null;
  }
  return target;
}

function list(req: Request, name: string): string[] {
  const body = req.body as Record<string, unknown> | undefined;
  const value = body?.[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

function policyFrom(req: Request): MfaPolicy {
  const graceSignIns = field(req, 'graceSignIns').trim();
  const graceUntil = field(req, 'graceUntil').trim();
  const grace =
    graceSignIns === '' && graceUntil === ''
      ? null
      : {
          ...(graceSignIns === '' ? {} : { signIns: Number(graceSignIns) }),
          ...(graceUntil === '' ? {} : { until: Date.parse(`${graceUntil}T23:59:59.999Z`) }),
        };
  const body = req.body as Record<string, unknown> | undefined;
  return {
    requiredRoles: list(req, 'requiredRoles'),
    requiredOrgs: list(req, 'requiredOrgs'),
    rollout:
      field(req, 'rolloutMode') === 'orgs'
        ? { mode: 'orgs', orgs: list(req, 'rolloutOrgs') }
        : { mode: 'all' },
    grace,
    allowSelfUnlock: body?.allowSelfUnlock === true,
  };
}

/**
 * Admin JSON actions (seeds 000–004): reset MFA, lock, unlock, reset
 * cooldowns (incl. the 1-hour SMS setup cooldown), save the policy. Each
 * checks its privilege; mfa-kit records the audit event with the actor.
 */
export function createAdminRoutes(ctx: AppContext): Router {
  const router = Router();
  const action = (
    path: string,
    privilege: Privilege,
    run: (admin: AppUser, target: AppUser, req: Request) => Promise<string>,
  ) =>
    router.post(`/api/admin/users/:id/${path}`, requirePrivilege(ctx, privilege), async (req, res) => {
      const target = targetOf(req, res, ctx);
      if (target === null) return;
      const message = await run(userOf(res), target, req);
      res.json({ message });
    });

  // An admin can't reset their own MFA here (issue 6): refuse before the generic action runs.
  router.post('/api/admin/users/:id/reset', (req, res, next) => {
    if (req.params.id === (req.user as { id?: string } | undefined)?.id)
      return fail(res, 'FORBIDDEN', { message: "You can't reset your own MFA here. Ask another admin." });
    next();
  });
  action('reset', 'mfa:reset', async (admin, target, req) => {
    const reason = field(req, 'reason') || undefined;
    await ctx.mfa.admin.reset({ kind: 'admin', id: admin.id }, toMfaUser(target), { reason });
    return `MFA reset for ${target.username}. Their sessions were ended; they set up MFA again at their next sign-in.`;
  });
  action('lock', 'mfa:lock', async (admin, target, req) => {
    await ctx.mfa.admin.lock({ kind: 'admin', id: admin.id }, toMfaUser(target), {
      reason: field(req, 'reason') || undefined,
    });
    return `${target.username} is locked.`;
  });
  action('unlock', 'mfa:lock', async (admin, target, req) => {
    await ctx.mfa.admin.unlock({ kind: 'admin', id: admin.id }, toMfaUser(target), {
      reason: field(req, 'reason') || undefined,
    });
    return `${target.username} is unlocked and their failure counters are cleared.`;
  });
  action('cooldowns', 'mfa:lock', async (admin, target, req) => {
    const which = field(req, 'which');
    const chosen = which === 'verification' || which === 'sms-setup' ? which : 'all';
    await ctx.mfa.admin.resetCooldowns({ kind: 'admin', id: admin.id }, toMfaUser(target), { which: chosen });
    return `Cooldowns (${chosen}) cleared for ${target.username}.`;
  });

  router.post('/api/admin/policy', requirePrivilege(ctx, 'mfa:policy'), async (req, res) => {
    await ctx.mfa.admin.setPolicy(actorOf(res), policyFrom(req), {
      reason: field(req, 'reason') || undefined,
    });
    res.json({ message: 'Policy saved. It applies at each user’s next request or sign-in.' });
  });

  return router;
}
