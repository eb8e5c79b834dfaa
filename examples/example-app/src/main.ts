// The example is an app, not a library: this is the only file that reads the environment.
import { createTwilioSmsSender } from '@mfa-kit/twilio-sms';
import { createExampleApp, generateKey } from './app.js';
import { createDevInbox } from './dev/dev-inbox.js';
import { startDevTwilio } from './dev/dev-twilio.js';
import { logRedisErrors, redisFromEnv, redisStores } from './redis-wiring.js';
import { settingsFromEnv } from './settings.js';

const env = process.env;
const port = Number(env.PORT ?? 3000);
const development = env.NODE_ENV !== 'production';

const KEY_LOSS: Record<string, string> = {
  MFA_ENCRYPTION_KEY: 'TOTP secrets and phone numbers saved in Redis become unreadable after a restart',
  MFA_HASH_KEY: 'recovery codes and unlock links saved in Redis stop working after a restart',
  SESSION_SECRET: 'everyone is signed out at every restart',
};

function keyFromEnv(name: string): string {
  const value = env[name];
  if (value) return value;
  console.warn(`[warn] ${name} is not set: generated a random key, so ${KEY_LOSS[name]}.`);
  return generateKey();
}

let settings: ReturnType<typeof settingsFromEnv>;
try {
  settings = settingsFromEnv(env);
} catch (error) {
  console.error(`[error] ${(error as Error).message}`);
  process.exit(1);
}

// The origins the browser uses (CSRF check of mfa-kit's routers).
const allowedOrigins = env.PUBLIC_ORIGIN
  ? env.PUBLIC_ORIGIN.split(',').map((o) => o.trim())
  : [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
const redis = redisFromEnv(env);
if (redis) logRedisErrors(redis.client, (line) => console.error(line));
const twilioConfigured = Boolean(env.TWILIO_ACCOUNT_SID && (env.TWILIO_AUTH_TOKEN || env.TWILIO_API_KEY));
const inbox = createDevInbox({ now: () => Date.now() });
// FAKE_TWILIO=1: the real Twilio sender, talking to a fake Twilio API on loopback (development only).
const devTwilio = env.FAKE_TWILIO === '1' && development ? await startDevTwilio({ inbox }) : null;
if (env.FAKE_TWILIO === '1' && !development)
  console.warn('[warn] FAKE_TWILIO is ignored when NODE_ENV=production.');

const { app, users } = createExampleApp({
  encryptionKey: keyFromEnv('MFA_ENCRYPTION_KEY'),
  hashKey: keyFromEnv('MFA_HASH_KEY'),
  sessionSecret: keyFromEnv('SESSION_SECRET'),
  allowedOrigins,
  demoPassword: env.DEMO_PASSWORD ?? 'correct-horse',
  development,
  // MFA_PHISHING_RESISTANT_ROLES=admin: admins must use a passkey (a code sign-in sends them to register one).
  ...(env.MFA_PHISHING_RESISTANT_ROLES
    ? {
        policy: {
          phishingResistantRoles: env.MFA_PHISHING_RESISTANT_ROLES.split(',')
            .map((r) => r.trim())
            .filter((r) => r !== ''),
        },
      }
    : {}),
  inbox,
  settings,
  ...(redis ? redisStores(redis.client) : {}),
  ...(devTwilio ? { smsSender: devTwilio.sender } : {}),
  ...(twilioConfigured && !devTwilio
    ? {
        smsSender: createTwilioSmsSender({
          accountSid: env.TWILIO_ACCOUNT_SID ?? '',
          ...(env.TWILIO_AUTH_TOKEN ? { authToken: env.TWILIO_AUTH_TOKEN } : {}),
          ...(env.TWILIO_API_KEY
            ? { apiKey: env.TWILIO_API_KEY, apiSecret: env.TWILIO_API_SECRET ?? '' }
            : {}),
          ...(env.TWILIO_MESSAGING_SERVICE_SID
            ? { messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID }
            : { from: env.TWILIO_FROM ?? '' }),
        }),
      }
    : {}),
});

app.listen(port, () => {
  console.log(`mfa-kit example on ${allowedOrigins[0]} (${development ? 'development' : 'production'})`);
  console.log(`  backend: ${redis ? redis.label : 'memory (set REDIS_URL or REDIS_CLUSTER_URLS for Redis)'}`);
  console.log(
    `  SMS: ${devTwilio ? `Twilio sender → fake Twilio API at ${devTwilio.url}` : twilioConfigured ? 'Twilio' : 'console + dev inbox (FAKE_TWILIO=1 or TWILIO_* for Twilio)'}`,
  );
  if (development) {
    console.log(`  dev inbox: ${allowedOrigins[0]}/dev/inbox`);
    if (redis)
      console.warn(
        '[warn] the dev inbox is on with Redis configured: set NODE_ENV=production to turn it off.',
      );
  }
  console.log(
    `  users (password "${users.demoPassword}"): ${users
      .all()
      .map((u) => `${u.username} [${u.roles.join(',')}@${u.orgId}]`)
      .join(', ')}`,
  );
});
