import type { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRedis } from '../harness/index.js';
import { type TestApp, createTestApp, enrolTotp, login, post, totp } from './test-app.js';

let t: TestApp;
let monitorClient: Redis;
let seen: string[][] = [];
let markers = 0;

beforeAll(async () => {
  t = createTestApp();
  monitorClient = createTestRedis();
  const monitor = await monitorClient.monitor();
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (args.some((arg) => String(arg).includes(t.keyBase))) seen.push(args.map(String));
  });
});
afterAll(async () => {
  monitorClient.disconnect();
  await t.close();
});

/**
 * Commands on this app's keys caused by `action`, measured on its second run (the
 * first may still save a freshly modified session). Marker GETs fence MONITOR's
 * asynchronous delivery, so nothing depends on timing.
 */
async function commandsOf(action: () => Promise<unknown>): Promise<string[][]> {
  const marker = `${t.keyBase}marker:${markers++}`;
  await action();
  seen = [];
  const before = `${t.keyBase}fence:${markers}`;
  await t.redis.get(before);
  await waitFor(before);
  seen = [];
  await action();
  await t.redis.get(marker);
  await waitFor(marker);
  return seen.filter((args) => !args.some((arg) => arg.includes(':marker:') || arg.includes(':fence:')));
}

async function waitFor(key: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (seen.some((args) => args.includes(key))) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`MONITOR never showed ${key}`);
}

describe('Redis round trips of an ordinary authenticated request', () => {
  it('requireMfa() adds none to an MFA-completed session, and one policy read otherwise', async () => {
    const { secret } = await enrolTotp(t, request.agent(t.app), 'alice');
    const withMfa = request.agent(t.app);
    await login(t, withMfa, 'alice');
    expect((await post(withMfa, '/mfa/sign-in/totp', { code: totp(secret, t.clock.now()) })).status).toBe(
      200,
    );
    const withoutMfa = request.agent(t.app);
    await login(t, withoutMfa, 'dave');

    const plain = await commandsOf(() => withMfa.get('/plain').expect(200));
    const guarded = await commandsOf(() => withMfa.get('/private').expect(200));
    const plainOptional = await commandsOf(() => withoutMfa.get('/plain').expect(200));
    const guardedOptional = await commandsOf(() => withoutMfa.get('/private').expect(200));

    const names = (commands: string[][]) => commands.map((args) => args[0]!.toLowerCase());
    // express-session + connect-redis alone: GET the session, EXPIRE it (touch).
    expect(names(plain)).toEqual(['get', 'expire']);
    expect(names(guarded)).toEqual(names(plain));
    expect(names(plainOptional)).toEqual(['get', 'expire']);
    expect(guardedOptional).toHaveLength(plainOptional.length + 1);
    const extra = guardedOptional.find((args) => args.some((arg) => arg.startsWith(t.mfaPrefix)));
    expect(extra?.[0]?.toLowerCase()).toBe('get');
    expect(extra?.[1]).toContain('policy');
    console.info(
      `[round trips] express-session alone: ${plain.length} (${names(plain).join(', ')}); ` +
        `requireMfa, MFA completed: ${guarded.length}; requireMfa, MFA not completed: ${guardedOptional.length} ` +
        `(${names(guardedOptional).join(', ')})`,
    );
  });
});
