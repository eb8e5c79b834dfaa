// The example is an app, not a library: this is the only file that reads the environment.
import { RedisStore } from 'connect-redis';
import { Redis } from 'ioredis';
import { createRedisBackend } from '@mfa-kit/core/redis';
import { createRedisSessionIndex } from '@mfa-kit/express';
import { createTwilioSmsSender } from '@mfa-kit/twilio-sms';
import { createExampleApp, generateKey } from './app.js';

const env = process.env;
const port = Number(env.PORT ?? 3000);

function keyFromEnv(name: string): string {
  const value = env[name];
  if (value) return value;
  console.warn(
    `[warn] ${name} is not set: generated a random key. Secrets and recovery codes won't survive a restart.`,
  );
  return generateKey();
}

// The origins the browser uses (CSRF check of mfa-kit's routers).
const allowedOrigins = env.PUBLIC_ORIGIN
  ? env.PUBLIC_ORIGIN.split(',').map((o) => o.trim())
  : [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
const redis = env.REDIS_URL ? new Redis(env.REDIS_URL) : null;
const twilioConfigured = Boolean(env.TWILIO_ACCOUNT_SID && (env.TWILIO_AUTH_TOKEN || env.TWILIO_API_KEY));

const { app, users } = createExampleApp({
  encryptionKey: keyFromEnv('MFA_ENCRYPTION_KEY'),
  hashKey: keyFromEnv('MFA_HASH_KEY'),
  sessionSecret: keyFromEnv('SESSION_SECRET'),
  allowedOrigins,
  demoPassword: env.DEMO_PASSWORD ?? 'correct-horse',
  ...(redis
    ? {
        backend: createRedisBackend({ client: redis }),
        sessionStore: new RedisStore({ client: redis, prefix: 'example-sess:' }),
        sessionIndex: createRedisSessionIndex({ client: redis }),
      }
    : {}),
  ...(twilioConfigured
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
  console.log(`mfa-kit example on ${allowedOrigins[0]}`);
  console.log(`  backend: ${redis ? `Redis (${env.REDIS_URL})` : 'memory (set REDIS_URL for Redis)'}`);
  console.log(`  SMS: ${twilioConfigured ? 'Twilio' : 'console + dev inbox (set TWILIO_* for Twilio)'}`);
  console.log(
    `  users (password "${users.demoPassword}"): ${users
      .all()
      .map((u) => `${u.username} [${u.roles.join(',')}@${u.orgId}]`)
      .join(', ')}`,
  );
});
