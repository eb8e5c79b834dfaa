import { expect, it } from 'vitest';
import type { MfaStore, TotpFactor } from '@mfa-kit/core';
import { attemptInput, baseTime, type MakeStore, newUserId, totp } from './conformance-fixtures.js';

const TOTP_FACTOR: TotpFactor = {
  sealedSecret: 'k1:sealed-secret',
  algorithm: 'SHA1',
  digits: 6,
  periodInSeconds: 30,
  enrolledAt: 1_700_000_000_000,
};

/** Upper bound of pages a listing may take, so a store whose cursor never ends fails instead of hanging. */
const MAX_PAGES = 100_000;

/** Every id `listUserIds` hands out from the first page to the last, in order, and the number of pages. */
async function listAll(store: MfaStore, count: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await store.listUserIds({ cursor, count });
    ids.push(...page.userIds);
    cursor = page.nextCursor;
    pages += 1;
    if (pages > MAX_PAGES) throw new Error(`listUserIds did not end after ${MAX_PAGES} pages`);
  } while (cursor !== null);
  return { ids, pages };
}

/** Runs `work` over `items` a few at a time (enough parallelism to be quick on Redis, not a flood). */
async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += 25) await Promise.all(items.slice(i, i + 25).map(work));
}

/** `listUserIds`: enumeration of every user with a record, for maintenance such as key rotation. */
export function registerListingCases(makeStore: MakeStore<MfaStore>): void {
  it('lists nobody on an empty store, and the listing ends', async () => {
    const store = await makeStore();
    expect((await listAll(store, 10)).ids).toEqual([]);
  });

  it('visits each of 250 users exactly once over pages of 7, whichever write created the record', async () => {
    const store = await makeStore();
    const tag = newUserId('list');
    // Ids with the characters a key layout or a glob pattern could trip on.
    const odd = ['}{', '%7B', '*', '?', '[a-z]', '\\', ':record', 'ü ✓'].map((s) => `${tag}-${s}`);
    const users = [...odd, ...Array.from({ length: 250 - odd.length }, (_, i) => `${tag}-${i}`)];
    const writes: Array<(userId: string) => Promise<unknown>> = [
      (userId) => store.setTotp(userId, TOTP_FACTOR),
      (userId) => store.setSms(userId, { sealedPhone: 'k1:p', maskedPhone: '+1 ••• 1234', enrolledAt: 1 }),
      (userId) => store.replaceRecoveryCodes(userId, ['h1']),
      (userId) => store.bumpEpoch(userId),
      (userId) => store.incrementGraceSignIns(userId),
      (userId) => store.resetFactors(userId),
    ];
    await inBatches(
      users.map((userId, i) => [userId, i] as const),
      ([userId, i]) => (writes[i % writes.length] as (userId: string) => Promise<unknown>)(userId),
    );
    // Users with limiter state or an SMS challenge but no record are not listed.
    const now = baseTime();
    const noRecord = [`${tag}-attempt-only`, `${tag}-challenge-only`];
    await store.attempt(noRecord[0] as string, attemptInput(totp(null), now));
    await store.putSmsChallenge(
      noRecord[1] as string,
      {
        codeHash: 'h',
        purpose: 'sign-in',
        sealedPhone: 'k1:p',
        maskedPhone: '+1 ••• 1234',
        expiresAt: now + 60_000,
      },
      now,
    );

    const { ids, pages } = await listAll(store, 7);
    const mine = ids.filter((id) => id.startsWith(tag));
    expect(new Set(mine).size).toBe(mine.length);
    expect([...mine].sort()).toEqual([...users].sort());
    expect(pages).toBeGreaterThan(1);
  });

  it('keeps listing a user after resetFactors and after removing every factor (the record persists)', async () => {
    const store = await makeStore();
    const reset = newUserId('list-reset');
    const emptied = newUserId('list-emptied');
    const neverEnrolled = newUserId('list-reset-only');
    await store.setTotp(reset, TOTP_FACTOR);
    await store.resetFactors(reset);
    await store.setTotp(emptied, TOTP_FACTOR);
    await store.setTotp(emptied, null);
    await store.resetFactors(neverEnrolled);
    const { ids } = await listAll(store, 2);
    expect(ids.filter((id) => [reset, emptied, neverEnrolled].includes(id)).sort()).toEqual(
      [reset, emptied, neverEnrolled].sort(),
    );
    expect(await store.getRecord(emptied)).toMatchObject({ totp: null, sms: null });
  });

  it('still lists every user present throughout when others are written during the listing', async () => {
    const store = await makeStore();
    const tag = newUserId('list-live');
    const before = Array.from({ length: 40 }, (_, i) => `${tag}-${i}`);
    await inBatches(before, (userId) => store.setTotp(userId, TOTP_FACTOR));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { userIds: string[]; nextCursor: string | null } = await store.listUserIds({
        cursor,
        count: 5,
      });
      seen.push(...page.userIds);
      cursor = page.nextCursor;
      pages += 1;
      if (pages === 2) {
        // Mid-listing: new users, and resets of listed and unlisted users (their records stay).
        await inBatches(
          Array.from({ length: 40 }, (_, i) => `${tag}-new-${i}`),
          (userId) => store.bumpEpoch(userId),
        );
        await inBatches(before.slice(0, 20), (userId) => store.resetFactors(userId));
      }
    } while (cursor !== null && pages < MAX_PAGES);
    expect(cursor).toBeNull();
    for (const userId of before) expect(seen.filter((id) => id === userId)).toHaveLength(1);
  });
}
