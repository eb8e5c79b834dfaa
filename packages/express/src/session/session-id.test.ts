import { describe, expect, it } from 'vitest';
import { claimNextSessionId, generateSessionId, sessionIdOwner } from './session-id.js';

describe('session ids', () => {
  it('are distinct across many draws of the random pool, 192 random bits each', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 1_000; i++) {
      const id = generateSessionId({});
      expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(1_000);
  });

  it('name the user claimed for the request, once', () => {
    const req = {};
    claimNextSessionId(req as never, 'user-42');
    const named = generateSessionId(req);
    expect(sessionIdOwner(named)).toBe('user-42');
    expect(named.split('.')[1]).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(sessionIdOwner(generateSessionId(req))).toBeNull();
  });
});
