/**
 * Before/after for mfa-kit alone: the mfa-kit bench app of another checkout
 * (`BENCH_AB_BASE`, e.g. a `git worktree` of an older commit with its packages
 * built) and of this one, interleaved round by round (base, new, base, …) on
 * one private Redis, through the HTTP benchmark's driver and phases. Prints,
 * per phase, the median CPU µs per request (app process + Redis) of each and
 * the median of the per-round ratios base ÷ new (above 1: this checkout does
 * less work per request), and new ÷ base rps.
 *
 * The base checkout must have this checkout's `test/bench/http/` (copy it
 * over): its app process has to answer the CPU questions between phases.
 *
 * `BENCH_AB_BASE=/path/to/base BENCH_AB_ROUNDS=5 npx tsx test/bench/http-ab.ts`
 * (after building the packages of both checkouts). The sizes are the HTTP
 * benchmark's defaults (2,000 users, 500 warm-up, 10,000 GETs);
 * `BENCH_AB_USERS` sets the users.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startRedisServer } from '../harness/index.js';
import { PHASES, type RunOptions, runApp } from './http/run-app.js';

const base = process.env['BENCH_AB_BASE'];
if (!base) {
  console.error('usage: BENCH_AB_BASE=<another checkout> [BENCH_AB_ROUNDS=5] npx tsx test/bench/http-ab.ts');
  process.exit(2);
}
const rounds = Number(process.env['BENCH_AB_ROUNDS'] ?? 5);
const sides = {
  base: join(base, 'test/bench/http/app-process.ts'),
  new: fileURLToPath(new URL('./http/app-process.ts', import.meta.url)),
};
const server = await startRedisServer();
const redis = new Redis(server.url);
const options: RunOptions = {
  users: Number(process.env['BENCH_AB_USERS'] ?? 2000),
  warmup: 500,
  gets: 10_000,
  concurrency: 50,
  burst: 200,
  profileDir: null,
};
const cpu: Record<string, Record<string, number[]>> = { base: {}, new: {} };
const rps: Record<string, Record<string, number[]>> = { base: {}, new: {} };
try {
  for (let round = 1; round <= rounds; round++) {
    for (const [side, appProcess] of Object.entries(sides)) {
      const run = await runApp('mfa-kit', round, redis, server.url, { ...options, appProcess }, (line) =>
        console.log(`${side} ${line}`),
      );
      for (const [phase, result] of Object.entries(run.phases)) {
        cpu[side]![phase] = [...(cpu[side]![phase] ?? []), result.cpu.appMicros + result.cpu.redisMicros];
        rps[side]![phase] = [...(rps[side]![phase] ?? []), result.rps];
      }
    }
  }
} finally {
  redis.disconnect();
  await server.stop();
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
for (const phase of PHASES) {
  const before = cpu['base']![phase]!;
  const after = cpu['new']![phase]!;
  const ratios = before.map((value, i) => value / after[i]!);
  const rpsRatios = rps['new']![phase]!.map((value, i) => value / rps['base']![phase]![i]!);
  console.log(
    `${phase}: CPU µs/request base ${median(before).toFixed(0)}, new ${median(after).toFixed(0)}; ` +
      `base ÷ new per round ${ratios.map((r) => r.toFixed(2)).join(' ')} (median ${median(ratios).toFixed(2)}); ` +
      `new ÷ base rps median ${median(rpsRatios).toFixed(2)}`,
  );
}
