/**
 * Issue 9: responses carrying a TOTP secret, a QR code or recovery codes had
 * no `Cache-Control: no-store`, so a shared or browser cache could keep them
 * (a proxy, the back/forward cache of a shared computer). Replayed over HTTP
 * against the example app on Redis: every response of the self-service,
 * admin and unlock routers — successes and errors — must be uncacheable.
 */
import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../browser/example-server.js';
import { agentOf, type ExampleOnRedis, login, startExampleOnRedis } from './example-on-redis.js';
import { listRoutes } from './list-routes.js';

let example: ExampleOnRedis;
beforeAll(async () => {
  example = await startExampleOnRedis();
});
afterAll(async () => {
  await example.close();
});

function expectUncacheable(response: Response, label: string): void {
  expect(response.headers['cache-control'], label).toBe('no-store');
  expect(response.headers.pragma, label).toBe('no-cache');
}

function lastSmsCode(): string {
  const sms = example.inbox.list().find((m) => m.kind === 'sms');
  const code = sms?.body.match(/\b(\d{6})\b/)?.[1];
  if (code === undefined) throw new Error('no SMS code in the dev inbox');
  return code;
}

describe('no response with a secret, a QR code or recovery codes may be cached', () => {
  it('TOTP enrol (secret + QR), confirm (recovery codes) and regenerate (recovery codes) answer no-store', async () => {
    const agent = agentOf(example);
    const post = (path: string, body: object = {}) =>
      agent.post(`/api/mfa${path}`).set('Origin', example.baseUrl).send(body);
    expect((await login(example, agent, 'bob')).body.status).toBe('signed-in');

    const enrol = await post('/totp/enrol');
    expect(enrol.status).toBe(200);
    expect(enrol.body.secret).toMatch(/^[A-Z2-7]+$/);
    expect(enrol.body.qrCode).toMatch(/^data:image\/png;base64,/);
    expectUncacheable(enrol, 'POST /totp/enrol');

    const confirm = await post('/totp/confirm', { code: totpAt(enrol.body.secret, example.clock) });
    expect(confirm.status).toBe(200);
    expect(confirm.body.recoveryCodes).toHaveLength(10);
    expectUncacheable(confirm, 'POST /totp/confirm');

    example.clock.advance(30_000);
    const regenerate = await post('/recovery-codes', {
      factor: 'totp',
      code: totpAt(enrol.body.secret, example.clock),
    });
    expect(regenerate.status).toBe(200);
    expect(regenerate.body.recoveryCodes).toHaveLength(10);
    expectUncacheable(regenerate, 'POST /recovery-codes');
  });

  it('SMS confirm (recovery codes) answers no-store', async () => {
    const agent = agentOf(example);
    const post = (path: string, body: object = {}) =>
      agent.post(`/api/mfa${path}`).set('Origin', example.baseUrl).send(body);
    expect((await login(example, agent, 'frank')).body.status).toBe('signed-in');
    const enrol = await post('/sms/enrol', { phone: '+14155550123' });
    expect(enrol.status).toBe(200);
    expectUncacheable(enrol, 'POST /sms/enrol');
    const confirm = await post('/sms/confirm', { code: lastSmsCode() });
    expect(confirm.status).toBe(200);
    expect(confirm.body.recoveryCodes).toHaveLength(10);
    expectUncacheable(confirm, 'POST /sms/confirm');
  });

  it('every route of the self-service, admin and unlock routers answers no-store, errors included', async () => {
    const routes = listRoutes(example.app).filter((r) => /^\/api\/(mfa|admin\/mfa|account)\//.test(r.path));
    expect(routes.length).toBeGreaterThanOrEqual(29);
    const agent = agentOf(example);
    for (const route of routes) {
      const path = route.path.replace(':id', 'u2');
      for (const origin of [example.baseUrl, 'https://evil.example']) {
        const call =
          route.method === 'GET'
            ? agent.get(path)
            : (route.method === 'PUT' ? agent.put(path) : agent.post(path)).set('Origin', origin).send({});
        expectUncacheable(await call, `${route.method} ${path} from ${origin}`);
      }
    }
  });
});
