import type { Cluster, Redis } from 'ioredis';

/** What {@link countRoundTrips} saw: commands the client sent, grouped by sequential round trip. */
export interface RoundTrips {
  /** Sequential round trips: how many times the client waited for Redis with nothing else in flight. */
  roundTrips: number;
  /** Commands the client sent (top level: an `EVALSHA` is one, whatever its script runs). */
  commands: number;
  /** The command names of each round trip, in order, e.g. `[['get', 'hget'], ['evalsha'], …]`. */
  trips: string[][];
}

/**
 * Counts the sequential round trips a client makes: a command sent while none
 * of the client's earlier commands is still unanswered starts a new round
 * trip; one sent while another is in flight rides along with it (pipelined
 * on the same connection). Deterministic: it counts dependencies, not time.
 * `stop()` restores the client and returns the counts.
 */
export function countRoundTrips(client: Redis | Cluster): { stop(): RoundTrips } {
  const target = client as Redis;
  const original = target.sendCommand.bind(target);
  let inFlight = 0;
  const trips: string[][] = [];
  target.sendCommand = ((command: Parameters<Redis['sendCommand']>[0]) => {
    if (inFlight === 0) trips.push([]);
    trips.at(-1)!.push(command.name.toLowerCase());
    inFlight += 1;
    const settle = () => {
      inFlight -= 1;
    };
    const result = original(command);
    command.promise.then(settle, settle);
    return result;
  }) as Redis['sendCommand'];
  return {
    stop() {
      target.sendCommand = original;
      return { roundTrips: trips.length, commands: trips.reduce((n, trip) => n + trip.length, 0), trips };
    },
  };
}
