import type { Request, Router } from 'express';
import { sendOutcome } from '../http/outcome-error.js';
import { requestContext } from '../http/request-context.js';
import { sendError } from '../http/send-error.js';
import { validate } from '../http/validate.js';
import type { ResolvedMfaExpressOptions } from '../options.js';
import { rotateSession } from '../session/rotate-session.js';
import { guard } from './access.js';
import { type Actor, getActor } from './actor.js';
import { finishWithFactor } from './finish-factor.js';
import { refuseWithoutPasskeyProof } from './fresh-proof.js';
import {
  credentialIdSchema,
  emptyBodySchema,
  webauthnRegisterBodySchema,
  webauthnRenameBodySchema,
} from './schemas.js';

/**
 * A user whose policy requires phishing-resistant MFA and who already has a
 * passkey changes their passkeys only from a session whose last proof was one
 * (a passkey sign-in or step-up; a later code step-up undoes it): otherwise a
 * phishing site that relayed a TOTP code could register its own passkey. (A user with none must bootstrap with the factor they have.)
 */
async function mayChangeCredentials(kit: ResolvedMfaExpressOptions, req: Request, actor: Actor) {
  if (actor.pending !== null) return true;
  const status = await kit.mfa.status(actor.user);
  const strong = status.requirement.required && status.requirement.phishingResistant === true;
  return !strong || status.webauthn.length === 0 || req.session.mfa?.factor === 'webauthn';
}

/**
 * WebAuthn (passkeys and security keys):
 * - `POST /webauthn/register/options` and `POST /webauthn/register/verify`
 *   `{ response, name? }`: registration for a logged-in session or a pending
 *   forced enrolment, both with fresh proof (like TOTP enrolment). The
 *   challenge is stored server-side, bound to this session, single-use and
 *   short-lived. A forced enrolment is signed in by it; a signed-in session
 *   records that it now has a WebAuthn factor.
 * - `GET /webauthn/credentials`: the user's credentials (no keys, no counters).
 * - `PATCH /webauthn/credentials/:id` `{ name }`: renames one (404 if unknown).
 * - `DELETE /webauthn/credentials/:id`: removes one, with fresh proof; the
 *   user's epoch moves (every other session ends) and this session moves to
 *   the new epoch under a new id.
 * - `POST /sign-in/webauthn/options`: the options for the pending sign-in's
 *   assertion (then `POST /sign-in/webauthn`, see the challenge routes).
 */
export function registerWebAuthnRoutes(router: Router, kit: ResolvedMfaExpressOptions): void {
  router.post('/webauthn/register/options', guard(kit, 'enrolment', { fresh: true }), async (req, res) => {
    validate(emptyBodySchema, req.body);
    const actor = getActor(req);
    if (!(await mayChangeCredentials(kit, req, actor))) return refuseWithoutPasskeyProof(res);
    const options = await kit.mfa.webauthn.registrationOptions(actor.user, { binding: req.sessionID });
    res.json({ options });
  });

  router.post('/webauthn/register/verify', guard(kit, 'enrolment', { fresh: true }), async (req, res) => {
    const { response, name } = validate(webauthnRegisterBodySchema, req.body);
    const actor = getActor(req);
    if (!(await mayChangeCredentials(kit, req, actor))) return refuseWithoutPasskeyProof(res);
    const result = await kit.mfa.webauthn.verifyRegistration(
      actor.user,
      { response, binding: req.sessionID, ...(name === undefined ? {} : { name }) },
      requestContext(req),
    );
    if (!result.ok) {
      if (result.code === 'INVALID_CODE')
        return sendError(res, 'INVALID_CODE', {
          message:
            result.reason === 'challenge'
              ? 'This passkey set-up expired or was already used. Start again.'
              : 'The passkey or security key could not be verified. Try again.',
        });
      if (result.code === 'VALIDATION')
        return sendError(res, 'VALIDATION', {
          message: 'You have the maximum number of passkeys; remove one first.',
        });
      return sendError(res, 'ALREADY_ENROLLED', {
        message: 'This passkey or security key is already registered.',
      });
    }
    await finishWithFactor(kit, req, actor, 'webauthn');
    res.json({ enrolled: true, factor: 'webauthn', credential: result.credential, status: 'signed-in' });
  });

  router.get('/webauthn/credentials', guard(kit, 'signed-in'), async (req, res) => {
    const { user } = getActor(req);
    res.json({ credentials: await kit.mfa.webauthn.list(user) });
  });

  router.patch('/webauthn/credentials/:id', guard(kit, 'signed-in'), async (req, res) => {
    const id = validate(credentialIdSchema, req.params['id']);
    const { name } = validate(webauthnRenameBodySchema, req.body);
    const { user } = getActor(req);
    if (!(await kit.mfa.webauthn.rename(user, id, name)))
      return sendError(res, 'NOT_FOUND', { message: 'No such passkey.' });
    res.json({ renamed: true, credentials: await kit.mfa.webauthn.list(user) });
  });

  router.delete('/webauthn/credentials/:id', guard(kit, 'signed-in', { fresh: true }), async (req, res) => {
    const id = validate(credentialIdSchema, req.params['id']);
    const actor = getActor(req);
    if (!(await mayChangeCredentials(kit, req, actor))) return refuseWithoutPasskeyProof(res);
    const removed = await kit.mfa.webauthn.remove(
      { kind: 'user', id: actor.user.id },
      actor.user,
      id,
      requestContext(req),
    );
    if (removed === null) return sendError(res, 'NOT_FOUND', { message: 'No such passkey.' });
    // Every session of the user ended with the epoch; this one goes on under the new epoch and a new id.
    const state = req.session.mfa;
    if (state !== undefined) state.epoch = removed.epoch;
    await rotateSession(req, actor.user.id);
    res.json({ removed: true, credentials: await kit.mfa.webauthn.list(actor.user) });
  });

  router.post('/sign-in/webauthn/options', guard(kit, 'challenge'), async (req, res) => {
    validate(emptyBodySchema, req.body);
    const { user, pending } = getActor(req);
    if (pending !== null && !pending.factors.includes('webauthn')) return sendError(res, 'NOT_ENROLLED');
    const result = await kit.mfa.webauthn.signInOptions(user, { binding: req.sessionID });
    if (!result.ok) return sendOutcome(res, result);
    res.json({ options: result.options });
  });
}
