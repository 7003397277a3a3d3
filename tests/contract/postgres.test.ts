import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { expect, it } from 'vitest';
import { createLogger } from '../../server/log';
import { openPostgresStore } from '../../server/persistence/postgres/PostgresStore';
import type { Store } from '../../server/persistence/ports';
import { describeWith, freshPostgresSchema, Postgres, rawPostgres, terminatePostgresBackends } from '../helpers/services';
import { compressedDocsContract } from './compressedDocs.contract';
import { storeContract } from './store.contract';

const quiet = createLogger('silent');

describeWith([Postgres], 'PostgreSQL store', async () => {
  const { url } = await freshPostgresSchema();

  storeContract('PostgreSQL', () => openPostgresStore(url, quiet), (sql) => rawPostgres(url, sql));
  compressedDocsContract('PostgreSQL', () => openPostgresStore(url, quiet));

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

  it('fails only the operation whose connection is terminated inside its transaction, and serves the next on a fresh one', async () => {
    const name = `tandem-test-${randomBytes(3).toString('hex')}`;
    const named = new URL(url);
    named.searchParams.set('application_name', name);
    const store = await openPostgresStore(named.toString(), quiet);
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      const docId = randomUUID();
      const data = new Uint8Array([0, 0]);
      await store.docs.append(docId, [{ at: 1, accountId: null, data }]);
      // Another session holds the note's lock, so the next append waits inside its transaction.
      await holder.query("SELECT pg_advisory_lock(hashtextextended('tandem:doc:' || $1::text, 0))", [docId]);
      // Its outcome is taken at once: it may fail before the test gets to awaiting it.
      const blocked = store.docs.append(docId, [{ at: 2, accountId: null, data }]).then(() => null, (err: unknown) => err);
      const waiting = async () =>
        (await holder.query("SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", [name])).rowCount;
      await expect.poll(waiting).toBe(1);
      // The client's 'error' comes while it is checked out; unheard, it would end this process.
      expect(await terminatePostgresBackends(name)).toBeGreaterThan(0);
      expect(await blocked).toMatchObject({ code: '57P01' });
      await holder.query('SELECT pg_advisory_unlock_all()');
      await store.docs.append(docId, [{ at: 3, accountId: null, data }]);
      expect((await store.docs.readLog(docId)).map((e) => e.at)).toEqual([1, 3]);
    } finally {
      await holder.end();
      await store.close();
    }
  });
});
