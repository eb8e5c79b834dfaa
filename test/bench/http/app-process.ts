/**
 * One benchmarked app in its own process: `tsx app-process.ts <kind> <redis-url> <users>`,
 * forked by the benchmark with an IPC channel. Builds the app, enrols its
 * users, listens on a free loopback port and sends {@link AppReady}.
 */
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { APP_KINDS, type AppKind, type AppReady } from './contract.js';
import { createFloorApp } from './floor-app.js';
import { createMfaKitApp } from './mfa-kit-app.js';
import { createReferenceApp } from './reference-app.js';

const [kind, redisUrl, users] = process.argv.slice(2);
if (!APP_KINDS.includes(kind as AppKind) || !redisUrl || !Number.isInteger(Number(users))) {
  console.error(`usage: app-process.ts <${APP_KINDS.join('|')}> <redis-url> <users>`);
  process.exit(2);
}
const builders = { floor: createFloorApp, reference: createReferenceApp, 'mfa-kit': createMfaKitApp };
const redis = new Redis(redisUrl);
const { app, secrets } = await builders[kind as AppKind](redis, Number(users));
const server = app.listen(0, '127.0.0.1', () => {
  const ready: AppReady = { type: 'ready', port: (server.address() as AddressInfo).port, secrets };
  process.send?.(ready);
});
server.keepAliveTimeout = 60_000;
process.on('disconnect', () => process.exit(0));
