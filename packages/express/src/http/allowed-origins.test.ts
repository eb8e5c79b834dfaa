import { isMfaError, type Mfa } from '@mfa-kit/core';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createAdminRouter } from '../admin/create-admin-router.js';
import { createUnlockRouter } from '../admin/create-unlock-router.js';
import type { UserDirectory } from '../admin/user-directory.js';
import { parseAllowedOrigins } from './allowed-origins.js';
import { checkOrigin } from './check-origin.js';

function configurationError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isMfaError(error, 'CONFIGURATION')) return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe('allowedOrigins are checked at creation', () => {
  it('refuses anything that is not an http(s) origin with CONFIGURATION', () => {
    const bad: unknown[] = [
      [],
      undefined,
      'https://app.example',
      ['app.example'],
      ['https://app.example/login'],
      ['https://user@app.example'],
      ['https://user:pw@app.example'],
      ['https://app.example?x=1'],
      ['https://app.example/#top'],
      ['ftp://app.example'],
      ['file:///tmp/app'],
      ['null'],
      [42],
    ];
    for (const origins of bad) {
      expect(
        configurationError(() => parseAllowedOrigins(origins, 'test')),
        JSON.stringify(origins),
      ).toMatch(/^test: /);
      expect(configurationError(() => checkOrigin({ allowedOrigins: origins as string[] }))).toMatch(
        /^checkOrigin: /,
      );
    }
  });

  it('every router refuses a bad origin when it is created, not at its first request', () => {
    const mfa = {} as Mfa;
    const allowedOrigins = ['https://user@app.example'];
    expect(
      configurationError(() => createAdminRouter({ mfa, users: {} as UserDirectory, allowedOrigins })),
    ).toMatch(/^createAdminRouter: /);
    expect(
      configurationError(() =>
        createUnlockRouter({ mfa, findUserByIdentifier: async () => null, allowedOrigins }),
      ),
    ).toMatch(/^checkOrigin: /);
  });

  it('stores the canonical serialisation of each origin', () => {
    expect(
      parseAllowedOrigins(
        ['HTTPS://App.Example:443/', 'http://localhost:3000', 'http://LOCALHOST:3000'],
        'test',
      ),
    ).toEqual(['https://app.example', 'http://localhost:3000']);
  });

  it('a non-canonically configured origin matches the browser’s canonical Origin, and only that', async () => {
    const app = express();
    app.post('/x', checkOrigin({ allowedOrigins: ['HTTP://App.Example:80/'] }), (_req, res) => {
      res.json({ ok: true });
    });
    expect((await request(app).post('/x').set('Origin', 'http://app.example')).status).toBe(200);
    expect((await request(app).post('/x').set('Referer', 'http://app.example/page?q=1')).status).toBe(200);
    for (const origin of ['HTTP://App.Example:80', 'http://app.example:80', 'http://App.Example']) {
      expect((await request(app).post('/x').set('Origin', origin)).status, origin).toBe(403);
    }
    // requireOrigin: false lets header-less clients through, never a wrong header.
    const open = express();
    open.post(
      '/x',
      checkOrigin({ allowedOrigins: ['http://app.example'], requireOrigin: false }),
      (_req, res) => {
        res.json({ ok: true });
      },
    );
    expect((await request(open).post('/x')).status).toBe(200);
    expect((await request(open).post('/x').set('Origin', 'HTTP://app.example')).status).toBe(403);
  });
});
