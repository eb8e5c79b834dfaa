import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, enrolTotp, login, post, sessionKeys, totp } from './test-app.js';

let t: TestApp;
beforeEach(() => {
  t = createTestApp();
});
afterEach(async () => {
  await t.close();
});

async function signIn(secret: string) {
  const agent = request.agent(t.app);
  await login(t, agent, 'alice');
  const ok = await post(agent, '/mfa/sign-in/totp', { code: totp(secret, t.clock.now()) });
  expect(ok.status).toBe(200);
  t.clock.advance(30_000);
  return agent;
}

describe('session revocation (seed 001: "redirected to log in again")', () => {
  it('an admin reset ends every live session of the user, and only theirs', async () => {
    const { secret } = await enrolTotp(t, request.agent(t.app), 'alice');
    const laptop = await signIn(secret);
    const phone = await signIn(secret);
    const other = request.agent(t.app);
    await login(t, other, 'dave');
    for (const agent of [laptop, phone, other]) expect((await agent.get('/private')).status).toBe(200);
    const index = await t.redis.smembers(`${t.mfaPrefix}{u:alice}:sessions`);
    expect(index.length).toBeGreaterThanOrEqual(2);

    await t.mfa.admin.reset({ kind: 'admin', id: 'root' }, t.users.get('alice')!);

    expect((await laptop.get('/private')).status).toBe(401);
    expect((await phone.get('/private')).status).toBe(401);
    expect((await other.get('/private')).status).toBe(200);
    expect(await t.redis.exists(`${t.mfaPrefix}{u:alice}:sessions`)).toBe(0);
    expect(await sessionKeys(t)).toHaveLength(1);
  });

  it('a self-service disable on one device ends the session on the other', async () => {
    const { secret, recoveryCodes } = await enrolTotp(t, request.agent(t.app), 'alice');
    const laptop = await signIn(secret);
    const phone = await signIn(secret);
    const disabled = await post(laptop, '/mfa/disable', { factor: 'recovery', code: recoveryCodes[0] });
    expect(disabled.status).toBe(200);
    expect((await phone.get('/private')).status).toBe(401);
    expect((await laptop.get('/private')).status).toBe(401);
  });
});
