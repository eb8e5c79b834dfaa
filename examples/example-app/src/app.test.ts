import { decodeBase32, generateTOTP } from '@mfa-kit/core';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createExampleApp, generateKey } from './app.js';

const ORIGIN = 'http://example.test';

function build() {
  return createExampleApp({
    encryptionKey: generateKey(),
    hashKey: generateKey(),
    sessionSecret: 'test-secret',
    allowedOrigins: [ORIGIN],
    log: () => {},
  });
}

function totp(secret: string, timeInMs: number): string {
  return generateTOTP(decodeBase32(secret), { digits: 6, periodInSeconds: 30, algorithm: 'SHA1', timeInMs });
}

describe('example app (memory defaults)', () => {
  it('renders the home page with the seeded users', async () => {
    const { app } = build();
    const res = await request(app).get('/').expect(200);
    for (const name of ['alice', 'bob', 'carol', 'dave']) expect(res.text).toContain(`<td>${name}</td>`);
    expect(res.text).toContain('correct-horse');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('refuses a wrong password with the uniform error body', async () => {
    const { app } = build();
    const res = await request(app)
      .post('/api/login')
      .set('Origin', ORIGIN)
      .send({ username: 'bob', password: 'nope' })
      .expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    expect(typeof res.body.error.message).toBe('string');
  });

  it('sends an admin (MFA required by role, not enrolled) to forced enrolment, and nothing else opens', async () => {
    const { app } = build();
    const agent = request.agent(app);
    const res = await agent
      .post('/api/login')
      .set('Origin', ORIGIN)
      .send({ username: 'alice', password: 'correct-horse' })
      .expect(200);
    expect(res.body.status).toBe('enrol');
    for (const path of ['/security', '/admin/users', '/admin/logs', '/admin/policy'])
      expect((await agent.get(path)).headers.location).toMatch(/^\/(mfa\/enrol|login)$/);
    await agent.get('/api/mfa/status').expect(401);
    const page = await agent.get('/mfa/enrol').expect(200);
    expect(page.text).toContain('required for your role');
  });

  it('reaches the TOTP challenge after enrolment, and only a correct code logs in', async () => {
    const { app } = build();
    const agent = request.agent(app);
    await agent
      .post('/api/login')
      .set('Origin', ORIGIN)
      .send({ username: 'alice', password: 'correct-horse' });
    const started = await agent.post('/api/mfa/totp/enrol').set('Origin', ORIGIN).send({}).expect(200);
    const secret: string = started.body.secret;
    const confirmed = await agent
      .post('/api/mfa/totp/confirm')
      .set('Origin', ORIGIN)
      .send({ code: totp(secret, Date.now()) })
      .expect(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);

    const second = request.agent(app);
    const login = await second
      .post('/api/login')
      .set('Origin', ORIGIN)
      .send({ username: 'alice', password: 'correct-horse' })
      .expect(200);
    expect(login.body.status).toBe('challenge');
    await second.get('/security').expect(302).expect('location', '/mfa/challenge');
    const challenge = await second.get('/mfa/challenge').expect(200);
    expect(challenge.text).toContain('Authenticator app');
    await second.post('/api/mfa/sign-in/totp').set('Origin', ORIGIN).send({ code: '000000' }).expect(401);
    await second
      .post('/api/mfa/sign-in/totp')
      .set('Origin', ORIGIN)
      .send({ code: totp(secret, Date.now() + 30_000) })
      .expect(200);
    await second.get('/security').expect(200);
  });

  it('refuses state-changing requests from another origin or without one (CSRF)', async () => {
    const { app } = build();
    const creds = { username: 'bob', password: 'correct-horse' };
    await request(app).post('/api/login').set('Origin', 'https://evil.example').send(creds).expect(403);
    await request(app).post('/api/login').send(creds).expect(403);
    await request(app).post('/api/login').set('Origin', ORIGIN).send(creds).expect(200);
  });

  it('escapes user-controlled text in pages', async () => {
    const { app } = build();
    const res = await request(app)
      .get('/unlock/redeem?token=%22%3E%3Cscript%3Ealert(1)%3C/script%3E')
      .expect(200);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&quot;&gt;&lt;script&gt;');
  });
});

describe('example app: organisations', () => {
  it('lets the admin of an organisation not rolled out in without MFA, scoped to their organisation (seed 000)', async () => {
    const { app } = build();
    const dave = request.agent(app);
    const login = await dave
      .post('/api/login')
      .set('Origin', ORIGIN)
      .send({ username: 'dave', password: 'correct-horse' })
      .expect(200);
    expect(login.body.status).toBe('signed-in');
    const page = await dave.get('/admin/users').expect(200);
    expect(page.text).toContain('data-user="carol"');
    expect(page.text).not.toContain('data-user="bob"');
    // Our own markup is not double-escaped.
    expect(page.text).not.toContain('&lt;br&gt;');
    expect(page.text).toContain('Not locked<br>');
    const api = await dave.get('/api/admin/mfa/users').expect(200);
    expect(api.body.users.map((u: { id: string }) => u.id).sort()).toEqual(['u3', 'u4']);
  });
});
