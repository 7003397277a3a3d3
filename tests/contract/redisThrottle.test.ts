import { createRedisThrottleStore } from '../../server/auth/RedisThrottleStore';
import { createLogger } from '../../server/log';
import { describeWith, Redis, serviceUrl, uniqueRedisPrefix } from '../helpers/services';
import { throttleStoreContract } from './throttleStore.contract';

describeWith([Redis], 'failed-login counts in Redis', () => {
  const url = new URL(serviceUrl(Redis));
  url.searchParams.set('prefix', uniqueRedisPrefix());
  throttleStoreContract('Redis', () => createRedisThrottleStore(url.toString(), createLogger('silent')), true);
});
