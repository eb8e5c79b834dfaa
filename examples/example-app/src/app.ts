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
import { createErrorHandler } from '@mfa-kit/express';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import session, { MemoryStore, type Store } from 'express-session';
import { createAdminRoutes } from './api/admin-routes.js';
import { createEnrolRoutes } from './api/enrol-routes.js';
import { createSecurityRoutes } from './api/security-routes.js';
import { createSignInRoutes } from './api/sign-in-routes.js';
import { CLIENT_SCRIPT } from './client-script.js';
import type { AppContext } from './context.js';
import { createConsoleSmsSender } from './dev/console-sms-sender.js';
import { createDevInbox, type DevInbox } from './dev/dev-inbox.js';
import { createInboxUnlockDelivery } from './dev/inbox-unlock-delivery.js';
import { createAdminLogsPage } from './pages/admin-logs-page.js';
import { createAdminPolicyPage } from './pages/admin-policy-page.js';
import { createAdminUsersPage } from './pages/admin-users-page.js';
import { createEnrolPages } from './pages/enrol-pages.js';
import { createHomePage } from './pages/home-page.js';
import { createInboxPage } from './pages/inbox-page.js';
import { createSecurityPage } from './pages/security-page.js';
import { createSignInPages } from './pages/sign-in-pages.js';
import { createUnlockPages } from './pages/unlock-pages.js';
import { createPassport } from './passport-setup.js';
import { fail } from './request.js';
import { createSessionIndex } from './session-index.js';
import { createUserDirectory, type UserDirectory } from './users.js';

/** The example's starting policy: admins must use MFA; only `acme` is rolled out (seed 000); self-unlock on (seed 002). */
export const EXAMPLE_POLICY: MfaPolicy = {
  requiredRoles: ['admin'],
  requiredOrgs: [],
  rollout: { mode: 'orgs', orgs: ['acme'] },
  grace: null,
  allowSelfUnlock: true,
};

/** Options of {@link createExampleApp}. Everything from the outside world is injected. */
export interface ExampleAppOptions {
  /** 32-byte AES-256-GCM key for TOTP secrets and phone numbers (base64 or bytes). */
  encryptionKey: Uint8Array | string;
  /** ≥ 32-byte key for recovery-code hashes and unlock tokens. */
  hashKey: Uint8Array | string;
  /** Signs the session cookie. */
  sessionSecret: string;
  /** @default createMemoryBackend() */
  backend?: MfaBackend;
  /** @default express-session's MemoryStore (development only) */
  sessionStore?: Store;
  /** @default a console sender that writes codes to the terminal and the dev inbox */
  smsSender?: SmsSender;
  /** @default system clock */
  clock?: Clock;
  /** The seeded users' password. @default 'correct-horse' */
  demoPassword?: string;
  /** @default {@link EXAMPLE_POLICY} */
  policy?: Partial<MfaPolicy>;
  /** Send cookies only over HTTPS. @default false (the demo runs on http://localhost) */
  secureCookies?: boolean;
  /** Terminal output. @default console.log */
  log?: (line: string) => void;
}

/** A built example app, with handles tests use. */
export interface ExampleApp {
  app: Express;
  mfa: Mfa;
  users: UserDirectory;
  inbox: DevInbox;
}

/** CSRF defence for the JSON routes: JSON content type (needs a CORS preflight cross-site) and a same-host Origin. */
function jsonOnly(req: Request, res: Response, next: NextFunction) {
  if (req.method !== 'POST') return next();
  if (!req.is('application/json')) return fail(res, 'VALIDATION', { message: 'Send JSON.' });
  const origin = req.get('origin');
  if (origin !== undefined && origin !== 'null') {
    let host: string | null = null;
    try {
      host = new URL(origin).host;
    } catch {
      host = null;
    }
    if (host !== req.get('host')) return fail(res, 'FORBIDDEN', { message: 'Cross-origin request refused.' });
  }
  next();
}

/** Builds the example: an Express 5 + passport-local app with mfa-kit added. */
export function createExampleApp(options: ExampleAppOptions): ExampleApp {
  const log = options.log ?? console.log;
  const clock = options.clock ?? { now: () => Date.now() };
  const users = createUserDirectory(options.demoPassword ?? 'correct-horse');
  const inbox = createDevInbox();
  const sessionStore = options.sessionStore ?? new MemoryStore();
  const sessions = createSessionIndex(sessionStore);
  const mfa = createMfa({
    backend: options.backend ?? createMemoryBackend(),
    encryption: { keys: { k1: options.encryptionKey }, currentKeyId: 'k1' },
    hashKey: options.hashKey,
    issuer: 'mfa-kit example',
    sms: { sender: options.smsSender ?? createConsoleSmsSender(inbox, log) },
    policy: { ...EXAMPLE_POLICY, ...options.policy },
    unlock: { delivery: createInboxUnlockDelivery(inbox, users, log) },
    sessionRevoker: sessions,
    clock,
  });
  const ctx: AppContext = { mfa, users, inbox, clock, sessions, smsToInbox: options.smsSender === undefined };
  const auth = createPassport(ctx);

  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline' 'self'",
    );
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });
  app.get('/app.js', (_req, res) => {
    res.type('application/javascript').send(CLIENT_SCRIPT);
  });
  app.use(
    session({
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
  app.use('/api', express.json({ limit: '10kb' }), jsonOnly);

  app.use(createSignInRoutes(ctx, auth));
  app.use(createEnrolRoutes(ctx));
  app.use(createSecurityRoutes(ctx));
  app.use(createAdminRoutes(ctx));
  app.use(createHomePage(ctx));
  app.use(createSignInPages(ctx));
  app.use(createEnrolPages(ctx));
  app.use(createSecurityPage(ctx));
  app.use(createUnlockPages(ctx));
  app.use(createInboxPage(ctx));
  app.use(createAdminUsersPage(ctx));
  app.use(createAdminLogsPage(ctx));
  app.use(createAdminPolicyPage(ctx));
  app.use(
    createErrorHandler((error) =>
      log(`[error] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    ),
  );
  return { app, mfa, users, inbox };
}

/** 32 random bytes as base64, for keys generated at start-up. */
export function generateKey(): string {
  return randomBytes(32).toString('base64');
}
