import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, type TestApp, createTestApp, enrolTotp, login, post, totp } from './test-app.js';

let t: TestApp;
beforeAll(() => {
  t = createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('CSRF: state-changing routes check the origin', () => {
  it('refuses a cross-site POST (wrong Origin, wrong Referer, or neither) and changes nothing', async () => {
    const agent = request.agent(t.app);
    await login(t, agent, 'alice');
    const attempts = [
      agent.post('/mfa/totp/enrol').set('Origin', 'https://evil.example'),
      agent.post('/mfa/totp/enrol').set('Referer', 'https://evil.example/page'),
      agent.post('/mfa/totp/enrol').set('Origin', 'null'),
      agent.post('/mfa/totp/enrol').set('Origin', 'http://app.test.evil.example'),
      agent.post('/mfa/totp/enrol'),
      agent.post('/mfa/decline').set('Origin', 'https://evil.example'),
    ];
    for (const attempt of attempts) {
      const response = await attempt;
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('FORBIDDEN');
    }
    expect(t.events.some((event) => event.type === 'ENROLMENT_DECLINED')).toBe(false);
    // Same-origin by Referer alone is accepted; GET needs no origin.
    expect((await agent.post('/mfa/totp/enrol').set('Referer', `${ORIGIN}/settings`)).status).toBe(200);
    expect((await agent.get('/mfa/status')).status).toBe(200);
  });
});

describe('input validation at the boundary', () => {
  it('answers 400 VALIDATION with field details, never a 500', async () => {
    const agent = request.agent(t.app);
    const { secret } = await enrolTotp(t, agent, 'dave');
    // Fresh proof first, so the factor-changing routes reach their input validation.
    expect(
      (await post(agent, '/mfa/verify', { factor: 'totp', code: totp(secret, t.clock.now()) })).status,
    ).toBe(200);
    const cases: [string, unknown][] = [
      ['/mfa/verify', { factor: 'email', code: '123456' }],
      ['/mfa/verify', { factor: 'totp' }],
      ['/mfa/verify', { factor: 'totp', code: 'x'.repeat(65) }],
      ['/mfa/disable', ['totp', '123456']],
      ['/mfa/sms/enrol', { phone: 14155550123 }],
      ['/mfa/recovery-codes', { extra: true }],
    ];
    for (const [path, body] of cases) {
      const response = await post(agent, path, body as object);
      expect(response.status, path).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION');
      expect(Object.keys(response.body.error.fields ?? {}).length).toBeGreaterThan(0);
    }
  });

  it('answers malformed JSON with 400 and an oversized body with 413, both in the uniform shape', async () => {
    const agent = request.agent(t.app);
    await login(t, agent, 'alice');
    const malformed = await agent
      .post('/mfa/verify')
      .set('Origin', ORIGIN)
      .set('Content-Type', 'application/json')
      .send('{"factor": "totp",');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION');
    const huge = await post(agent, '/mfa/verify', { factor: 'totp', code: 'x'.repeat(20_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toMatchObject({ code: 'VALIDATION' });
    expect(huge.body.error.message).toMatch(/too large/);
  });

  it('never answers 5xx to arbitrary JSON on any self-service route (property)', async () => {
    const agent = request.agent(t.app);
    await login(t, agent, 'carol');
    const paths = ['/mfa/verify', '/mfa/disable', '/mfa/sms/enrol', '/mfa/sms/confirm', '/mfa/totp/confirm'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 3 }), async (path, body) => {
        const response = await agent
          .post(path)
          .set('Origin', ORIGIN)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body));
        expect(response.status).toBeLessThan(500);
        expect(typeof response.body.error?.code === 'string' || response.status < 300).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
