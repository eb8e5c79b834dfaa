import type { Redis } from 'ioredis';
import { MfaError } from '../errors.js';
import { escapeTagPart } from './keys.js';
import type { RedisCaller } from './redis-caller.js';
import type { RedisClient } from './redis-client.js';

/**
 * SCAN calls one `listUserIds` page may make before it returns what it has
 * (possibly nothing) with a cursor: on a keyspace where few keys are records,
 * a page stays a bounded amount of work instead of walking the whole database.
 */
const MAX_SCANS_PER_PAGE = 100;

/** Redis glob metacharacters (`*`, `?`, `[`, `]`, `\`), escaped so a prefix matches only itself. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** Inverse of {@link escapeTagPart} for the `%XX` escapes it produces. */
function unescapeTagPart(text: string): string {
  return text.replace(/%([0-9A-F]{2})/g, (_match, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/** The user id of a record key of this prefix, or null for any other key. */
function userIdOfRecordKey(prefix: string, key: string): string | null {
  const head = `${prefix}{u:`;
  const tail = '}:record';
  if (!key.startsWith(head) || !key.endsWith(tail) || key.length < head.length + tail.length + 1) return null;
  const escaped = key.slice(head.length, key.length - tail.length);
  const userId = unescapeTagPart(escaped);
  // Only keys this layout wrote: re-escaping must give back the same text (no stray `}` or `%`).
  return escapeTagPart(userId) === escaped ? userId : null;
}

/** The nodes to scan: every master of a cluster (in a stable order), or the one node. */
async function scanTargets(client: RedisClient): Promise<Redis[]> {
  if (!client.isCluster) return [client as Redis];
  const cluster = client as Extract<RedisClient, { nodes: unknown }>;
  const byAddress = (nodes: Redis[]) =>
    [...nodes].sort((a, b) =>
      `${a.options.host}:${a.options.port}`.localeCompare(`${b.options.host}:${b.options.port}`),
    );
  let masters = cluster.nodes('master');
  if (masters.length === 0) {
    // The slot map arrives with the first command; a cheap one makes the masters known.
    await cluster.ping();
    masters = cluster.nodes('master');
  }
  if (masters.length === 0) throw new Error('the cluster has no known master');
  return byAddress(masters);
}

function parseCursor(cursor: string | null): { node: number; scan: string } {
  if (cursor === null) return { node: 0, scan: '0' };
  const match = /^(\d{1,4}):(\d{1,20})$/.exec(cursor);
  if (match === null) {
    throw new MfaError('VALIDATION', {
      message: 'listUserIds: not a cursor of this store',
      fields: { cursor: 'invalid' },
      cause: new TypeError(`malformed cursor ${cursor}`),
    });
  }
  return { node: Number(match[1]), scan: match[2] as string };
}

/**
 * `MfaStore.listUserIds` on Redis: SCAN with MATCH `<prefix>{u:*}:record`
 * (a user has a record iff that hash exists, see `keys.ts`). On a cluster
 * every master is scanned in turn; the opaque cursor is
 * `<node index>:<node's SCAN cursor>`. SCAN guarantees that a key present
 * for the whole iteration is returned (each key lives on one master), may
 * repeat a key if Redis shrinks its table meanwhile, and may or may not
 * return keys created or deleted meanwhile; a failover or resharding during
 * the iteration may skip or repeat users (run the maintenance again).
 */
export async function scanUserIds(
  caller: RedisCaller,
  prefix: string,
  input: { cursor: string | null; count: number },
): Promise<{ userIds: string[]; nextCursor: string | null }> {
  const count = Number.isFinite(input.count) ? Math.max(1, Math.floor(input.count)) : 1;
  let { node, scan } = parseCursor(input.cursor);
  const pattern = `${escapeGlob(prefix)}{u:*}:record`;
  const targets = await caller.command('listUserIds', scanTargets);
  const found = new Set<string>();
  for (let scans = 0; scans < MAX_SCANS_PER_PAGE && node < targets.length && found.size < count; scans++) {
    const target = targets[node] as Redis;
    // Each SCAN is its own bounded call: a page of many SCANs can't trip one timeout.
    const [next, keys] = await caller.command('listUserIds', () =>
      target.scan(scan, 'MATCH', pattern, 'COUNT', count),
    );
    for (const key of keys) {
      const userId = userIdOfRecordKey(prefix, key);
      if (userId !== null) found.add(userId);
    }
    if (next === '0') {
      node += 1;
      scan = '0';
    } else {
      scan = next;
    }
  }
  return { userIds: [...found], nextCursor: node < targets.length ? `${node}:${scan}` : null };
}
