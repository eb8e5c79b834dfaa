import {
  type Mfa,
  MfaError,
  createMemoryBackend,
  createMfa,
  decodeBase32,
  generateTOTP,
} from '@mfa-kit/core';
import express from 'express';
import passport from 'passport';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createMfaExpress } from '../create-mfa-express.js';

const ORIGIN = 'http://unit.test';

/** An app whose store fails after the password step: every MFA decision must fail closed. */
function createApp(failing: { on: boolean }) {
  const real = createMfa({
    backend: createMemoryBackend(),
    encryption: { keys: { k: Buffer.alloc(32, 4) }, currentKeyId: 'k' },
    hashKey: 'router-unit-test-hash-key-of-32-bytes-or-more',
    issuer: 'Unit',
  });
  const down = () => Promise.reject(new MfaError('STORE_UNAVAILABLE', { cause: new Error('ECONNREFUSED') }));
  const mfa: Mfa = {
    ...real,
    verify: (...args) => (failing.on ? down() : real.verify(...args)),
    admin: { ...real.admin, getPolicy: () => (failing.on ? down() : real.admin.getPolicy()) },
  };
  const auth = new passport.Passport();
  auth.serializeUser((user, done) => done(null, (user as { id: string }).id));
  auth.deserializeUser((id: string, done) => done(null, { id }));
  const kit = createMfaExpress({ mfa, passport: auth, loadUser: (id) => ({ id }), allowedOrigins: [ORIGIN] });
  const app = express();
  app.use(kit.session({ secret: 'unit', resave: false, saveUninitialized: false }));
  app.use(auth.initialize());
  app.use(auth.session());
  app.use('/mfa', kit.selfServiceRouter());
  app.post(
    '/login/:id',
    (req, _res, next) => {
      req.user = { id: String(req.params.id) };
      next();
    },
    kit.startSignIn(),
  );
  app.get('/private', kit.requireMfa(), (_req, res) => {
    res.json({ ok: true });
  });
  app.use(kit.errorHandler());
  return { app, real };
}

describe('self-service router when the store is down', () => {
  it('fails closed with 503 STORE_UNAVAILABLE: no login, no access, no 500', async () => {
    const failing = { on: false };
    const { app, real } = createApp(failing);
    const user = { id: 'u1' };
    const enrolment = await real.totp.beginEnrolment(user);
    const now = Date.now();
    const code = generateTOTP(decodeBase32(enrolment.secret), {
      timeInMs: now,
      periodInSeconds: 30,
      digits: 6,
      algorithm: 'SHA1',
    });
    expect((await real.totp.confirmEnrolment(user, enrolment.sealedSecret, code, {})).ok).toBe(true);

    const agent = request.agent(app);
    expect((await agent.post('/login/u1')).body.status).toBe('challenge');
    failing.on = true;
    const verify = await agent.post('/mfa/sign-in/totp').set('Origin', ORIGIN).send({ code: '123456' });
    expect(verify.status).toBe(503);
    expect(verify.body.error.code).toBe('STORE_UNAVAILABLE');
    // The session load reads the policy beside the epoch (requireMfa's factor check): down → 503, still refused.
    const pendingGet = await agent.get('/private');
    expect(pendingGet.status).toBe(503);
    expect(pendingGet.body.error.code).toBe('STORE_UNAVAILABLE');

    const optional = request.agent(app);
    failing.on = false;
    expect((await optional.post('/login/u2')).body.status).toBe('signed-in');
    failing.on = true;
    const guarded = await optional.get('/private');
    expect(guarded.status).toBe(503);
    expect(guarded.body.error.code).toBe('STORE_UNAVAILABLE');
  });
});

describe('self-service router when a store adapter has a bug', () => {
  it('answers 500 INTERNAL and logs the TypeError instead of disguising it as 503 STORE_UNAVAILABLE', async () => {
    const backend = createMemoryBackend();
    const mfa = createMfa({
      backend,
      encryption: { keys: { k: Buffer.alloc(32, 4) }, currentKeyId: 'k' },
      hashKey: 'router-unit-test-hash-key-of-32-bytes-or-more',
      issuer: 'Unit',
    });
    const user = { id: 'u1' };
    const enrolment = await mfa.totp.beginEnrolment(user);
    const code = generateTOTP(decodeBase32(enrolment.secret), {
      timeInMs: Date.now(),
      periodInSeconds: 30,
      digits: 6,
      algorithm: 'SHA1',
    });
    expect((await mfa.totp.confirmEnrolment(user, enrolment.sealedSecret, code, {})).ok).toBe(true);
    backend.store.attempt = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'failures')");
    };
    const logged: unknown[] = [];
    const auth = new passport.Passport();
    auth.serializeUser((u, done) => done(null, (u as { id: string }).id));
    auth.deserializeUser((id: string, done) => done(null, { id }));
    const kit = createMfaExpress({
      mfa,
      passport: auth,
      loadUser: (id) => ({ id }),
      allowedOrigins: [ORIGIN],
    });
    const app = express();
    app.use(kit.session({ secret: 'unit', resave: false, saveUninitialized: false }));
    app.use(auth.initialize());
    app.use(auth.session());
    app.use('/mfa', kit.selfServiceRouter({ onUnexpectedError: (error) => logged.push(error) }));
    app.post(
      '/login/:id',
      (req, _res, next) => {
        req.user = { id: String(req.params.id) };
        next();
      },
      kit.startSignIn(),
    );
    const agent = request.agent(app);
    expect((await agent.post('/login/u1')).body.status).toBe('challenge');
    const verify = await agent.post('/mfa/sign-in/totp').set('Origin', ORIGIN).send({ code: '123456' });
    expect(verify.status).toBe(500);
    expect(verify.body.error.code).toBe('INTERNAL');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toBeInstanceOf(TypeError);
  });
});
