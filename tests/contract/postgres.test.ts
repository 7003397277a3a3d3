import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { createLogger } from '../../server/log';
import { openPostgresStore } from '../../server/persistence/postgres/PostgresStore';
import type { Store } from '../../server/persistence/ports';
import { describeWith, freshPostgresSchema, Postgres, rawPostgres } from '../helpers/services';
import { storeContract } from './store.contract';

const quiet = createLogger('silent');

describeWith([Postgres], 'PostgreSQL store', async () => {
  const { url } = await freshPostgresSchema();

  storeContract('PostgreSQL', () => openPostgresStore(url, quiet), (sql) => rawPostgres(url, sql));

  it('migrates once when several processes start at the same moment', async () => {
    const { url: fresh } = await freshPostgresSchema();
    const stores: Store[] = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(fresh, quiet)));
    try {
      await Promise.all(stores.map((s) => s.ping()));
      expect(await stores[0]!.accounts.count()).toBe(0);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('refuses a compaction that would move the snapshot backwards, changing nothing', async () => {
    const store = await openPostgresStore(url, quiet);
    try {
      const docId = randomUUID();
      const data = new Uint8Array([0, 0]);
      await store.docs.append(docId, [1, 2, 3].map((at) => ({ at, accountId: null, data })));
      const log = await store.docs.readLog(docId);
      await store.docs.compact(docId, { uptoSeq: log[2]!.seq, data, meta: null }, [log[2]!], 0);
      await expect(store.docs.compact(docId, { uptoSeq: log[1]!.seq, data, meta: null }, [log[1]!], 0)).rejects.toMatchObject({ code: 'compaction_conflict' });
      expect((await store.docs.load(docId)).snapshot?.uptoSeq).toBe(log[2]!.seq);
      expect(await store.docs.readLog(docId)).toEqual([log[2]]);
    } finally {
      await store.close();
    }
  });
});
