/**
 * Issue 9: the session index built `{u:<id>}` itself, without core's
 * escaping of `{`, `}` and `%`, so for such ids its key left the user's
 * Cluster slot (and two users could share an index key). It now uses core's
 * `userHashTag`.
 */
import { createRedisSessionIndex } from '@mfa-kit/express';
import { userHashTag } from '@mfa-kit/core/redis';
import keySlot from 'cluster-key-slot';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

/** Records the keys the index writes, like a Redis client would receive them. */
function recordingClient(keys: string[]): Redis {
  return {
    eval: async (_script: string, _keyCount: number, key: string) => {
      keys.push(key);
      return 1;
    },
  } as unknown as Redis;
}

describe('session index keys', () => {
  it("share the Cluster slot of core's keys of the same user, even for ids with { } %", async () => {
    for (const userId of ['a}b{c%', '}', '{x}', 'plain-42']) {
      const keys: string[] = [];
      await createRedisSessionIndex({ client: recordingClient(keys), prefix: 'mfa:' }).add(userId, 'sid');
      expect(keys[0]).toBe(`mfa:${userHashTag(userId)}:sessions`);
      expect(keySlot(keys[0] as string)).toBe(keySlot(`mfa:${userHashTag(userId)}:record`));
    }
    // Distinct users never share an index key.
    const a: string[] = [];
    const b: string[] = [];
    await createRedisSessionIndex({ client: recordingClient(a), prefix: 'mfa:' }).add('a}b', 's');
    await createRedisSessionIndex({ client: recordingClient(b), prefix: 'mfa:' }).add('a', 's');
    expect(a[0]).not.toBe(b[0]);
  });
});
