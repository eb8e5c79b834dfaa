import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';

/** The exact message the harness fails with when it can neither start nor find a Redis. */
export const REDIS_MISSING_MESSAGE = 'redis-server not found: apt-get install redis-server, or set REDIS_URL';

/** Loopback only: test servers are never reachable from outside the machine. */
export const LOOPBACK = '127.0.0.1';

/** True when a `redis-server` binary is on the PATH. */
export function hasRedisServer(): boolean {
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, LOOPBACK, () => server.close(() => resolve(true)));
  });
}

function ephemeralPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A free loopback port, found by binding port 0 and closing it. With
 * `withClusterBus`, port + 10000 (Redis Cluster's bus port) must be free too.
 * Another process may still grab the port before redis binds it, which is why
 * {@link startRedisProcess} retries.
 */
export async function findFreePort(withClusterBus = false): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = await ephemeralPort();
    if (!withClusterBus) return port;
    if (port + 10_000 <= 65_535 && (await portIsFree(port + 10_000))) return port;
  }
  throw new Error('test harness: no free loopback port found');
}

/**
 * Sends one inline Redis command over a raw socket and resolves with the reply
 * text once `done(reply)` is true. Used only for readiness checks, so the
 * harness does not depend on a client library being connected.
 */
export function rawCommand(
  port: number,
  command: string,
  done: (reply: string) => boolean,
  timeoutMs = 1_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let reply = '';
    const socket = createConnection({ host: LOOPBACK, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply to ${command} on port ${port}`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (done(reply)) {
        clearTimeout(timer);
        socket.end();
        resolve(reply);
      }
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` resolves true or `timeoutMs` passes. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`test harness: timed out waiting for ${what}`);
}

/** A redis-server child process started by the harness. */
export interface RedisProcess {
  port: number;
  child: ChildProcess;
}

/** Options for {@link startRedisProcess}. */
export interface StartRedisOptions {
  /** Directory for the log file and (cluster mode) the nodes file. */
  dir: string;
  /** A fixed port (restart of a stopped server); otherwise a free one is chosen. */
  port?: number;
  cluster?: boolean;
}

function redisArgs(port: number, options: StartRedisOptions): string[] {
  const args = [
    '--port',
    String(port),
    '--bind',
    LOOPBACK,
    '--protected-mode',
    'no',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    options.dir,
    '--logfile',
    join(options.dir, `redis-${port}.log`),
  ];
  if (options.cluster) {
    args.push('--cluster-enabled', 'yes', '--cluster-config-file', join(options.dir, `nodes-${port}.conf`));
  }
  return args;
}

function readLog(dir: string, port: number): string {
  try {
    return readFileSync(join(dir, `redis-${port}.log`), 'utf8').slice(-2_000);
  } catch {
    return '(no log)';
  }
}

/**
 * Kills the harness's redis-servers when the process that started them dies
 * without tearing down (a crash, or a SIGKILL/SIGTERM from a timeout), which
 * no in-process `exit` hook survives. It is a tiny node process that learns
 * pids and dirs on its stdin and acts when stdin closes: the kernel closes
 * the pipe when its parent dies, however it dies.
 */
const WATCHDOG_SOURCE = `
const { rmSync } = require('node:fs');
const pids = new Set(); const dirs = new Set(); let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  const lines = buffer.split('\\n'); buffer = lines.pop();
  for (const line of lines) {
    const [op, value] = [line[0], line.slice(1)];
    if (op === '+') pids.add(Number(value)); else if (op === '-') pids.delete(Number(value));
    else if (op === 'd') dirs.add(value); else if (op === 'r') dirs.delete(value);
  }
});
process.stdin.on('close', () => {
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch {} }
  setTimeout(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); process.exit(0); }, 200);
});
process.on('SIGTERM', () => process.exit(0));
`;

let watchdog: ChildProcess | null = null;

function tellWatchdog(line: string): void {
  if (watchdog === null) {
    watchdog = spawn(process.execPath, ['-e', WATCHDOG_SOURCE], { stdio: ['pipe', 'ignore', 'ignore'] });
    watchdog.on('error', () => undefined);
    watchdog.stdin?.on('error', () => undefined);
    watchdog.unref();
    (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  }
  watchdog.stdin?.write(`${line}\n`);
}

/** Registers a temp dir for removal if the owning process dies without cleaning up. */
export function watchDir(dir: string): void {
  tellWatchdog(`d${dir}`);
}

/** Forgets a temp dir that was removed normally. */
export function unwatchDir(dir: string): void {
  tellWatchdog(`r${dir}`);
}

/** Children still running; killed if the owning process exits without stopping them. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Registers a child process with the watchdog (SIGKILLed if this test process
 * dies without stopping it) and with an `exit` hook; both forget it when it
 * exits. Re-exported as `trackProcess` from `index.ts`.
 */
export function track(child: ChildProcess): void {
  if (child.pid === undefined) return;
  const pid = child.pid;
  live.add(child);
  tellWatchdog(`+${pid}`);
  child.once('exit', () => {
    live.delete(child);
    tellWatchdog(`-${pid}`);
  });
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const orphan of live) orphan.kill('SIGKILL');
    });
  }
}

async function startOnce(port: number, options: StartRedisOptions): Promise<RedisProcess> {
  const child = spawn('redis-server', redisArgs(port, options), { stdio: 'ignore' });
  track(child);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  spawnError.catch(() => undefined);
  const ready = waitFor(
    `redis-server on port ${port}`,
    async () => {
      if (exited) throw new Error(`redis-server on port ${port} exited: ${readLog(options.dir, port)}`);
      const reply = await rawCommand(port, 'PING', (r) => r.includes('\r\n'));
      return reply.startsWith('+PONG');
    },
    10_000,
  );
  try {
    await Promise.race([ready, spawnError]);
  } catch (error) {
    await stopRedisProcess({ port, child });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(REDIS_MISSING_MESSAGE);
    throw new Error(`redis-server on port ${port} did not start: ${readLog(options.dir, port)}`, {
      cause: error,
    });
  }
  if (exited) throw new Error(`redis-server on port ${port} exited: ${readLog(options.dir, port)}`);
  return { port, child };
}

/**
 * Starts a redis-server and waits until it answers PING. Without a fixed
 * port it retries on fresh ports, because a free port can be taken by a
 * concurrent process between the probe and redis binding it.
 */
export async function startRedisProcess(options: StartRedisOptions): Promise<RedisProcess> {
  if (options.port !== undefined) return startOnce(options.port, options);
  let lastError: unknown;
  for (let tries = 0; tries < 5; tries++) {
    const port = await findFreePort(options.cluster === true);
    try {
      return await startOnce(port, options);
    } catch (error) {
      if (error instanceof Error && error.message === REDIS_MISSING_MESSAGE) throw error;
      lastError = error;
    }
  }
  throw new Error('test harness: could not start redis-server', { cause: lastError });
}

/** Stops a harness-started redis-server (SIGTERM, then SIGKILL after 5 s) and waits for its exit. */
export async function stopRedisProcess(server: RedisProcess): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Builds a Redis Cluster with `redis-cli --cluster create` over already
 * started cluster-enabled nodes (no replicas), then waits until every node
 * reports `cluster_state:ok`.
 */
export async function createCluster(ports: readonly number[]): Promise<void> {
  const result = spawnSync(
    'redis-cli',
    [
      '--cluster',
      'create',
      ...ports.map((port) => `${LOOPBACK}:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(`redis-cli --cluster create failed: ${result.stderr ?? ''}${result.stdout ?? ''}`, {
      cause: result.error,
    });
  }
  for (const port of ports) {
    await waitFor(
      `cluster_state:ok on port ${port}`,
      async () =>
        (await rawCommand(port, 'CLUSTER INFO', (r) => /cluster_state:\w+\r\n/.test(r))).includes(
          'cluster_state:ok\r\n',
        ),
      30_000,
    );
  }
}
