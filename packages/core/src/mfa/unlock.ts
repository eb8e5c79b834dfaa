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
  if (!status.locked || NOT_SELF_UNLOCKABLE.has(reason)) return;
  const expiresAt = now + mfa.options.unlock.tokenTtlMs;
  const nonce = Buffer.from(mfa.options.random.bytes(16)).toString('base64url');
  const token = signUnlockToken(mfa.hasher, {
    u: user.id,
    o: user.orgId ?? null,
    l: reason,
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
 * once the per-IP limit allowed the request. `redeem` accepts
 * a token once: signed (HMAC, constant-time), unexpired, and single use via an
 * atomic `counters.consume` on its nonce.
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
      const once = await mfa.backend.counters.consume(
        `unlock-token:${payload.n}`,
        { limit: 1, windowMs: Math.max(1, payload.e - now) },
        now,
      );
      if (!once.allowed) return invalid;
      const status = await mfa.backend.store.getLimiterStatus(payload.u, now);
      if (status.locked && (status.lockReason ?? '') !== payload.l) return invalid;
      await mfa.backend.store.unlock(payload.u);
      await mfa.events.emit(
        'SELF_UNLOCKED',
        {},
        { userId: payload.u, orgId: payload.o, ctx, actor: { kind: 'user', id: payload.u } },
      );
      return { ok: true, userId: payload.u };
    },
  };
}
