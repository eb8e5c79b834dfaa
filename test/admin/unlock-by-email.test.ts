// Issue 6 / seed 002: "Once it's locked, you will have to check your email for
// unlock instructions". The public unlock routes: one answer whatever the
// account, a link that works once, and clear errors for reused, expired and
// tampered tokens.
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminTestApp, ORIGIN, type TestUser, createAdminTestApp } from './admin-app.js';

let t: AdminTestApp;
let seq = 0;

beforeAll(async () => {
  t = await createAdminTestApp({ policy: { allowSelfUnlock: true } });
});

afterAll(async () => {
  await t?.close();
});

const post = (path: string, body: object) => supertest(t.app).post(path).set('Origin', ORIGIN).send(body);
const login = (user: TestUser, password = `pw-${user.id}`) => post('/login', { username: user.id, password });

/** A user locked by failed sign-ins (admin locks are not self-unlockable). */
async function lockedUser(): Promise<TestUser> {
  seq += 1;
  const user = t.addUser({ id: `locked-${seq}`, orgId: 'org-a', roles: ['staff'] });
  let last = await login(user, 'wrong');
  for (let i = 0; i < 40 && last.status !== 423; i += 1) {
    if (last.status === 429) t.advance(301_000);
    last = await login(user, 'wrong');
  }
  expect(last.status).toBe(423);
  return user;
}

/** Waits for the mail the background request sends (the response does not wait for it, on purpose). */
async function mailFor(userId: string, before: number): Promise<string> {
  for (let i = 0; i < 200; i += 1) {
    const mail = t.unlockMails.slice(before).find((m) => m.userId === userId);
    if (mail !== undefined) return mail.token;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no unlock mail for ${userId}`);
}

/** Lets background requests finish, then counts mails for `userId`. */
async function settledMailCount(userId: string): Promise<number> {
  // A marker request for a locked user: once its mail arrived, earlier requests have run too.
  const marker = await lockedUser();
  const before = t.unlockMails.length;
  await post('/account/unlock/request', { identifier: marker.email });
  await mailFor(marker.id, before);
  return t.unlockMails.filter((m) => m.userId === userId).length;
}

describe('unlock by email', () => {
  it('the emailed token unlocks once; the user then signs in; reuse is INVALID_TOKEN', async () => {
    const user = await lockedUser();
    const before = t.unlockMails.length;
    const res = await post('/account/unlock/request', { identifier: user.email });
    expect(res.status).toBe(202);
    const token = await mailFor(user.id, before);

    const redeemed = await post('/account/unlock/redeem', { token });
    expect(redeemed.status).toBe(200);
    expect(redeemed.body).toEqual({ ok: true });
    expect((await login(user)).body.status).toBe('signed-in');

    const again = await post('/account/unlock/redeem', { token });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('INVALID_TOKEN');
  });

  it('refuses tampered and expired tokens and leaves the account locked', async () => {
    const user = await lockedUser();
    const before = t.unlockMails.length;
    await post('/account/unlock/request', { identifier: user.id });
    const token = await mailFor(user.id, before);
    const flipped = `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.at(-1)}`;
    for (const bad of [flipped, `${token}x`, token.split('').reverse().join(''), 'not-a-token']) {
      const res = await post('/account/unlock/redeem', { token: bad });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_TOKEN');
    }
    t.advance(3_600_001);
    const expired = await post('/account/unlock/redeem', { token });
    expect(expired.status).toBe(400);
    expect(expired.body.error.code).toBe('INVALID_TOKEN');
    expect((await login(user)).status).toBe(423);
  });

  it('answers every request the same, whether the account is missing, unlocked or locked', async () => {
    const locked = await lockedUser();
    const fine = t.addUser({ id: 'fine-user', orgId: 'org-a', roles: ['staff'] });
    const answers = await Promise.all(
      [locked.email, fine.email, 'nobody@example.test'].map((identifier) =>
        post('/account/unlock/request', { identifier }),
      ),
    );
    for (const res of answers) {
      expect(res.status).toBe(202);
      expect(res.body).toEqual(answers[0]?.body);
      expect(Object.keys(res.headers).sort()).toEqual(Object.keys(answers[0]?.headers ?? {}).sort());
    }
    expect(await settledMailCount(fine.id)).toBe(0);
    expect(t.unlockMails.filter((m) => m.userId === locked.id)).toHaveLength(1);
  });

  it('sends nothing when self-unlock is off, and refuses a token issued before it was switched off', async () => {
    const user = await lockedUser();
    const before = t.unlockMails.length;
    await post('/account/unlock/request', { identifier: user.email });
    const token = await mailFor(user.id, before);
    const policy = await t.mfa.admin.getPolicy();
    await t.mfa.admin.setPolicy({ kind: 'system', id: 'test' }, { ...policy, allowSelfUnlock: false });
    try {
      const res = await post('/account/unlock/request', { identifier: user.email });
      expect(res.status).toBe(202);
      const redeemed = await post('/account/unlock/redeem', { token });
      expect(redeemed.status).toBe(400);
    } finally {
      await t.mfa.admin.setPolicy({ kind: 'system', id: 'test' }, policy);
    }
    expect(await settledMailCount(user.id)).toBe(1);
  });

  it('validates input and refuses cross-site posts', async () => {
    const empty = await post('/account/unlock/request', {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields).toHaveProperty('identifier');
    const evil = await supertest(t.app)
      .post('/account/unlock/redeem')
      .set('Origin', 'https://evil.example')
      .send({ token: 'x' });
    expect(evil.status).toBe(403);
  });
});
