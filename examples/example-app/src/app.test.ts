import { decodeBase32, generateTOTP } from '@mfa-kit/core';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createExampleApp, generateKey } from './app.js';

function build() {
  return createExampleApp({
    encryptionKey: generateKey(),
    hashKey: generateKey(),
    sessionSecret: 'test-secret',
    log: () => {},
  });
}

describe('example app (memory defaults)', () => {
  it('renders the home page with the seeded users and escapes nothing it should not', async () => {
    const { app } = build();
    const res = await request(app).get('/').expect(200);
    expect(res.text).toContain('alice');
    expect(res.text).toContain('carol');
    expect(res.text).toContain('correct-horse');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('refuses a wrong password with the uniform error body', async () => {
    const { app } = build();
    const res = await request(app).post('/api/login').send({ username: 'bob', password: 'nope' }).expect(401);
    expect(res.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Wrong username or password.' } });
  });

  it('sends an admin (MFA required by role, not enrolled) to forced enrolment, and nothing else opens', async () => {
    const { app } = build();
    const agent = request.agent(app);
    const res = await agent
      .post('/api/login')
      .send({ username: 'alice', password: 'correct-horse' })
      .expect(200);
    expect(res.body).toEqual({ redirect: '/mfa/enrol' });
    await agent.get('/security').expect(302).expect('location', '/mfa/enrol');
    await agent.get('/admin/users').expect(302).expect('location', '/mfa/enrol');
    const page = await agent.get('/mfa/enrol').expect(200);
    expect(page.text).toContain('required for your role');
    expect(page.text).toMatch(/id="totp-secret">[A-Z2-7]{32}</);
  });

  it('reaches the TOTP challenge after enrolment, and a correct code logs in', async () => {
    const { app } = build();
    const agent = request.agent(app);
    await agent.post('/api/login').send({ username: 'alice', password: 'correct-horse' });
    const page = await agent.get('/mfa/enrol');
    const secret = /id="totp-secret">([A-Z2-7]+)</.exec(page.text)?.[1] ?? '';
    const code = (offsetSteps: number) =>
      generateTOTP(decodeBase32(secret), {
        digits: 6,
        periodInSeconds: 30,
        algorithm: 'SHA1',
        timeInMs: Date.now() + offsetSteps * 30_000,
      });
    const confirmed = await agent
      .post('/api/enrol/totp/confirm')
      .send({ code: code(0) })
      .expect(200);
    expect(confirmed.body).toEqual({ redirect: '/mfa/recovery-codes' });
    const codes = await agent.get('/mfa/recovery-codes').expect(200);
    expect(codes.text.match(/<li>[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}<\/li>/g)).toHaveLength(10);
    // Shown once only.
    expect((await agent.get('/mfa/recovery-codes')).text).not.toMatch(/<li>[a-z0-9]{4}-/);

    const second = request.agent(app);
    const login = await second
      .post('/api/login')
      .send({ username: 'alice', password: 'correct-horse' })
      .expect(200);
    expect(login.body).toEqual({ redirect: '/mfa/challenge' });
    await second.get('/security').expect(302).expect('location', '/mfa/challenge');
    const challenge = await second.get('/mfa/challenge').expect(200);
    expect(challenge.text).toContain('Authenticator app');
    await second.post('/api/challenge/verify').send({ factor: 'totp', code: '000000' }).expect(401);
    await second
      .post('/api/challenge/verify')
      .send({ factor: 'totp', code: code(1) })
      .expect(200);
    await second.get('/security').expect(200);
  });

  it('refuses form posts and cross-origin JSON to the API (CSRF)', async () => {
    const { app } = build();
    await request(app)
      .post('/api/login')
      .type('form')
      .send({ username: 'bob', password: 'correct-horse' })
      .expect(400);
    await request(app)
      .post('/api/login')
      .set('Origin', 'https://evil.example')
      .send({ username: 'bob', password: 'correct-horse' })
      .expect(403);
  });
});
