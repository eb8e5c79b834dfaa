/**
 * One benchmarked app in its own process: `tsx app-process.ts <kind> <redis-url> <users>`,
 * forked by the benchmark with an IPC channel. Builds the app, enrols its
 * users, listens on a free loopback port and sends {@link AppReady}.
 *
 * Between phases the benchmark asks for the process's CPU time
 * ({@link AppCpuRequest}), and with `BENCH_HTTP_PROFILE` set it starts and
 * stops a V8 CPU profile per phase ({@link AppProfileRequest}) through the
 * inspector, written as `<dir>/<kind>-r<round>-<phase>.cpuprofile`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { APP_KINDS, type AppKind, type AppMessage, type AppReady, type AppReply } from './contract.js';
import { createFloorApp } from './floor-app.js';
import { createMfaKitApp, MFA_KIT_README_REDIS_OPTIONS } from './mfa-kit-app.js';
import { createReferenceApp } from './reference-app.js';

const [kind, redisUrl, users] = process.argv.slice(2);
if (!APP_KINDS.includes(kind as AppKind) || !redisUrl || !Number.isInteger(Number(users))) {
  console.error(`usage: app-process.ts <${APP_KINDS.join('|')}> <redis-url> <users>`);
  process.exit(2);
}
const builders = { floor: createFloorApp, reference: createReferenceApp, 'mfa-kit': createMfaKitApp };
// mfa-kit's client as `packages/express/README.md` creates it; the others as connect-redis documents.
// BENCH_HTTP_ALL_AUTOPIPELINE: the floor and the reference autopipeline too (not in their documentation;
// shows how much of mfa-kit's lead is the README's client option).
const redis =
  kind === 'mfa-kit'
    ? new Redis(redisUrl, { ...MFA_KIT_README_REDIS_OPTIONS, lazyConnect: true })
    : new Redis(redisUrl, { enableAutoPipelining: process.env['BENCH_HTTP_ALL_AUTOPIPELINE'] !== undefined });
if (kind === 'mfa-kit') await redis.connect(); // no offline queue: connected before the first command
const { app, secrets } = await builders[kind as AppKind](redis, Number(users));
let inspector: Session | null = null;
process.on('message', async (message: AppMessage) => {
  let reply: AppReply;
  if (message.type === 'cpu') {
    const usage = process.cpuUsage();
    reply = { type: 'cpu', id: message.id, micros: usage.user + usage.system };
  } else if (message.type === 'profile-start') {
    if (inspector === null) {
      inspector = new Session();
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
    }
    await inspector.post('Profiler.start');
    if (process.env['BENCH_HTTP_HEAP'])
      await inspector.post('HeapProfiler.startSampling', {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    reply = { type: 'done', id: message.id };
  } else {
    const { profile } = await inspector!.post('Profiler.stop');
    mkdirSync(message.dir, { recursive: true });
    writeFileSync(join(message.dir, message.file), JSON.stringify(profile));
    if (process.env['BENCH_HTTP_HEAP']) {
      const { profile: heap } = await inspector!.post('HeapProfiler.stopSampling');
      writeFileSync(
        join(message.dir, message.file.replace(/\.cpuprofile$/, '.heapprofile')),
        JSON.stringify(heap),
      );
    }
    reply = { type: 'done', id: message.id };
  }
  process.send?.(reply);
});
const server = app.listen(0, '127.0.0.1', () => {
  const ready: AppReady = { type: 'ready', port: (server.address() as AddressInfo).port, secrets };
  process.send?.(ready);
});
server.keepAliveTimeout = 60_000;
process.on('disconnect', () => process.exit(0));
