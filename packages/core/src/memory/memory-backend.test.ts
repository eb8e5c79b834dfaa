import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from './memory-backend.js';

// The store conformance suites run against this backend in packages/testing.

describe('createMemoryBackend', () => {
  it('caps the event log at eventLogMaxLength', async () => {
    const { events } = createMemoryBackend({ eventLogMaxLength: 3 });
    for (let i = 0; i < 5; i++) {
      await events.append({
        type: 'SESSION_EXPIRED',
        userId: `u${i}`,
        details: { stage: 'challenge' },
        time: i,
      });
    }
    expect((await events.query({})).events.map((e) => e.userId)).toEqual(['u4', 'u3', 'u2']);
  });

  it('rejects a cap that is not a positive integer', () => {
    expect(() => createMemoryBackend({ eventLogMaxLength: 0 })).toThrow(/eventLogMaxLength/);
  });

  it('gives each backend its own state', async () => {
    const a = createMemoryBackend();
    const b = createMemoryBackend();
    await a.store.bumpEpoch('u');
    expect(await b.store.getRecord('u')).toBeNull();
  });
});
