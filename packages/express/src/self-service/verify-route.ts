import type { Router } from 'express';
import { validate } from '../http/validate.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { guard } from './access.js';
import { getActor } from './actor.js';
import { proveFactor } from './prove-factor.js';
import { proofBodySchema } from './schemas.js';

/** `POST /verify` `{ factor, code }`: step-up for a logged-in session (answers `stepUp()`'s 403). */
export function registerVerifyRoute(router: Router, kit: ResolvedMfaExpressOptions): void {
  router.post('/verify', guard(kit, 'signed-in'), async (req, res) => {
    const proof = validate(proofBodySchema, req.body);
    if (!(await proveFactor(kit, req, res, getActor(req), proof))) return;
    res.json({ verified: true, completedAt: req.session.mfa?.completedAt ?? null });
  });
}
