import { randomFillSync } from 'node:crypto';
import type { Request } from 'express';

/**
 * Session ids that name their user: `<base64url(user id)>.<192 random bits>`.
 *
 * The user in the id lets the session store read the user's session epoch in
 * parallel with the session itself (no extra sequential round trip); the
 * random part is what makes the id unguessable, and express-session signs
 * the whole id in the cookie, so a client can't write a user into it. An id
 * without a `.` (express-session's default ids) names nobody.
 */
const RANDOM_BYTES = 24;
/**
 * Random bytes are drawn 128 ids at a time and each id takes its own 24, never
 * reused (as Node's `randomUUID` batches its entropy): one `randomBytes(24)`
 * per id cost about 20 µs of a sign-in's CPU in the benchmark (issue 13).
 */
const POOL_IDS = 128;
const pool = Buffer.alloc(RANDOM_BYTES * POOL_IDS);
let poolOffset = pool.length;

function randomPart(): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const part = pool.toString('base64url', poolOffset, poolOffset + RANDOM_BYTES);
  poolOffset += RANDOM_BYTES;
  return part;
}

/** The user the next id generated for each request belongs to (set just before a regeneration). */
const nextOwner = new WeakMap<object, string>();

/** Makes the next session id generated for `req` (regenerate, `req.login`) name `userId`; null for an anonymous id. */
export function claimNextSessionId(req: Request, userId: string | null): void {
  if (userId === null) nextOwner.delete(req);
  else nextOwner.set(req, userId);
}

/** express-session's `genid`: an id naming the user claimed for this request (the claim is used up), or an anonymous one. */
export function generateSessionId(req: object): string {
  const random = randomPart();
  const owner = nextOwner.get(req);
  nextOwner.delete(req);
  return owner === undefined ? random : `${Buffer.from(owner, 'utf8').toString('base64url')}.${random}`;
}

/** The user a session id names, or null for an anonymous (or foreign-format) id. */
export function sessionIdOwner(sid: string): string | null {
  const dot = sid.indexOf('.');
  if (dot <= 0) return null;
  const encoded = sid.slice(0, dot);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return null;
  const owner = Buffer.from(encoded, 'base64url').toString('utf8');
  // Only the canonical encoding counts, so one user has exactly one id prefix.
  return owner !== '' && Buffer.from(owner, 'utf8').toString('base64url') === encoded ? owner : null;
}
