import type { ErrorCode, MfaErrorDetails, RequestContext } from '@mfa-kit/core';
import { sendError } from '@mfa-kit/express';
import type { Request, Response } from 'express';
import type { AppContext } from './context.js';
import type { AppUser } from './users.js';

/** IP and user agent for mfa-kit's events and per-IP limits. */
export function requestContext(req: Request): RequestContext {
  return { ip: req.ip, userAgent: req.get('user-agent') };
}

/** The logged-in app user, or null (pending sessions are not logged in). */
export function currentUser(req: Request, ctx: AppContext): AppUser | null {
  if (!req.isAuthenticated()) return null;
  const id = (req.user as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? ctx.users.findById(id) : null;
}

/** A string field of the JSON body ('' when absent). */
export function field(req: Request, name: string): string {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null) return '';
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

/** Answers a JSON route with the uniform mfa-kit error body. */
export function fail(
  res: Response,
  code: ErrorCode,
  details: MfaErrorDetails & { message?: string } = {},
): void {
  sendError(res, code, details);
}

/** Promisified `req.session.save`. */
export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

/** Promisified `req.session.destroy`. */
export function destroySession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
}

/** Takes the one-shot notice out of the session. */
export function takeNotice(req: Request): string | null {
  const notice = req.session.notice ?? null;
  delete req.session.notice;
  return notice;
}
