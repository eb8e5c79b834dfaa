import { createMemoryBackend, createMfa } from '@mfa-kit/core';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createAdminRouter } from './create-admin-router.js';
import type { AdminUserView, UserDirectory } from './user-directory.js';

const ORIGIN = 'https://admin.unit.test';
const USERS: AdminUserView[] = [
  { id: 'u1', name: 'Ada', email: 'ada@example.com', orgId: 'acme', roles: ['user'] },
  { id: 'u2', name: 'Bob', email: 'bob@example.com', orgId: 'acme', roles: ['user'] },
];

function createApp(users: UserDirectory) {
  const mfa = createMfa({
    backend: createMemoryBackend(),
    encryption: { keys: { k1: new Uint8Array(32).fill(1) }, currentKeyId: 'k1' },
    hashKey: new Uint8Array(32).fill(2),
    issuer: 'Unit',
  });
  const logged: unknown[] = [];
  const app = express();
  app.use(
    createAdminRouter({
      mfa,
      users,
      allowedOrigins: [ORIGIN],
      privileges: { admin: ['mfa:read', 'mfa:roles'] },
      getActor: () => ({ id: 'admin', orgId: 'acme', roles: ['admin'], mfaCompleted: true, pending: false }),
      onUnexpected: (error) => logged.push(error),
    }),
  );
  return { app, logged };
}

describe('UserDirectory', () => {
  it('may answer synchronously: plain functions list, show and re-role users', async () => {
    const roles = new Map<string, string[]>();
    const { app } = createApp({
      findById: (id) => USERS.find((u) => u.id === id) ?? null,
      search: () => ({ users: USERS, nextCursor: null }),
      setRoles: (userId, next) => {
        roles.set(userId, next);
      },
    });
    const list = await request(app).get('/users');
    expect(list.status).toBe(200);
    expect(list.body.users.map((u: { id: string }) => u.id)).toEqual(['u1', 'u2']);
    const one = await request(app).get('/users/u2');
    expect(one.status).toBe(200);
    expect(one.body.user).toMatchObject({ id: 'u2', name: 'Bob' });
    expect((await request(app).get('/users/nobody')).status).toBe(404);
    const put = await request(app)
      .put('/users/u1/roles')
      .set('Origin', ORIGIN)
      .send({ roles: ['user', 'ops'] });
    expect(put.status).toBe(200);
    expect(roles.get('u1')).toEqual(['user', 'ops']);
  });

  it('a directory that throws synchronously is a 500 reported to onUnexpected, not a crash', async () => {
    const failure = new Error('db down');
    const { app, logged } = createApp({
      findById: () => {
        throw failure;
      },
      search: () => {
        throw failure;
      },
    });
    expect((await request(app).get('/users')).status).toBe(500);
    expect((await request(app).get('/users/u1')).status).toBe(500);
    expect(logged).toContain(failure);
  });
});
