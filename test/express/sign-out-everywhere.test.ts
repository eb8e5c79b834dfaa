/**
 * "Sign out everywhere", "sign out other devices" and the password-change
 * call: sessions on other devices end at their next request through the
 * session epoch, wherever they are stored.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, login, post } from './test-app.js';

let t: TestApp;
beforeAll(() => {
  t = createTestApp();
  t.app.post('/test/password-changed', async (req, res, next) => {
    try {
      await t.kit.endOtherSessions(req, { reason: 'password-changed' });
      res.json({ ok: true });
    } catch (error) {
      next(error);
    }
  });
});
afterAll(async () => {
  await t.close();
});

async function twoDevices(userId: string) {
  const laptop = request.agent(t.app);
  const phone = request.agent(t.app);
  for (const agent of [laptop, phone]) {
    expect((await login(t, agent, userId)).body.status).toBe('signed-in');
    expect((await agent.get('/mfa/status')).status).toBe(200);
  }
  return { laptop, phone };
}

describe('ending sessions on other devices', () => {
  it('POST /sign-out-others keeps this session (new id) and ends the others', async () => {
    const { laptop, phone } = await twoDevices('dave');
    const answer = await post(laptop, '/mfa/sign-out-others');
    expect(answer.status).toBe(200);
    expect(answer.headers['set-cookie']?.[0]).toMatch(/^connect\.sid=/);
    expect((await laptop.get('/mfa/status')).status).toBe(200);
    expect((await phone.get('/mfa/status')).status).toBe(401);
    expect(t.events.filter((e) => e.type === 'SESSIONS_REVOKED' && e.userId === 'dave')).toHaveLength(1);
  });

  it('POST /sign-out ends this session only', async () => {
    const { laptop, phone } = await twoDevices('carol');
    expect((await post(laptop, '/mfa/sign-out')).status).toBe(200);
    expect((await laptop.get('/mfa/status')).status).toBe(401);
    expect((await phone.get('/mfa/status')).status).toBe(200);
  });

  it('POST /sign-out-everywhere ends every session, this one included', async () => {
    const { laptop, phone } = await twoDevices('carol');
    expect((await post(laptop, '/mfa/sign-out-everywhere')).status).toBe(200);
    expect((await laptop.get('/mfa/status')).status).toBe(401);
    expect((await phone.get('/mfa/status')).status).toBe(401);
  });

  it('endOtherSessions after a password change', async () => {
    const { laptop, phone } = await twoDevices('dave');
    expect((await post(laptop, '/test/password-changed')).status).toBe(200);
    expect((await laptop.get('/mfa/status')).status).toBe(200);
    expect((await phone.get('/mfa/status')).status).toBe(401);
    expect(t.events.filter((e) => e.type === 'SESSIONS_REVOKED').at(-1)?.details).toEqual({
      reason: 'password-changed',
    });
  });
});
