import { type Server, type Socket, createConnection, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';

/**
 * A TCP relay between a replica and its primary that the test controls, so
 * replication lag is deterministic: while `hold()` is in effect the primary's
 * stream (writes, and its `REPLCONF GETACK` for WAIT) is buffered here and
 * never reaches the replica; `cut()` drops the buffer and both connections,
 * like a partition that ends with the primary's death.
 */
export interface ReplicationLink {
  port: number;
  hold(): void;
  release(): void;
  cut(): void;
  close(): Promise<void>;
}

/** Starts a relay on a free loopback port forwarding to `primaryPort`. */
export async function startReplicationLink(primaryPort: number): Promise<ReplicationLink> {
  const pairs = new Set<[Socket, Socket]>();
  let held = false;
  const buffered = new Map<Socket, Buffer[]>();
  const server: Server = createServer((replicaSide) => {
    const primarySide = createConnection({ host: '127.0.0.1', port: primaryPort });
    const pair: [Socket, Socket] = [replicaSide, primarySide];
    pairs.add(pair);
    buffered.set(replicaSide, []);
    replicaSide.on('data', (chunk) => primarySide.write(chunk));
    primarySide.on('data', (chunk) => {
      if (held) buffered.get(replicaSide)?.push(chunk);
      else replicaSide.write(chunk);
    });
    const end = () => {
      replicaSide.destroy();
      primarySide.destroy();
      pairs.delete(pair);
    };
    replicaSide.on('error', end).on('close', end);
    primarySide.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hold() {
      held = true;
    },
    release() {
      held = false;
      for (const [replicaSide] of pairs) {
        for (const chunk of buffered.get(replicaSide) ?? []) replicaSide.write(chunk);
        buffered.set(replicaSide, []);
      }
    },
    cut() {
      for (const [replicaSide, primarySide] of pairs) {
        buffered.set(replicaSide, []);
        replicaSide.destroy();
        primarySide.destroy();
      }
      pairs.clear();
    },
    close: () =>
      new Promise((resolve) => {
        for (const [a, b] of pairs) {
          a.destroy();
          b.destroy();
        }
        server.close(() => resolve());
      }),
  };
}

/** Field `name` of `INFO replication`. */
export async function replicationField(client: Redis, name: string): Promise<string | undefined> {
  const info = await client.info('replication');
  return new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}
