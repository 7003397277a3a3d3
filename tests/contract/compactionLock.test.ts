import { createLocalCompactionLock } from '../../server/locks/CompactionLock';
import { createRedisCompactionLock } from '../../server/locks/RedisCompactionLock';
import { createLogger } from '../../server/log';
import { describeWith, Redis, serviceUrl, uniqueRedisPrefix } from '../helpers/services';
import { compactionLockContract } from './compactionLock.contract';

// In one process both handles are the same lock: what two compactions of one note there share.
const local = createLocalCompactionLock();
compactionLockContract('local', async () => local);

describeWith([Redis], 'compaction lock in Redis', () => {
  const url = new URL(serviceUrl(Redis));
  url.searchParams.set('prefix', uniqueRedisPrefix());
  compactionLockContract('Redis', () => createRedisCompactionLock(url.toString(), createLogger('silent')));
});
