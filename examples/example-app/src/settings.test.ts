import { createMemoryBackend } from '@mfa-kit/core';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { createExampleApp, generateKey } from './app.js';
import { settingsFromEnv } from './settings.js';

const ORIGIN = 'http://example.test';

describe('timings from the environment', () => {
  it('reads each variable in milliseconds and leaves unset ones to mfa-kit', () => {
    expect(
      settingsFromEnv({
        MFA_PENDING_TTL_MS: '30000',
        MFA_FRESH_FACTOR_MS: '60000',
        MFA_COOLDOWN_MS: '20000',
        MFA_SMS_RESEND_COOLDOWN_MS: '5000',
        MFA_SMS_SETUP_COOLDOWN_MS: ' 90000 ',
      }),
    ).toEqual({
      pendingTtlMs: 30_000,
      freshFactorMs: 60_000,
      cooldownMs: 20_000,
      smsResendCooldownMs: 5_000,
      smsSetupCooldownMs: 90_000,
    });
    expect(settingsFromEnv({ MFA_COOLDOWN_MS: '' })).toEqual({});
  });

  it.each(['0', '-5', '1e3', '10s', '2.5', '99999999999999999999'])(
    'stops at start on %j, naming the variable',
    (value) => {
      expect(() => settingsFromEnv({ MFA_PENDING_TTL_MS: value })).toThrow(/MFA_PENDING_TTL_MS/);
    },
  );

  it('the pending sign-in expiry and the cooldown reach mfa-kit', async () => {
    let now = Date.UTC(2026, 0, 1, 9);
    const { app } = createExampleApp({
      encryptionKey: generateKey(),
      hashKey: generateKey(),
      sessionSecret: 'test-secret',
      allowedOrigins: [ORIGIN],
      log: () => {},
      clock: { now: () => now },
      settings: settingsFromEnv({ MFA_PENDING_TTL_MS: '30000', MFA_COOLDOWN_MS: '20000' }),
    });
    const login = await request(app)
      .post('/api/login')
      .set('Origin', ORIGIN)
      .send({ username: 'alice', password: 'correct-horse' })
      .expect(200);
    expect(login.body).toMatchObject({ status: 'enrol', expiresAt: now + 30_000 });
    for (let i = 0; i < 5; i++)
      await request(app).post('/api/login').set('Origin', ORIGIN).send({ username: 'bob', password: 'no' });
    const cooling = await request(app)
      .post('/api/login')
      .set('Origin', ORIGIN)
      .send({ username: 'bob', password: 'correct-horse' });
    expect(cooling.body.error).toMatchObject({ code: 'COOLDOWN', retryAfter: 20 });
    now += 20_000;
    const after = await request(app)
      .post('/api/login')
      .set('Origin', ORIGIN)
      .send({ username: 'bob', password: 'correct-horse' });
    expect(after.body.status).toBe('signed-in');
  });
});

describe('development mode', () => {
  function build(development: boolean, redisConfigured = false) {
    const lines: string[] = [];
    const clock = { time: Date.UTC(2026, 0, 1, 9), now: () => clock.time };
    const backend = createMemoryBackend();
    const built = createExampleApp({
      backend,
      clock,
      encryptionKey: generateKey(),
      hashKey: generateKey(),
      sessionSecret: 'test-secret',
      allowedOrigins: [ORIGIN],
      log: (line) => lines.push(line),
      development,
      redisConfigured,
    });
    return { ...built, lines, clock, backend };
  }

  it('with NODE_ENV=production there is no dev inbox, and the terminal shows no code, number or unlock link', async () => {
    const { app, lines, clock, backend } = build(false);
    await request(app).get('/dev/inbox').expect(404);
    const agent = request.agent(app);
    await agent.post('/api/login').set('Origin', ORIGIN).send({ username: 'bob', password: 'correct-horse' });
    const sent = await agent.post('/api/mfa/sms/enrol').set('Origin', ORIGIN).send({ phone: '+14155550142' });
    expect(sent.body.sent).toBe(true);
    // Locked by failed second-factor attempts (wrong passwords only cool down, issue 10), then an unlock e-mail.
    await backend.store.lock('u6', { now: clock.now(), reason: 'failures', lockId: 'lock-1', until: null });
    expect(
      (
        await request(app)
          .post('/api/login')
          .set('Origin', ORIGIN)
          .send({ username: 'frank', password: 'correct-horse' })
      ).body.error.code,
    ).toBe('ACCOUNT_LOCKED');
    await request(app)
      .post('/api/account/unlock/request')
      .set('Origin', ORIGIN)
      .send({ identifier: 'frank' });
    // The unlock e-mail goes out after the uniform 202.
    await vi.waitFor(() => expect(lines.join('\n')).toContain('[email to frank@acme.test] unlock link'), {
      timeout: 10_000,
    });
    const output = lines.join('\n');
    expect(output).toContain('[sms to');
    expect(output).toContain('[email to frank@acme.test] unlock link: (not shown outside development)');
    expect(output).not.toContain('4155550142');
    expect(output).not.toMatch(/\b\d{6}\b/);
    expect(output).not.toContain('token=');
  });

  it('in development the inbox is served, and warns when sessions and MFA data are in Redis', async () => {
    expect((await request(build(true).app).get('/dev/inbox').expect(200)).text).not.toContain(
      'inbox-redis-warning',
    );
    const warned = await request(build(true, true).app).get('/dev/inbox').expect(200);
    expect(warned.text).toContain('id="inbox-redis-warning"');
  });
});
