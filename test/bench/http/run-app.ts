/**
 * One run of one app: a fresh app process on a flushed Redis, then the
 * scenarios in order (password step for every user, one wrong code per
 * user, the correct code per user, authenticated GETs spread over the
 * signed-in users, a guess burst at one user with the correct code last, a
 * replayed code from a second session), with `INFO commandstats` deltas per
 * phase.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decodeBase32, generateTOTP } from '@mfa-kit/core';
import type { Redis } from 'ioredis';
import { type AppKind, type AppMessage, type AppReady, type AppReply, benchUser } from './contract.js';
import { type Client, newClient, type PhaseTiming, Pool, runPhase, send, userIp } from './driver.js';

export interface RunOptions {
  users: number;
  /** Users signed in (password, wrong code, correct code, GET) before the measured phases, to warm the JIT. */
  warmup: number;
  gets: number;
  concurrency: number;
  burst: number;
  /** A folder for one V8 CPU profile per app, round and phase (`BENCH_HTTP_PROFILE`), or null. */
  profileDir: string | null;
  /** The app process to fork: this checkout's `app-process.ts` unless given (`http-ab.ts` runs another checkout's). */
  appProcess?: string;
}

export const PHASES = ['password', 'wrong', 'correct', 'get'] as const;
export type PhaseName = (typeof PHASES)[number];

export interface PhaseResult extends PhaseTiming {
  /** Redis commands per request in this phase (`INFO commandstats` delta ÷ requests), by command. */
  redis: { perRequest: number; byCommand: Record<string, number> };
  /**
   * CPU time per request in microseconds: the app process (`process.cpuUsage()`, user + system) and
   * the Redis server (`INFO cpu`, user + system), deltas around the phase. Less noisy than rps on a
   * shared machine: it counts the work, not the waiting.
   */
  cpu: { appMicros: number; redisMicros: number; driverMicros: number };
}

export interface Correctness {
  correctAccepted: number;
  wrongAccepted: number | null;
  getsAllowed: number;
  /** Burst: wrong guesses accepted, and whether the correct guess sent last was accepted. */
  burst: {
    guesses: number;
    wrongAccepted: number;
    lateCorrectAccepted: boolean;
    statuses: Record<string, number>;
  } | null;
  /** Replay: the first use accepted, and the same code accepted again from a second session. */
  replay: { firstAccepted: boolean; replayAccepted: boolean } | null;
}

export interface RunResult {
  app: AppKind;
  round: number;
  phases: Partial<Record<PhaseName, PhaseResult>>;
  correctness: Correctness;
}

const APP_PROCESS = fileURLToPath(new URL('./app-process.ts', import.meta.url));

/** The TOTP code of `secret` at `timeInMs` (RFC 6238 defaults). */
export function code(secret: string, timeInMs: number): string {
  return generateTOTP(decodeBase32(secret), { timeInMs, periodInSeconds: 30, digits: 6, algorithm: 'SHA1' });
}

/** `count` distinct codes that are none of the codes accepted around now (±1 step, and the step after). */
export function wrongCodes(secret: string | null, count: number): string[] {
  const now = Date.now();
  const valid =
    secret === null
      ? new Set<string>()
      : new Set([-30_000, 0, 30_000, 60_000].map((d) => code(secret, now + d)));
  const codes: string[] = [];
  for (let n = 0; codes.length < count; n++) {
    const candidate = String(n * 7919).padStart(6, '0');
    if (!valid.has(candidate)) codes.push(candidate);
  }
  return codes;
}

async function commandCalls(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (match[1] === 'info' || match[1]!.startsWith('config')) continue;
    calls.set(match[1]!, Number(match[2]));
  }
  return calls;
}

/** The Redis server's CPU time so far (user + system), in microseconds. */
async function redisCpuMicros(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1e6;
}

async function startApp(kind: AppKind, redisUrl: string, users: number, appProcess = APP_PROCESS) {
  const child: ChildProcess = fork(appProcess, [kind, redisUrl, String(users)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<AppReady>((resolve, reject) => {
    child.once('message', (message) => resolve(message as AppReady));
    child.once('exit', (status) =>
      reject(new Error(`bench: the ${kind} app exited (${status}) before listening`)),
    );
    child.once('error', reject);
  });
  let nextId = 0;
  const ask = (message: Omit<AppMessage, 'id'>) =>
    new Promise<AppReply>((resolve) => {
      const id = nextId++;
      const listener = (reply: AppReply) => {
        if (reply.id !== id) return;
        child.off('message', listener);
        resolve(reply);
      };
      child.on('message', listener);
      child.send({ ...message, id });
    });
  return {
    ready,
    async cpuMicros(): Promise<number> {
      const reply = await ask({ type: 'cpu' });
      return reply.type === 'cpu' ? reply.micros : Number.NaN;
    },
    async profile(action: 'start' | { dir: string; file: string }) {
      await ask(action === 'start' ? { type: 'profile-start' } : { type: 'profile-stop', ...action });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function runApp(
  kind: AppKind,
  round: number,
  redis: Redis,
  redisUrl: string,
  options: RunOptions,
  log: (line: string) => void,
): Promise<RunResult> {
  const { users, warmup, gets, concurrency, burst, profileDir } = options;
  await redis.flushall();
  const app = await startApp(kind, redisUrl, users + 2 + warmup, options.appProcess);
  const origin = `http://127.0.0.1:${app.ready.port}`;
  const pool = new Pool(origin, { connections: concurrency, keepAliveTimeout: 60_000 });
  const secrets = app.ready.secrets;
  const clients: Client[] = Array.from({ length: users }, (_, i) => newClient(userIp(i)));
  const phases: RunResult['phases'] = {};
  const hasMfa = kind !== 'floor';
  try {
    await warm(pool, users + 2, warmup, secrets, concurrency);
    const phase = async (
      name: PhaseName,
      count: number,
      request: (i: number) => Promise<{ status: number; body: string }>,
    ) => {
      if (profileDir !== null) await app.profile('start');
      await redis.config('RESETSTAT');
      const [appBefore, redisBefore] = await Promise.all([app.cpuMicros(), redisCpuMicros(redis)]);
      const driverBefore = process.cpuUsage();
      const timing = await runPhase(count, concurrency, request);
      const driverUsage = process.cpuUsage(driverBefore);
      const [appAfter, redisAfter] = await Promise.all([app.cpuMicros(), redisCpuMicros(redis)]);
      const calls = await commandCalls(redis);
      if (profileDir !== null)
        await app.profile({ dir: profileDir, file: `${kind}-r${round}-${name}.cpuprofile` });
      const cpu = {
        appMicros: (appAfter - appBefore) / count,
        redisMicros: (redisAfter - redisBefore) / count,
        driverMicros: (driverUsage.user + driverUsage.system) / count,
      };
      const byCommand: Record<string, number> = {};
      let total = 0;
      for (const [command, n] of calls) {
        byCommand[command] = n / count;
        total += n;
      }
      phases[name] = { ...timing, redis: { perRequest: total / count, byCommand }, cpu };
      log(
        `${kind} round ${round}: ${name.padEnd(8)} ${String(Math.round(timing.rps)).padStart(6)} rps  ` +
          `p50 ${timing.p50Ms.toFixed(1)} ms  p99 ${timing.p99Ms.toFixed(1)} ms  ` +
          `${(total / count).toFixed(1)} Redis commands/request  ` +
          `CPU µs/request app ${cpu.appMicros.toFixed(0)} Redis ${cpu.redisMicros.toFixed(0)} driver ${cpu.driverMicros.toFixed(0)}  ${JSON.stringify(timing.statuses)}`,
      );
    };

    await phase('password', users, (i) =>
      send(pool, clients[i]!, 'POST', '/login', {
        username: benchUser(i).username,
        password: benchUser(i).password,
      }),
    );
    if (hasMfa) {
      await phase('wrong', users, (i) =>
        send(pool, clients[i]!, 'POST', '/login/totp', { code: wrongCodes(secrets[i] ?? null, 1)[0] }),
      );
    }
    await phase('correct', users, (i) => {
      const secret = secrets[i];
      return send(pool, clients[i]!, 'POST', '/login/totp', {
        code: secret ? code(secret, Date.now()) : '000000',
      });
    });
    await phase('get', gets, (i) => send(pool, clients[i % users]!, 'GET', '/app'));

    const correctness: Correctness = {
      correctAccepted: phases.correct?.statuses['200'] ?? 0,
      wrongAccepted: hasMfa ? (phases.wrong?.statuses['200'] ?? 0) : null,
      getsAllowed: phases.get?.statuses['200'] ?? 0,
      burst: null,
      replay: null,
    };
    if (hasMfa) {
      correctness.burst = await guessBurst(origin, users, secrets[users]!, burst);
      correctness.replay = await replay(pool, users + 1, secrets[users + 1]!);
      log(
        `${kind} round ${round}: burst of ${burst} at one user: late correct guess ` +
          `${correctness.burst.lateCorrectAccepted ? 'ACCEPTED' : 'refused'} ${JSON.stringify(correctness.burst.statuses)}; ` +
          `replayed code from a second session ${correctness.replay.replayAccepted ? 'ACCEPTED' : 'refused'}`,
      );
    }
    return { app: kind, round, phases, correctness };
  } finally {
    await pool.close();
    await app.stop();
  }
}

/** Signs users `from`…`from + count - 1` in (a wrong code first), unmeasured. */
async function warm(
  pool: Pool,
  from: number,
  count: number,
  secrets: Array<string | null>,
  concurrency: number,
) {
  await runPhase(count, concurrency, async (i) => {
    const index = from + i;
    const client = newClient(userIp(index));
    const user = benchUser(index);
    const secret = secrets[index] ?? null;
    await send(pool, client, 'POST', '/login', { username: user.username, password: user.password });
    if (secret !== null) await send(pool, client, 'POST', '/login/totp', { code: wrongCodes(secret, 1)[0] });
    await send(pool, client, 'POST', '/login/totp', {
      code: secret === null ? '000000' : code(secret, Date.now()),
    });
    return send(pool, client, 'GET', '/app');
  });
}

/** An attacker who knows user `index`'s password sends `count` guesses at once on one pending session, the correct code last. */
async function guessBurst(origin: string, index: number, secret: string, count: number) {
  const attacker = newClient('203.0.113.7');
  const pool = new Pool(origin, { connections: count });
  try {
    const user = benchUser(index);
    await send(pool, attacker, 'POST', '/login', { username: user.username, password: user.password });
    const guesses = [...wrongCodes(secret, count - 1), code(secret, Date.now())];
    const replies = await Promise.all(
      guesses.map((guess) => send(pool, { ...attacker }, 'POST', '/login/totp', { code: guess })),
    );
    const statuses: Record<string, number> = {};
    for (const reply of replies) statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
    return {
      guesses: count,
      wrongAccepted: replies.slice(0, -1).filter((reply) => reply.status === 200).length,
      lateCorrectAccepted: replies.at(-1)?.status === 200,
      statuses,
    };
  } finally {
    await pool.close();
  }
}

/** The user signs in with a code; a second session (who saw it) sends the same code after the password step. */
async function replay(pool: Pool, index: number, secret: string) {
  const user = benchUser(index);
  const credentials = { username: user.username, password: user.password };
  const victim = newClient('198.51.100.10');
  const attacker = newClient('203.0.113.8');
  const seen = code(secret, Date.now());
  await send(pool, victim, 'POST', '/login', credentials);
  const first = await send(pool, victim, 'POST', '/login/totp', { code: seen });
  await send(pool, attacker, 'POST', '/login', credentials);
  const again = await send(pool, attacker, 'POST', '/login/totp', { code: seen });
  return { firstAccepted: first.status === 200, replayAccepted: again.status === 200 };
}
