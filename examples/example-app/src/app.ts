import { randomBytes } from 'node:crypto';
import {
  type Clock,
  createMemoryBackend,
  createMfa,
  type Mfa,
  type MfaBackend,
  type MfaPolicy,
  type SmsSender,
} from '@mfa-kit/core';
import {
  createAdminRouter,
  createErrorHandler,
  createMemorySessionIndex,
  createMfaExpress,
  createSessionRevoker,
  createUnlockRouter,
  indexSessions,
  type SessionIndex,
} from '@mfa-kit/express';
import { createWebAuthnVerifier } from '@mfa-kit/webauthn';
import express, { type Express } from 'express';
import { MemoryStore, type Store } from 'express-session';
import { createAdminDirectory } from './admin-directory.js';
import { createSignInRoutes } from './api-routes.js';
import { CLIENT_SCRIPT } from './client-script.js';
import type { AppContext } from './context.js';
import { createConsoleSmsSender } from './dev/console-sms-sender.js';
import { createDevInbox, type DevInbox } from './dev/dev-inbox.js';
import { createInboxSecurityNotifier } from './dev/inbox-security-notifier.js';
import { createInboxUnlockDelivery } from './dev/inbox-unlock-delivery.js';
import { createAdminLogsPage } from './pages/admin-logs-page.js';
import { createAdminPolicyPage } from './pages/admin-policy-page.js';
import { createAdminUsersPage } from './pages/admin-users-page.js';
import { createEnrolPages } from './pages/enrol-pages.js';
import { createHomePage } from './pages/home-page.js';
import { createInboxPage } from './pages/inbox-page.js';
import { createConfirmPage } from './pages/confirm-page.js';
import { createPasskeysPage } from './pages/passkeys-page.js';
import { createSecurityPage } from './pages/security-page.js';
import { createSignInPages } from './pages/sign-in-pages.js';
import { createAdminDevicesPage, createTrustedDevicesPage } from './pages/trusted-devices-pages.js';
import { createUnlockPages } from './pages/unlock-pages.js';
import { createPassport } from './passport-setup.js';
import { ROLE_PRIVILEGES } from './privileges.js';
import { requireUser } from './sign-in-state.js';
import './session-data.js';
import { type ExampleSettings, mfaTimings } from './settings.js';
import { STYLESHEET } from './stylesheet.js';
import { type AppUser, createUserDirectory, toMfaUser, type UserDirectory } from './users.js';

/**
 * The example's starting policy: admins and owners must use MFA (seed 003);
 * only `acme` is rolled out, so `globex` users never see MFA yet (seed 000);
 * locked users may unlock themselves by e-mail (seed 002); owners, who act
 * across every organisation, may not trust a device (issue 14).
 */
export const EXAMPLE_POLICY: MfaPolicy = {
  requiredRoles: ['admin', 'owner'],
  requiredOrgs: [],
  rollout: { mode: 'orgs', orgs: ['acme'] },
  grace: null,
  allowSelfUnlock: true,
  trustedDevices: { forbiddenRoles: ['owner'] },
  phishingResistantRoles: [],
  phishingResistantOrgs: [],
};

/** Options of {@link createExampleApp}. Everything from the outside world is injected. */
export interface ExampleAppOptions {
  /** 32-byte AES-256-GCM key for TOTP secrets and phone numbers (base64 or bytes). */
  encryptionKey: Uint8Array | string;
  /** ≥ 32-byte key for recovery-code hashes and unlock tokens. */
  hashKey: Uint8Array | string;
  /** Signs the session cookie. */
  sessionSecret: string;
  /** Origins the browser uses, for the CSRF origin check, e.g. `['http://localhost:3000']`. */
  allowedOrigins: readonly string[];
  /** @default createMemoryBackend() */
  backend?: MfaBackend;
  /** @default express-session's MemoryStore (development only) */
  sessionStore?: Store;
  /** Which sessions each user has, for revocation. @default createMemorySessionIndex() (pair with MemoryStore) */
  sessionIndex?: SessionIndex;
  /** @default a console sender that writes codes to the terminal and the dev inbox */
  smsSender?: SmsSender;
  /** @default system clock */
  clock?: Clock;
  /** The seeded users' password. @default 'correct-horse' */
  demoPassword?: string;
  /** The app's users (tests seed their own). @default SEEDED_USERS */
  users?: readonly AppUser[];
  /** @default {@link EXAMPLE_POLICY} */
  policy?: Partial<MfaPolicy>;
  /** Send cookies (session, trusted device) only over HTTPS. @default false on http://localhost origins, else true */
  secureCookies?: boolean;
  /** Terminal output. @default console.log */
  log?: (line: string) => void;
  /**
   * Development mode: serves the dev inbox at `/dev/inbox` and prints codes,
   * numbers and unlock links to the terminal. Off in production
   * (`NODE_ENV=production`): then nothing secret is printed and there is no inbox page.
   * @default true
   */
  development?: boolean;
  /** Where development messages go (SMS codes, e-mails). @default a new in-memory inbox */
  inbox?: DevInbox;
  /** Whether sessions and MFA data live in Redis: the dev inbox then warns that it is per process. @default false */
  redisConfigured?: boolean;
  /** Timings from the environment (pending sign-in, cooldowns, freshness). @default mfa-kit's defaults */
  settings?: ExampleSettings;
  /**
   * Passkeys (WebAuthn): the relying party, or false for none.
   * @default {@link webauthnRelyingParty} of `allowedOrigins` (off when every origin is an IP address)
   */
  webauthn?: { rpId: string; origins: string[] } | false;
}

/**
 * The relying party for passkeys from the app's origins: WebAuthn needs a
 * domain name as RP ID (browsers refuse IP addresses) on https (or
 * http://localhost), so the first such origin (e.g. `http://localhost:3000`)
 * names it, with every such origin on that domain. Null when there is none
 * (passkeys are then not offered).
 */
export function webauthnRelyingParty(
  allowedOrigins: readonly string[],
): { rpId: string; origins: string[] } | null {
  // Browsers offer WebAuthn on https origins and on http://localhost only, and never for an IP address.
  const usable = allowedOrigins
    .map((origin) => new URL(origin))
    .filter(
      (url) =>
        (url.protocol === 'https:' || url.hostname === 'localhost') && !/^[\d.]+$|^\[/.test(url.hostname),
    );
  const named = usable[0];
  if (named === undefined) return null;
  return {
    rpId: named.hostname,
    origins: usable
      .filter((url) => url.hostname === named.hostname || url.hostname.endsWith(`.${named.hostname}`))
      .map((url) => url.origin),
  };
}

/** A built example app, with handles tests use. */
export interface ExampleApp {
  app: Express;
  mfa: Mfa;
  users: UserDirectory;
  inbox: DevInbox;
}

/** Builds the example: an Express 5 + passport-local app with mfa-kit added. */
export function createExampleApp(options: ExampleAppOptions): ExampleApp {
  const log = options.log ?? console.log;
  const onUnexpected = (error: unknown) =>
    log(`[error] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  const clock = options.clock ?? { now: () => Date.now() };
  const users = createUserDirectory(options.demoPassword ?? 'correct-horse', options.users);
  const inbox = options.inbox ?? createDevInbox(clock);
  const development = options.development ?? true;
  const settings = options.settings ?? {};
  const timings = mfaTimings(settings);
  const { allowedOrigins } = options;

  // Sessions are filed per user when they log in, so a reset can end them all (seed 001).
  const sessionIndex = options.sessionIndex ?? createMemorySessionIndex();
  const sessionStore = indexSessions(options.sessionStore ?? new MemoryStore(), sessionIndex);
  const relyingParty =
    options.webauthn === false ? null : (options.webauthn ?? webauthnRelyingParty(allowedOrigins));
  const mfa = createMfa({
    ...(relyingParty === null
      ? {}
      : {
          webauthn: { verifier: createWebAuthnVerifier({ ...relyingParty, rpName: 'mfa-kit example' }) },
        }),
    backend: options.backend ?? createMemoryBackend(),
    encryption: { keys: { k1: options.encryptionKey }, currentKeyId: 'k1' },
    hashKey: options.hashKey,
    issuer: 'mfa-kit example',
    sms: { sender: options.smsSender ?? createConsoleSmsSender(inbox, log, development), ...timings.sms },
    limits: timings.limits,
    notifications: { notifier: createInboxSecurityNotifier(inbox, users, log), onError: onUnexpected },
    policy: { ...EXAMPLE_POLICY, ...options.policy },
    unlock: { delivery: createInboxUnlockDelivery(inbox, users, log, development) },
    sessionRevoker: createSessionRevoker({ sessionStore, index: sessionIndex }),
    clock,
  });
  const auth = createPassport(users);
  // "Trust this device": a Secure cookie, except on plain-http loopback origins (development).
  const loopbackOnly = allowedOrigins.every((o) =>
    /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(o),
  );
  const kit = createMfaExpress({
    mfa,
    passport: auth,
    allowedOrigins,
    clock,
    trustedDevices: { secureCookie: options.secureCookies ?? !loopbackOnly },
    ...(settings.pendingTtlMs === undefined ? {} : { pendingTtlMs: settings.pendingTtlMs }),
    ...(settings.freshFactorMs === undefined ? {} : { freshFactorMs: settings.freshFactorMs }),
    loadUser: (id) => {
      const user = users.findById(id);
      return user === null ? null : { ...user, label: user.email };
    },
    userFromRequest: (user) => {
      const found = users.findById((user as { id?: string }).id ?? '');
      return found === null ? null : toMfaUser(found);
    },
  });
  const ctx: AppContext = {
    mfa,
    kit,
    users,
    inbox,
    clock,
    smsToInbox: options.smsSender === undefined,
    development,
    redisConfigured: options.redisConfigured ?? false,
  };

  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'",
    );
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });
  app.get('/app.js', (_req, res) => {
    res.type('application/javascript').send(CLIENT_SCRIPT);
  });
  app.get('/style.css', (_req, res) => {
    res.type('text/css').send(STYLESHEET);
  });
  app.use(
    kit.session({
      name: 'mfa-example.sid',
      secret: options.sessionSecret,
      store: sessionStore,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: options.secureCookies ?? false },
    }),
  );
  app.use(auth.initialize());
  app.use(auth.session());

  // mfa-kit's JSON routes; the pages call them with fetch.
  app.use(createSignInRoutes(ctx, allowedOrigins));
  app.use('/api/mfa', kit.selfServiceRouter({ onUnexpectedError: onUnexpected }));
  app.use(
    '/api/admin/mfa',
    createAdminRouter({
      mfa,
      users: createAdminDirectory(users),
      privileges: ROLE_PRIVILEGES,
      allowedOrigins,
      onUnexpected,
    }),
  );
  app.use(
    '/api/account',
    createUnlockRouter({
      mfa,
      allowedOrigins,
      findUserByIdentifier: async (identifier) => {
        const user = users.findByIdentifier(identifier);
        return user === null ? null : toMfaUser(user);
      },
      onUnexpected,
    }),
  );

  // Server-rendered pages.
  app.use(createHomePage(ctx));
  app.use(createSignInPages(ctx));
  app.use(createEnrolPages(ctx));
  app.use(createSecurityPage(ctx));
  app.use(createTrustedDevicesPage(ctx));
  app.use(createPasskeysPage(ctx));
  app.use(createConfirmPage(ctx));
  app.use(createUnlockPages());
  if (development) app.use(createInboxPage(ctx));
  // Pages behind mfa-kit's requireMfa(): a pending sign-in goes back to its MFA step first.
  // An admin whose role requires phishing-resistant MFA but who signed in with a code goes to register or use a passkey.
  app.use(
    '/admin',
    requireUser(ctx),
    kit.requireMfa({ redirect: '/login', webauthnRedirect: '/security/passkeys?required=1' }),
  );
  app.use(createAdminUsersPage(ctx));
  app.use(createAdminDevicesPage(ctx));
  app.use(createAdminLogsPage(ctx));
  app.use(createAdminPolicyPage(ctx));
  app.use(createErrorHandler(onUnexpected));
  return { app, mfa, users, inbox };
}

/** 32 random bytes as base64, for keys generated at start-up. */
export function generateKey(): string {
  return randomBytes(32).toString('base64');
}
