import { ErrorCode, MfaError } from '@mfa-kit/core';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createErrorHandler } from './send-error.js';

/** An app whose one route fails with `error`, behind mfa-kit's JSON parser and error handler. */
function failingApp(error: () => unknown) {
  const logged: unknown[] = [];
  const app = express();
  app.use(express.json({ limit: '1kb' }));
  app.post('/x/:id', () => {
    throw error();
  });
  app.use(createErrorHandler((e) => logged.push(e)));
  return { app, logged };
}

describe('createErrorHandler: clients get the code’s stable message and only the details meant for them', () => {
  it('server-side codes: generic message, nothing else; the full error goes to onUnexpected', async () => {
    const cases: [MfaError, number][] = [
      [
        new MfaError('KEY_UNAVAILABLE', {
          message: 'Encryption key "k-2024" is not configured; add it to the key ring to read this value.',
        }),
        500,
      ],
      [
        new MfaError('CONFIGURATION', {
          message: 'createAdminRouter: unknown privilege "mfa:x" for role "ops".',
        }),
        500,
      ],
      [
        new MfaError('STORE_UNAVAILABLE', {
          message: 'Redis 10.0.0.7:6379 refused AUTH',
          retryAfterMs: 2000,
        }),
        503,
      ],
    ];
    for (const [error, status] of cases) {
      const { app, logged } = failingApp(() => error);
      const response = await request(app).post('/x/1').send({});
      expect(response.status).toBe(status);
      const expected: Record<string, unknown> = { code: error.code, message: ErrorCode[error.code] };
      if (error.details.retryAfterMs !== undefined) expected['retryAfter'] = 2;
      expect(response.body).toEqual({ error: expected });
      expect(response.text).not.toContain(error.message);
      expect(logged).toEqual([error]);
    }
  });

  it('keeps VALIDATION/FORBIDDEN fields, SMS hints and provider codes, retryAfter; never the thrown message', async () => {
    const cases: [MfaError, Record<string, unknown>][] = [
      [
        new MfaError('VALIDATION', { message: 'zod: internal', fields: { code: 'Required' } }),
        { fields: { code: 'Required' } },
      ],
      [
        new MfaError('FORBIDDEN', {
          message: 'Only…',
          fields: { requiredRoles: 'Outside your organisation.' },
        }),
        { fields: { requiredRoles: 'Outside your organisation.' } },
      ],
      [
        new MfaError('SMS_FAILURE', {
          message: 'Twilio said 21610',
          hint: 'Reply START to resubscribe.',
          providerCode: 21610,
        }),
        { hint: 'Reply START to resubscribe.', providerCode: 21610 },
      ],
      [
        new MfaError('COOLDOWN', { message: 'family verification', retryAfterMs: 61_000 }),
        { retryAfter: 61 },
      ],
      [new MfaError('INVALID_CODE', { message: 'step 57 reused', fields: { x: 'y' }, hint: 'h' }), {}],
    ];
    for (const [error, extra] of cases) {
      const { app, logged } = failingApp(() => error);
      const response = await request(app).post('/x/1').send({});
      expect(response.body).toEqual({
        error: { code: error.code, message: ErrorCode[error.code], ...extra },
      });
      expect(logged).toEqual([]);
    }
  });

  it('labels only a JSON parse failure "not valid JSON"; other body and client errors get their own status', async () => {
    const { app, logged } = failingApp(() => new Error('unreachable'));
    const post = () => request(app).post('/x/1').set('Content-Type', 'application/json');
    const malformed = await post().send('{"code":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toEqual({
      code: 'VALIDATION',
      message: 'The request body is not valid JSON.',
    });
    const huge = await post().send(JSON.stringify({ code: 'x'.repeat(5000) }));
    expect(huge.status).toBe(413);
    expect(huge.body.error).toEqual({ code: 'VALIDATION', message: 'The request body is too large.' });
    const charset = await request(app)
      .post('/x/1')
      .set('Content-Type', 'application/json; charset=klingon')
      .send('{}');
    expect(charset.status).toBe(415);
    expect(charset.body.error.message).toMatch(/charset is not supported/);
    const encoding = await post().set('Content-Encoding', 'x-unknown').send('{}');
    expect(encoding.status).toBe(415);
    expect(encoding.body.error.message).toMatch(/encoding is not supported/);
    // A malformed path parameter is Express's own 400: a bad request, not bad JSON.
    const param = await request(app).post('/x/%E0%A4%A').send({});
    expect(param.status).toBe(400);
    expect(param.body.error).toEqual({ code: 'VALIDATION', message: ErrorCode.VALIDATION });
    expect(logged).toEqual([]);
  });

  it('other 4xx errors keep their status with the matching code; anything else is a logged 500', async () => {
    const notFound = failingApp(() => Object.assign(new Error('no route to /internal/x'), { status: 404 }));
    const response = await request(notFound.app).post('/x/1').send({});
    expect(response.status).toBe(404);
    expect(response.body.error).toEqual({ code: 'NOT_FOUND', message: ErrorCode.NOT_FOUND });
    const crash = failingApp(() => new Error('secret detail'));
    const crashed = await request(crash.app).post('/x/1').send({});
    expect(crashed.status).toBe(500);
    expect(crashed.body).toEqual({ error: { code: 'INTERNAL', message: 'Something went wrong.' } });
    expect(crash.logged).toHaveLength(1);
    const teapot = failingApp(() => Object.assign(new Error('x'), { status: 600 }));
    expect((await request(teapot.app).post('/x/1').send({})).status).toBe(500);
  });
});
