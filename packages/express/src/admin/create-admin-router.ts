import { MfaError } from '@mfa-kit/core';
import express, { type RequestHandler, type Router } from 'express';
import { parseAllowedOrigins } from '../http/allowed-origins.js';
import { checkOrigin } from '../http/check-origin.js';
import { noStore } from '../http/no-store.js';
import { createErrorHandler } from '../http/send-error.js';
import { readSessionCaller } from './caller.js';
import { createAdminGuard } from './guard.js';
import {
  type AdminRouterOptions,
  DEFAULT_CSV_MAX_ROWS,
  DEFAULT_PAGE_SIZE,
  DEFAULT_RECENT_EVENTS,
  type ResolvedAdminRouterOptions,
} from './options.js';
import { DEFAULT_PRIVILEGES, Privilege } from './privileges.js';
import { createCapabilitiesHandler } from './routes/capabilities.js';
import { createClearAddressHandler } from './routes/clear-address.js';
import { createExportEventsHandler } from './routes/export-events.js';
import { createGetPolicyHandler } from './routes/get-policy.js';
import { createGetUserHandler } from './routes/get-user.js';
import { createListEventsHandler } from './routes/list-events.js';
import { createListUsersHandler } from './routes/list-users.js';
import { createLockUserHandler } from './routes/lock-user.js';
import { createPutPolicyHandler } from './routes/put-policy.js';
import { createResetCooldownsHandler } from './routes/reset-cooldowns.js';
import { createResetUserHandler } from './routes/reset-user.js';
import { createSetRolesHandler } from './routes/set-roles.js';
import {
  createListTrustedDevicesHandler,
  createRevokeTrustedDeviceHandler,
} from './routes/trusted-devices.js';
import { createUnlockUserHandler } from './routes/unlock-user.js';

/** One admin route: method, path, the privilege it needs (null: any signed-in caller). */
export interface AdminRoute {
  method: 'get' | 'post' | 'put';
  path: string;
  privilege: Privilege | null;
}

/** Every admin route and its privilege; the router below is built from this table. */
export const ADMIN_ROUTES = [
  { method: 'get', path: '/me/capabilities', privilege: null },
  { method: 'get', path: '/users', privilege: Privilege.READ },
  { method: 'get', path: '/users/:id', privilege: Privilege.READ },
  { method: 'post', path: '/users/:id/reset', privilege: Privilege.RESET },
  { method: 'post', path: '/users/:id/lock', privilege: Privilege.LOCK },
  { method: 'post', path: '/users/:id/unlock', privilege: Privilege.LOCK },
  { method: 'post', path: '/users/:id/reset-cooldowns', privilege: Privilege.LOCK },
  { method: 'get', path: '/users/:id/trusted-devices', privilege: Privilege.READ },
  { method: 'post', path: '/users/:id/trusted-devices/:deviceId/revoke', privilege: Privilege.RESET },
  { method: 'post', path: '/addresses/clear', privilege: Privilege.LOCK },
  { method: 'put', path: '/users/:id/roles', privilege: Privilege.ROLES },
  { method: 'get', path: '/events', privilege: Privilege.LOGS },
  { method: 'get', path: '/events.csv', privilege: Privilege.LOGS },
  { method: 'get', path: '/policy', privilege: Privilege.POLICY },
  { method: 'put', path: '/policy', privilege: Privilege.POLICY },
] as const satisfies readonly AdminRoute[];

/**
 * The admin JSON API as a mountable router: `app.use('/admin/mfa', createAdminRouter({ mfa, users }))`.
 * Mount it after `express-session` and `passport.session()` (the default
 * `getActor` reads both). Every route runs the guard (session, pending,
 * privilege, MFA of the admin), then validates input; state-changing routes
 * are origin-checked like the self-service router (CSRF). See ADMIN.md.
 */
export function createAdminRouter(options: AdminRouterOptions): Router {
  const resolved = resolveOptions(options);
  const guardDeps = { mfa: resolved.mfa, getActor: resolved.getActor, privileges: resolved.privileges };
  const { mfa, users } = resolved;
  const setRoles = users.setRoles?.bind(users);
  const handlers: Record<(typeof ADMIN_ROUTES)[number]['path'], Partial<Record<string, RequestHandler>>> = {
    '/me/capabilities': { get: createCapabilitiesHandler({ rolesSupported: setRoles !== undefined }) },
    '/users': { get: createListUsersHandler({ mfa, users, pageSize: resolved.pageSize }) },
    '/users/:id': { get: createGetUserHandler({ mfa, users, recentEvents: resolved.recentEvents }) },
    '/users/:id/reset': { post: createResetUserHandler({ mfa, users }) },
    '/users/:id/lock': { post: createLockUserHandler({ mfa, users }) },
    '/users/:id/unlock': { post: createUnlockUserHandler({ mfa, users }) },
    '/users/:id/reset-cooldowns': { post: createResetCooldownsHandler({ mfa, users }) },
    '/users/:id/trusted-devices': { get: createListTrustedDevicesHandler({ mfa, users }) },
    '/users/:id/trusted-devices/:deviceId/revoke': { post: createRevokeTrustedDeviceHandler({ mfa, users }) },
    '/addresses/clear': { post: createClearAddressHandler({ mfa }) },
    // Only when the app lets mfa-kit change roles (seed 003); otherwise the route does not exist.
    '/users/:id/roles':
      setRoles === undefined
        ? {}
        : { put: createSetRolesHandler({ mfa, users, setRoles, privileges: resolved.privileges }) },
    '/events': { get: createListEventsHandler({ mfa, users }) },
    '/events.csv': { get: createExportEventsHandler({ mfa, users, maxRows: resolved.csvMaxRows }) },
    '/policy': { get: createGetPolicyHandler({ mfa }), put: createPutPolicyHandler({ mfa }) },
  };

  const router = express.Router();
  // Admin responses carry personal data: never cache them.
  router.use(noStore);
  router.use(checkOrigin({ allowedOrigins: resolved.allowedOrigins, requireOrigin: resolved.requireOrigin }));
  // Bodies are parsed only after the guard: nobody without a session and the privilege gets the parser's attention.
  const json = express.json({ limit: '64kb' });
  for (const route of ADMIN_ROUTES) {
    const handler = handlers[route.path][route.method];
    if (handler === undefined) {
      if (route.path === '/users/:id/roles') continue;
      throw new MfaError('CONFIGURATION', { message: `No handler for ${route.path}` });
    }
    router[route.method](route.path, createAdminGuard(guardDeps, route.privilege), json, handler);
  }
  router.use(createErrorHandler(resolved.onUnexpected));
  return router;
}

function resolveOptions(options: AdminRouterOptions): ResolvedAdminRouterOptions {
  if (options.mfa === undefined || options.users === undefined) {
    throw new MfaError('CONFIGURATION', {
      message: 'createAdminRouter needs `mfa`, `users` and `allowedOrigins`.',
    });
  }
  const allowedOrigins = parseAllowedOrigins(options.allowedOrigins, 'createAdminRouter');
  const positive = (value: number | undefined, fallback: number, name: string): number => {
    const n = value ?? fallback;
    if (!Number.isInteger(n) || n < 1) {
      throw new MfaError('CONFIGURATION', {
        message: `createAdminRouter: \`${name}\` must be a positive integer.`,
      });
    }
    return n;
  };
  const privileges = options.privileges ?? DEFAULT_PRIVILEGES;
  const known = new Set<string>(Object.values(Privilege));
  for (const [role, list] of Object.entries(privileges)) {
    for (const p of list) {
      if (!known.has(p)) {
        throw new MfaError('CONFIGURATION', {
          message: `createAdminRouter: unknown privilege "${p}" for role "${role}".`,
        });
      }
    }
  }
  return {
    mfa: options.mfa,
    users: options.users,
    getActor: options.getActor ?? readSessionCaller,
    privileges,
    allowedOrigins,
    requireOrigin: options.requireOrigin ?? true,
    pageSize: positive(options.pageSize, DEFAULT_PAGE_SIZE, 'pageSize'),
    recentEvents: positive(options.recentEvents, DEFAULT_RECENT_EVENTS, 'recentEvents'),
    csvMaxRows: positive(options.csvMaxRows, DEFAULT_CSV_MAX_ROWS, 'csvMaxRows'),
    onUnexpected: options.onUnexpected ?? (() => {}),
  };
}
