import { TagCache } from '../../server/codebook/TagCache';
import { createLogger } from '../../server/log';
import { openSqliteStore } from '../../server/persistence/sqlite/SqliteStore';
import { deferCleanup } from './services';

/** The clinic's default codebook in an in-memory store, as the observation guard reads it; closed after the file. */
export async function codebook(): Promise<TagCache> {
  const store = await openSqliteStore(':memory:');
  deferCleanup(() => store.close());
  const tags = new TagCache(store.tags, createLogger('silent'));
  await tags.start(60_000);
  deferCleanup(() => tags.stop());
  return tags;
}
