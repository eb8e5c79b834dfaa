import express from 'express';
import session from 'express-session';
import passport from 'passport';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { completeSignIn } from './complete-sign-in.js';
import { indexSessions } from './index-sessions.js';
import { createMemorySessionIndex } from './memory-session-index.js';
import { createSessionRevoker } from './session-revoker.js';

/** A minimal app: express-session on the memory store, indexed, and a login that goes through completeSignIn. */
function createApp() {
  const index = createMemorySessionIndex();
  const store = indexSessions(new session.MemoryStore(), index);
  const auth = new passport.Passport();
  auth.serializeUser((user, done) => done(null, (user as { id: string }).id));
  auth.deserializeUser((id: string, done) => done(null, { id }));
  const app = express();
  app.use(session({ store, secret: 'unit', resave: false, saveUninitialized: false }));
  app.use(auth.initialize());
  app.use(auth.session());
  app.post('/login/:id', async (req, res) => {
    await completeSignIn(
      req,
      { id: req.params.id },
      {
        userId: req.params.id,
        completedAt: 1,
        factor: 'totp',
        verifiedAt: 1,
        passwordAt: 1,
        epoch: 0,
        via: 'mfa',
        offerEnrolment: false,
      },
    );
    res.json({ sid: req.sessionID });
  });
  app.get('/me', (req, res) => {
    res.status(req.isAuthenticated() ? 200 : 401).json({ user: req.user ?? null });
  });
  app.post('/touch', (req, res) => {
    (req.session as unknown as Record<string, unknown>).counter = Date.now();
    res.json({ sid: req.sessionID });
  });
  return { app, index, store, revoker: createSessionRevoker({ sessionStore: store, index }) };
}

describe('indexSessions + createSessionRevoker', () => {
  it('files each logged-in session under its user and revokes them all, and only them', async () => {
    const { app, index, revoker } = createApp();
    const a1 = request.agent(app);
    const a2 = request.agent(app);
    const b = request.agent(app);
    const sids = [(await a1.post('/login/alice')).body.sid, (await a2.post('/login/alice')).body.sid];
    await b.post('/login/bob');
    for (const agent of [a1, a2, b]) expect((await agent.get('/me')).status).toBe(200);

    await revoker.revokeAll('alice');
    expect((await a1.get('/me')).status).toBe(401);
    expect((await a2.get('/me')).status).toBe(401);
    expect((await b.get('/me')).status).toBe(200);
    expect(await index.takeAll('alice')).toEqual([]);
    expect(sids[0]).not.toBe(sids[1]);
  });

  it('re-files a session logged in again under its new (regenerated) id', async () => {
    const { app, revoker } = createApp();
    const agent = request.agent(app);
    const first = (await agent.post('/login/alice')).body.sid;
    const second = (await agent.post('/login/alice')).body.sid;
    expect(second).not.toBe(first);
    await agent.post('/touch');
    await revoker.revokeAll('alice');
    expect((await agent.get('/me')).status).toBe(401);
  });

  it('revoking a user with no sessions is a no-op', async () => {
    const { revoker } = createApp();
    await expect(revoker.revokeAll('nobody')).resolves.toBeUndefined();
  });
});
