import type { Router } from 'express';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { guard } from './access.js';
import { getActor } from './actor.js';

/**
 * `GET /status`: factors enrolled, recovery codes remaining, whether MFA is
 * required and why (security settings screen; seed 000 "Enable MFA in
 * Security Settings"), plus what this session did.
 */
export function registerStatusRoute(router: Router, kit: ResolvedMfaExpressOptions): void {
  router.get('/status', guard(kit, 'signed-in'), async (req, res) => {
    const { user } = getActor(req);
    const status = await kit.mfa.status(user);
    const state = req.session.mfa;
    res.json({
      enrolled: status.enrolled,
      totp: status.totp,
      sms: status.sms,
      recoveryCodesRemaining: status.recoveryCodesRemaining,
      requirement: status.requirement,
      locked: status.limiter.locked,
      session: {
        mfaCompletedAt: state?.completedAt ?? null,
        factor: state?.factor ?? null,
        /** When this session last verified a factor (fresh proof for changing factors, step-up). */
        verifiedAt: state?.verifiedAt ?? null,
        offerEnrolment: !status.enrolled && status.requirement.available && !status.requirement.required,
      },
    });
  });
}
