import type { Request, Response } from 'express';
import type { ResolvedMfaExpressOptions } from '../options.js';

/** The trust token the browser sent in the trusted-device cookie, if any (first cookie of that name). */
export function readTrustCookie(req: Request, kit: ResolvedMfaExpressOptions): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  const name = kit.trustedDevices.cookieName;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}

function cookieOptions(kit: ResolvedMfaExpressOptions) {
  return {
    httpOnly: true,
    secure: kit.trustedDevices.secureCookie,
    sameSite: kit.trustedDevices.sameSite,
    path: '/',
  } as const;
}

/** Gives the browser its trust token: HttpOnly, Secure (unless configured off for http://localhost), SameSite, until `expiresAt`. */
export function setTrustCookie(
  res: Response,
  kit: ResolvedMfaExpressOptions,
  token: string,
  expiresAt: number,
): void {
  res.cookie(kit.trustedDevices.cookieName, token, {
    ...cookieOptions(kit),
    maxAge: Math.max(0, expiresAt - kit.clock.now()),
  });
}

/** Removes the trust cookie (the device was revoked from this browser). */
export function clearTrustCookie(res: Response, kit: ResolvedMfaExpressOptions): void {
  res.clearCookie(kit.trustedDevices.cookieName, cookieOptions(kit));
}

/** The device id of this browser's trust token, for marking "this device" in lists. */
export function currentDeviceId(req: Request, kit: ResolvedMfaExpressOptions): string | null {
  const token = readTrustCookie(req, kit);
  const dot = token?.indexOf('.') ?? -1;
  return token === undefined || dot <= 0 ? null : token.slice(0, dot);
}
