/**
 * The keep-alive HTTP driver (undici `Pool`): simulated users with their own
 * cookie and client IP, requests run at a fixed concurrency, latencies kept
 * per phase.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { BENCH_ORIGIN } from './contract.js';

/** One simulated browser: a cookie jar of one session cookie and a client IP. */
export interface Client {
  ip: string;
  cookie: string | null;
}

export interface Reply {
  status: number;
  body: string;
}

export function newClient(ip: string): Client {
  return { ip, cookie: null };
}

/** A client IP per user index (10.x.y.z), so per-IP limits see many clients as production does. */
export function userIp(index: number): string {
  return `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
}

export async function send(
  pool: Pool,
  client: Client,
  method: 'GET' | 'POST',
  path: string,
  body?: object,
): Promise<Reply> {
  const headers: Record<string, string> = {
    'x-forwarded-for': client.ip,
    'x-forwarded-proto': 'https',
  };
  if (client.cookie !== null) headers['cookie'] = client.cookie;
  if (method === 'POST') {
    headers['origin'] = BENCH_ORIGIN;
    headers['content-type'] = 'application/json';
  }
  const response = await pool.request({
    method,
    path,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.body.text();
  const setCookie = response.headers['set-cookie'];
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (first !== undefined) client.cookie = first.split(';')[0]!;
  return { status: response.statusCode, body: text };
}

/** What one phase measured. */
export interface PhaseTiming {
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Count of each status code. */
  statuses: Record<string, number>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs `count` requests (`request(i)`) with `concurrency` in flight; timings and status counts. */
export async function runPhase(
  count: number,
  concurrency: number,
  request: (index: number) => Promise<Reply>,
): Promise<PhaseTiming> {
  const latencies: number[] = new Array(count);
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const t0 = performance.now();
      const { status } = await request(index);
      latencies[index] = performance.now() - t0;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: count,
    seconds,
    rps: count / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    statuses,
  };
}

export { Pool };
