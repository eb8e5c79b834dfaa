import { readFileSync } from 'node:fs';
import { decodeBase32, generateTOTP } from '@mfa-kit/core';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp as createAppBefore } from './app-before.js';
import { type User, createApp } from './app.js';

const ORIGIN = 'http://localhost:3000';

function users(): Map<string, User> {
  return new Map([['alice', { id: 'alice', password: 'alice-pw', roles: ['user'] }]]);
}

function setup() {
  let time = Date.UTC(2026, 3, 1, 8, 0, 5);
  const clock = { now: () => time };
  const app = createApp(users(), {
    sessionSecret: 'minimal-test-secret',
    origin: ORIGIN,
    mfa: {
      encryption: { keys: { k1: Buffer.alloc(32, 5) }, currentKeyId: 'k1' },
      hashKey: 'minimal-app-test-hash-key-of-32-bytes-at-least',
      clock,
    },
  });
  const codeAt = (secret: string, timeInMs: number) =>
    generateTOTP(decodeBase32(secret), { timeInMs, periodInSeconds: 30, digits: 6, algorithm: 'SHA1' });
  const code = (secret: string) => codeAt(secret, time);
  /** A code accepted in none of the steps around now. */
  const wrong = (secret: string) => {
    const valid = new Set([-30_000, 0, 30_000].map((d) => codeAt(secret, time + d)));
    return ['111111', '222222', '333333', '444444'].find((candidate) => !valid.has(candidate))!;
  };
  const nextStep = () => {
    time += 30_000;
  };
  return { app, code, wrong, nextStep };
}

/** Lines of `after` that are not in the longest common subsequence with `before`. */
function addedLines(before: string[], after: string[]): string[] {
  const lcs = Array.from({ length: before.length + 1 }, () => new Array<number>(after.length + 1).fill(0));
  for (let i = before.length - 1; i >= 0; i--)
    for (let j = after.length - 1; j >= 0; j--)
      lcs[i]![j] =
        before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (j < after.length) {
    if (i < before.length && before[i] === after[j]) {
      i++;
      j++;
    } else if (i < before.length && lcs[i + 1]![j]! >= lcs[i]![j + 1]!) i++;
    else added.push(after[j++]!);
  }
  return added;
}

describe('minimal app', () => {
  it('adds mfa-kit in at most 15 added lines', () => {
    const read = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8').split('\n');
    const added = addedLines(read('./app-before.ts'), read('./app.ts'));
    expect(added.length).toBeGreaterThan(0);
    expect(added.length).toBeLessThanOrEqual(15);
  });

  it('before: password alone signs in', async () => {
    const app = createAppBefore(users(), { sessionSecret: 's' });
    const agent = request.agent(app);
    expect((await agent.get('/private')).status).toBe(401);
    expect(
      (await agent.post('/login').set('Origin', ORIGIN).send({ username: 'alice', password: 'alice-pw' }))
        .status,
    ).toBe(200);
    expect((await agent.get('/private')).body).toEqual({ user: 'alice' });
  });

  it('after: enrol TOTP from settings, then signing in needs the code (and a recovery code works once)', async () => {
    const { app, code, wrong, nextStep } = setup();
    const settings = request.agent(app);
    const first = await settings
      .post('/login')
      .set('Origin', ORIGIN)
      .send({ username: 'alice', password: 'alice-pw' });
    expect(first.body).toMatchObject({ status: 'signed-in', offerEnrolment: true });
    const enrol = await settings.post('/mfa/totp/enrol').set('Origin', ORIGIN);
    expect(enrol.body.qrCode).toMatch(/^data:image\/png;base64,/);
    const confirmed = await settings
      .post('/mfa/totp/confirm')
      .set('Origin', ORIGIN)
      .send({ code: code(enrol.body.secret) });
    expect(confirmed.status).toBe(200);
    const recoveryCodes: string[] = confirmed.body.recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    nextStep();

    const agent = request.agent(app);
    const started = await agent
      .post('/login')
      .set('Origin', ORIGIN)
      .send({ username: 'alice', password: 'alice-pw' });
    expect(started.body).toMatchObject({ status: 'challenge', factors: ['totp', 'recovery'] });
    expect((await agent.get('/private')).status).toBe(401);
    const refused = await agent
      .post('/mfa/sign-in/totp')
      .set('Origin', ORIGIN)
      .send({ code: wrong(enrol.body.secret) });
    expect(refused.body.error.code).toBe('INVALID_CODE');
    const ok = await agent
      .post('/mfa/sign-in/totp')
      .set('Origin', ORIGIN)
      .send({ code: code(enrol.body.secret) });
    expect(ok.status).toBe(200);
    expect((await agent.get('/private')).body).toEqual({ user: 'alice' });

    const viaRecovery = request.agent(app);
    await viaRecovery.post('/login').set('Origin', ORIGIN).send({ username: 'alice', password: 'alice-pw' });
    const recovered = await viaRecovery
      .post('/mfa/sign-in/recovery')
      .set('Origin', ORIGIN)
      .send({ code: recoveryCodes[0] });
    expect(recovered.status).toBe(200);
    expect((await viaRecovery.get('/private')).status).toBe(200);
  });

  it('after: login CSRF and logout CSRF from another site are refused on the app’s own /login and /logout', async () => {
    const { app } = setup();
    const victim = request.agent(app);
    const forged = await victim
      .post('/login')
      .set('Origin', 'https://evil.example')
      .send({ username: 'alice', password: 'alice-pw' });
    expect(forged.status).toBe(403);
    expect((await victim.get('/private')).status).toBe(401);
    const noOrigin = await victim.post('/login').send({ username: 'alice', password: 'alice-pw' });
    expect(noOrigin.status).toBe(403);

    expect(
      (await victim.post('/login').set('Origin', ORIGIN).send({ username: 'alice', password: 'alice-pw' }))
        .status,
    ).toBe(200);
    expect((await victim.post('/logout').set('Origin', 'https://evil.example')).status).toBe(403);
    expect((await victim.get('/private')).status).toBe(200);
    expect((await victim.post('/logout').set('Origin', ORIGIN)).status).toBe(200);
    expect((await victim.get('/private')).status).toBe(401);
  });

  it('after: five wrong codes start a cooldown (attempt limiting)', async () => {
    const { app, code, wrong, nextStep } = setup();
    const settings = request.agent(app);
    await settings.post('/login').set('Origin', ORIGIN).send({ username: 'alice', password: 'alice-pw' });
    const enrol = await settings.post('/mfa/totp/enrol').set('Origin', ORIGIN);
    await settings
      .post('/mfa/totp/confirm')
      .set('Origin', ORIGIN)
      .send({ code: code(enrol.body.secret) });
    nextStep();
    const agent = request.agent(app);
    await agent.post('/login').set('Origin', ORIGIN).send({ username: 'alice', password: 'alice-pw' });
    const valid = code(enrol.body.secret);
    const wrongCode = wrong(enrol.body.secret);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await agent.post('/mfa/sign-in/totp').set('Origin', ORIGIN).send({ code: wrongCode })).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const blocked = await agent.post('/mfa/sign-in/totp').set('Origin', ORIGIN).send({ code: valid });
    expect(blocked.status).toBe(429);
  });
});
