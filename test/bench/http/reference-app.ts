/**
 * The reference stack: what a team assembles from each part's documentation.
 * express-session + connect-redis + passport-local as on the floor, otplib
 * `verify` with ±1 step (30 s tolerance), and rate-limiter-flexible's "login
 * endpoint protection" recipe on the second factor: two `RateLimiterRedis`
 * limiters, consecutive failures per username+IP (10 points kept 90 days,
 * 1 h block) and failures per IP per day (100, 1 day block), read before the
 * check, consumed on a failure, the username+IP key deleted on success.
 * `req.login` after the second factor.
 */
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import { generateSecret, verify } from 'otplib';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { createUserDb } from './contract.js';
import { handAssembledApp } from './floor-app.js';

const MAX_WRONG_BY_IP_PER_DAY = 100;
const MAX_CONSECUTIVE_BY_USERNAME_AND_IP = 10;

export async function createReferenceApp(
  client: Redis,
  userCount: number,
): Promise<{ app: Express; secrets: Array<string | null> }> {
  const users = createUserDb(userCount);
  for (const user of users.all()) user.totpSecret = generateSecret();
  const slowBruteByIp = new RateLimiterRedis({
    storeClient: client,
    keyPrefix: 'login_fail_ip_per_day',
    points: MAX_WRONG_BY_IP_PER_DAY,
    duration: 60 * 60 * 24,
    blockDuration: 60 * 60 * 24,
  });
  const consecutiveByUsernameAndIp = new RateLimiterRedis({
    storeClient: client,
    keyPrefix: 'login_fail_consecutive_username_and_ip',
    points: MAX_CONSECUTIVE_BY_USERNAME_AND_IP,
    duration: 60 * 60 * 24 * 90,
    blockDuration: 60 * 60,
  });

  const app = handAssembledApp(client, users, async (req, res, next) => {
    try {
      const user = users.byId(req.session.pendingUserId ?? '');
      if (user === null || user.totpSecret === null)
        return void res.status(401).json({ error: 'NO_PENDING_SIGN_IN' });
      const ip = req.ip ?? '';
      const usernameIpKey = `${user.username}_${ip}`;
      const [resUsernameAndIp, resSlowByIp] = await Promise.all([
        consecutiveByUsernameAndIp.get(usernameIpKey),
        slowBruteByIp.get(ip),
      ]);
      let retrySecs = 0;
      if (resSlowByIp !== null && resSlowByIp.consumedPoints > MAX_WRONG_BY_IP_PER_DAY)
        retrySecs = Math.round(resSlowByIp.msBeforeNext / 1000) || 1;
      else if (
        resUsernameAndIp !== null &&
        resUsernameAndIp.consumedPoints > MAX_CONSECUTIVE_BY_USERNAME_AND_IP
      )
        retrySecs = Math.round(resUsernameAndIp.msBeforeNext / 1000) || 1;
      if (retrySecs > 0) {
        res.set('Retry-After', String(retrySecs));
        return void res.status(429).json({ error: 'TOO_MANY_REQUESTS' });
      }
      const code = typeof req.body?.code === 'string' ? req.body.code : '';
      const { valid } = await verify({ secret: user.totpSecret, token: code, epochTolerance: 30 }).catch(
        () => ({ valid: false }),
      );
      if (!valid) {
        try {
          await Promise.all([consecutiveByUsernameAndIp.consume(usernameIpKey), slowBruteByIp.consume(ip)]);
          return void res.status(401).json({ error: 'INVALID_CODE' });
        } catch (rejected) {
          if (!(rejected instanceof RateLimiterRes)) throw rejected;
          res.set('Retry-After', String(Math.round(rejected.msBeforeNext / 1000) || 1));
          return void res.status(429).json({ error: 'TOO_MANY_REQUESTS' });
        }
      }
      if (resUsernameAndIp !== null && resUsernameAndIp.consumedPoints > 0)
        await consecutiveByUsernameAndIp.delete(usernameIpKey);
      req.login(user, (error) => (error ? next(error) : res.json({ status: 'signed-in' })));
    } catch (error) {
      next(error);
    }
  });
  return { app, secrets: users.all().map((user) => user.totpSecret) };
}
