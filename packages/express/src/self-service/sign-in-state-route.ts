import type { Router } from 'express';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { guard } from './access.js';
import { getActor } from './actor.js';

/** `GET /sign-in`: what the pending sign-in needs (challenge factors, masked phone, or forced enrolment) and when it expires. */
export function registerSignInStateRoute(router: Router, kit: ResolvedMfaExpressOptions): void {
  router.get('/sign-in', guard(kit, 'pending'), (req, res) => {
    const pending = getActor(req).pending!;
    res.json({
      stage: pending.stage,
      factors: pending.factors,
      maskedPhone: pending.maskedPhone,
      reason: pending.reason,
      expiresAt: pending.expiresAt,
    });
  });
}
