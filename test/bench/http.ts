/**
 * The HTTP benchmark: the floor, the hand-assembled reference stack and
 * mfa-kit (see `http/*-app.ts`), each in a fresh child process on a flushed
 * private Redis, driven through one keep-alive undici driver in interleaved
 * rounds (floor, reference, mfa-kit, floor, …). Prints rps and p50/p99 per
 * app, phase and round, the median of the per-round ratios mfa-kit ÷ each
 * other app, Redis commands per request and phase, and the correctness
 * results; writes everything as JSON.
 *
 * Options (environment): BENCH_HTTP_USERS (pending users per run, 2000, as issue 13 measured),
 * BENCH_HTTP_WARMUP (users signed in unmeasured first, 500), BENCH_HTTP_GETS (authenticated GETs per run, 10000), BENCH_HTTP_ROUNDS (5),
 * BENCH_HTTP_CONCURRENCY (50), BENCH_HTTP_BURST (200),
 * BENCH_HTTP_OUT (test/bench/results/http-latest.json), BENCH_HTTP_PROFILE (a folder: one V8
 * CPU profile per app, round and phase; unset: none), BENCH_HTTP_HEAP (with BENCH_HTTP_PROFILE:
 * also a sampling heap profile per phase, allocations included whether collected or not),
 * BENCH_HTTP_ALL_AUTOPIPELINE (set: the floor's and the reference's ioredis clients autopipeline too).
 *
 * Run alone: `npx tsx test/bench/http.ts` (after building the packages), or
 * through `npm run bench` (`npm run bench -- http` runs only this one).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { startRedisServer } from '../harness/index.js';
import { APP_KINDS } from './http/contract.js';
import { formatReport, summarise } from './http/report.js';
import { type RunOptions, type RunResult, runApp } from './http/run-app.js';
import type { BenchResult } from './totp.js';

const DEFAULT_OUT = fileURLToPath(new URL('./results/http-latest.json', import.meta.url));

function intOption(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer ≥ ${min}, got ${raw}`);
  return value;
}

export async function runHttpBench(log: (line: string) => void = console.log): Promise<BenchResult> {
  const options: RunOptions = {
    users: intOption('BENCH_HTTP_USERS', 2000, 1),
    warmup: intOption('BENCH_HTTP_WARMUP', 500, 0),
    gets: intOption('BENCH_HTTP_GETS', 10_000, 1),
    concurrency: intOption('BENCH_HTTP_CONCURRENCY', 50, 1),
    burst: intOption('BENCH_HTTP_BURST', 200, 2),
    profileDir: process.env['BENCH_HTTP_PROFILE'] ? resolve(process.env['BENCH_HTTP_PROFILE']) : null,
  };
  const rounds = intOption('BENCH_HTTP_ROUNDS', 5, 1);
  const out = resolve(process.env['BENCH_HTTP_OUT'] || DEFAULT_OUT);
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    log(line);
  };
  say(
    `${rounds} rounds × ${APP_KINDS.join(', ')}; ${options.users} users (+${options.warmup} warm-up), ${options.gets} GETs, ` +
      `concurrency ${options.concurrency}, burst ${options.burst}`,
  );
  // The machine is shared: the load average goes into the results, so ratios can be judged against it.
  const loadAverageAtStart = loadavg().map((n) => Number(n.toFixed(2)));
  say(`load average at start: ${loadAverageAtStart.join(', ')}`);
  const server = await startRedisServer();
  const redis = new Redis(server.url);
  const runs: RunResult[] = [];
  const started = Date.now();
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const kind of APP_KINDS) {
        runs.push(await runApp(kind, round, redis, server.url, options, say));
      }
    }
  } finally {
    redis.disconnect();
    await server.stop();
  }
  const summary = summarise(runs);
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAverageAtStart,
    loadAverageAtEnd: loadavg().map((n) => Number(n.toFixed(2))),
  };
  for (const line of formatReport(summary, runs)) say(line);
  say(`load average at end: ${machine.loadAverageAtEnd.join(', ')}`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), seconds: (Date.now() - started) / 1000, machine, rounds, options, summary, runs }, null, 2)}\n`,
  );
  say(`wrote ${out}`);
  return { name: 'HTTP sign-in', lines, ok: true };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runHttpBench((line) => console.log(line));
  if (!result.ok) process.exitCode = 1;
}
