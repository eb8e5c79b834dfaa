import { createMemoryBackend, createMfa, type MfaPolicy } from '@mfa-kit/core';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { AdminCaller } from './caller.js';
import { createAdminRouter } from './create-admin-router.js';
import type { AdminUserView } from './user-directory.js';

const ORIGIN = 'https://admin.unit.test';

/** An admin router whose caller and directory are whatever the test says (a custom `getActor`). */
function createApp(caller: Omit<AdminCaller, 'mfaCompleted' | 'pending'>, users: AdminUserView[]) {
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
      users: {
        findById: async (id) => users.find((u) => u.id === id) ?? null,
        search: async () => ({ users, nextCursor: null }),
      },
      allowedOrigins: [ORIGIN],
      privileges: {
        admin: ['mfa:read', 'mfa:reset', 'mfa:policy'],
        platform: ['mfa:read', 'mfa:reset', 'mfa:all-orgs'],
      },
      getActor: () => ({ ...caller, mfaCompleted: true, pending: false }),
      onUnexpected: (error) => logged.push(error),
    }),
  );
  return { app, mfa, logged };
}

const WIDE: MfaPolicy = {
  requiredRoles: [],
  requiredOrgs: [],
  rollout: { mode: 'all' },
  grace: null,
  allowSelfUnlock: true,
};

describe('admin org scope with a custom getActor', () => {
  it('a caller whose orgId is the number 42 is a CONFIGURATION error on every route, never instance-wide', async () => {
    const { app, mfa, logged } = createApp({ id: 'a', orgId: 42 as unknown as string, roles: ['admin'] }, []);
    const before = await mfa.admin.getPolicy();
    const put = await request(app).put('/policy').set('Origin', ORIGIN).send(WIDE);
    expect(put.status).toBe(500);
    expect(put.body.error).toEqual({
      code: 'CONFIGURATION',
      message: 'mfa-kit is not configured correctly.',
    });
    for (const path of ['/policy', '/users', '/me/capabilities'])
      expect((await request(app).get(path)).status).toBe(500);
    expect(await mfa.admin.getPolicy()).toEqual(before);
    expect(logged.length).toBeGreaterThanOrEqual(4);
    for (const orgId of ['', { id: 'acme' }, ['acme']]) {
      const other = createApp({ id: 'a', orgId: orgId as unknown as string, roles: ['admin'] }, []);
      expect((await request(other.app).put('/policy').set('Origin', ORIGIN).send(WIDE)).status).toBe(500);
    }
    // The same admin with a string org id is an organisation admin: instance-wide fields are FORBIDDEN.
    const scoped = createApp({ id: 'a', orgId: '42', roles: ['admin'] }, []);
    const refused = await request(scoped.app).put('/policy').set('Origin', ORIGIN).send(WIDE);
    expect(refused.status).toBe(403);
    expect(refused.body.error.fields).toBeDefined();
  });

  it('a directory user whose orgId is the number 42 is never acted on, even by a cross-org admin', async () => {
    const numeric = {
      id: 'n',
      name: 'N',
      email: 'n@x.test',
      orgId: 42 as unknown as string,
      roles: ['user'],
    };
    const { app, logged } = createApp({ id: 'p', orgId: 'acme', roles: ['platform'] }, [numeric]);
    const reset = await request(app).post('/users/n/reset').set('Origin', ORIGIN).send({});
    expect(reset.status).toBe(500);
    expect(reset.body.error.code).toBe('CONFIGURATION');
    expect((await request(app).get('/users')).status).toBe(500);
    expect(logged.length).toBe(2);
  });
});
