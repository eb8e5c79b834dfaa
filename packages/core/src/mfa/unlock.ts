import type { Mfa } from '../api.js';
import { HOUR_MS } from '../defaults.js';
import type { MfaUser, RequestContext } from '../types.js';
import type { MfaContext } from './context.js';
import { loadPolicy } from './requirement.js';
import { openUnlockToken, signUnlockToken } from './unlock-token.js';

/** Locks a user may not lift by email: an admin decided, or the user disowned their only factor. */
const NOT_SELF_UNLOCKABLE = new Set(['admin', 'not-my-number']);

/** Counter key of the per-IP unlock budget; requests without an IP share one budget rather than escape it. */
function unlockIpKey(ctx: RequestContext): string {
  return `unlock-ip:${ctx.ip || 'unknown'}`;
}

async function requestUnlock(
  mfa: MfaContext,
  userOrLookup: MfaUser | null | (() => Promise<MfaUser | null>),
  ctx: RequestContext,
): Promise<void> {
  const delivery = mfa.options.unlock.delivery;
  if (delivery === undefined) return;
  const now = mfa.now();
  const policy = await loadPolicy(mfa);
  if (!policy.allowSelfUnlock) return;
  // Per IP first, before the app's user lookup (issue 6): an identifier spray
  // from one address costs at most `requestsPerIpPerHour` lookups an hour.
  // Over the limit the request is dropped as silently as one for an unknown
  // account, so this check cannot tell an attacker anything about accounts.
  const perIp = await mfa.backend.counters.consume(
    unlockIpKey(ctx),
    { limit: mfa.options.unlock.requestsPerIpPerHour, windowMs: HOUR_MS },
    now,
  );
  if (!perIp.allowed) return;
  const user = typeof userOrLookup === 'function' ? await userOrLookup() : userOrLookup;
  if (user === null || typeof user !== 'object' || typeof user.id !== 'string' || user.id === '') {
    return;
  }
  const limit = await mfa.backend.counters.consume(
    `unlock-request:${user.id}`,
    { limit: mfa.options.unlock.requestsPerHour, windowMs: HOUR_MS },
    now,
  );
  if (!limit.allowed) return;
  const status = await mfa.backend.store.getLimiterStatus(user.id, now);
  const reason = status.lockReason ?? '';
  if (!status.locked || status.lockId === null || NOT_SELF_UNLOCKABLE.has(reason)) return;
  const expiresAt = now + mfa.options.unlock.tokenTtlMs;
  const nonce = Buffer.from(mfa.options.random.bytes(16)).toString('base64url');
  // Bound to this lock: it can lift this lock only, never an admin lock placed later.
  const token = signUnlockToken(mfa.hasher, {
    u: user.id,
    o: user.orgId ?? null,
    l: status.lockId,
    e: expiresAt,
    n: nonce,
  });
  await delivery.deliver({ userId: user.id, token, expiresAt });
  await mfa.events.emit('UNLOCK_REQUESTED', {}, { user, ctx });
}

/**
 * Self-unlock by emailed link (seed 002), behind `policy.allowSelfUnlock`.
 * `request` always resolves to undefined and never throws, whether the user
 * exists, is locked, is rate limited (per IP, then per user), or the store or
 * mailer failed: its answer must not reveal anything (no account
 * enumeration). Given a lookup instead of a user, it calls the lookup only
 * once the per-IP limit allowed the request. A token is bound to the lock it
 * was issued for (its lock id). `redeem` accepts a token signed (HMAC,
 * constant-time) and unexpired (the token's own expiry, judged on the app's
 * clock like any signed claim), then lifts the lock in ONE atomic
 * compare-and-unlock (`store.unlock` with the lock id): only if that very
 * lock is still in force. A lock is lifted at most once, so a token works at
 * most once, and an admin lock placed meanwhile (a new lock id) stays.
 */
export function createUnlock(mfa: MfaContext): Mfa['unlock'] {
  return {
    async request(user, ctx) {
      try {
        await requestUnlock(mfa, user, ctx);
      } catch {
        // Deliberately silent: see above. Infrastructure failures surface on the sign-in path instead.
      }
    },
    async redeem(token, ctx) {
      const invalid = { ok: false, code: 'INVALID_TOKEN' } as const;
      const payload = openUnlockToken(mfa.hasher, token);
      const now = mfa.now();
      if (payload === null || payload.e <= now) return invalid;
      const policy = await loadPolicy(mfa);
      if (!policy.allowSelfUnlock) return invalid;
      const unlocked = await mfa.backend.store.unlock(payload.u, { lockId: payload.l, now });
      if (!unlocked) return invalid;
      await mfa.events.emit(
        'SELF_UNLOCKED',
        {},
        { userId: payload.u, orgId: payload.o, ctx, actor: { kind: 'user', id: payload.u } },
      );
      return { ok: true, userId: payload.u };
    },
  };
}
