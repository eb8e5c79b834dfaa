import type { SessionIndex } from './session-index.js';

/** In-process {@link SessionIndex} for development and tests (pair it with express-session's MemoryStore). */
export function createMemorySessionIndex(): SessionIndex {
  const byUser = new Map<string, Set<string>>();
  return {
    async add(userId, sid) {
      let sids = byUser.get(userId);
      if (sids === undefined) {
        sids = new Set();
        byUser.set(userId, sids);
      }
      sids.add(sid);
    },
    async remove(userId, sid) {
      const sids = byUser.get(userId);
      sids?.delete(sid);
      if (sids?.size === 0) byUser.delete(userId);
    },
    async takeAll(userId) {
      const sids = byUser.get(userId);
      byUser.delete(userId);
      return sids === undefined ? [] : [...sids];
    },
  };
}
