import { type Server, type Socket, createConnection, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP relay in front of Redis that can hold back one command, so a client's
 * call times out while the command is still on its way and runs on Redis
 * later (what a stalled network or a busy server does). `holdFrom(marker)`
 * holds the first client → Redis chunk that contains `marker` (e.g. a
 * script's SHA1) and everything after it on that connection; `release()`
 * delivers the held bytes in order, so Redis then runs the command.
 */
export interface CommandHoldProxy {
  port: number;
  holdFrom(marker: string): void;
  /** Resolves once a chunk with the marker has been held. */
  held(): Promise<void>;
  release(): void;
  close(): Promise<void>;
}

/** Starts the relay on a free loopback port, forwarding to Redis at `redisPort`. */
export async function startCommandHoldProxy(
  redisPort: number,
  host = '127.0.0.1',
): Promise<CommandHoldProxy> {
  const sockets = new Set<Socket>();
  let marker: string | null = null;
  let holding: { server: Socket; chunks: Buffer[] } | null = null;
  let onHeld: (() => void) | null = null;
  let heldOnce = false;
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host, port: redisPort });
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => {
      if (holding !== null && holding.server === upstream) {
        holding.chunks.push(chunk);
        return;
      }
      if (marker !== null && chunk.includes(marker)) {
        marker = null;
        holding = { server: upstream, chunks: [chunk] };
        heldOnce = true;
        onHeld?.();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    holdFrom(value) {
      marker = value;
      heldOnce = false;
    },
    held() {
      if (heldOnce) return Promise.resolve();
      return new Promise((resolve) => {
        onHeld = resolve;
      });
    },
    release() {
      const current = holding;
      holding = null;
      if (current !== null) for (const chunk of current.chunks) current.server.write(chunk);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
