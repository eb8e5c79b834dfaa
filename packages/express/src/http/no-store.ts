import type { RequestHandler } from 'express';

/**
 * Marks every response of a router as uncacheable: `Cache-Control: no-store`
 * (RFC 9111 §5.2.2.5: no cache, shared or private, may store it) and, for
 * HTTP/1.0 caches, `Pragma: no-cache`. Mounted first in the self-service,
 * admin and unlock routers, so it covers every route and every error alike
 * — TOTP secrets and QR codes (`/totp/enrol`), recovery codes
 * (`/totp/confirm`, `/sms/confirm`, `/recovery-codes`), personal data in the
 * admin API — without depending on each route remembering it.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  next();
};
