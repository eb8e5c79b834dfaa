// Public API of @mfa-kit/core/redis. Values first, then types.
export {
  createRedisBackend,
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_EVENT_STREAM_MAX_LENGTH,
  DEFAULT_POLICY_CACHE_MS,
  DEFAULT_REDIS_PREFIX,
} from './create-redis-backend.js';
export { acknowledgeStoreReset } from './deployment-marker.js';
export { userHashTag } from './keys.js';

export type { RedisBackendOptions } from './create-redis-backend.js';
export type { RedisClient } from './redis-client.js';
