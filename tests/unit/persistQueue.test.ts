import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_APPEND_BYTES, PersistQueue, type Stored } from '../../server/collab/PersistQueue';
import { openSqliteStore } from '../../server/persistence/sqlite/SqliteStore';
import { AppendRefusedError } from '../../server/persistence/storageBoundary';
import type { DocStore, NewLogEntry, Store } from '../../server/persistence/ports';
import { refuseWrites } from '../helpers/refuseWrites';
import { deferCleanup } from '../helpers/services';
import { tempDir } from '../helpers/startTestServer';

const DOC = 'persist-queue-doc';
const entry = (byte: number): NewLogEntry => ({ at: Date.now(), data: new Uint8Array([byte]), accountId: null, bindings: [] });

async function openStore(): Promise<{ store: Store; dataDir: string }> {
  const dataDir = tempDir();
  const store = await openSqliteStore(path.join(dataDir, 'tandem.db'));
  deferCleanup(() => store.close());
  return { store, dataDir };
}

const storedBytes = async (store: Store): Promise<number[]> => (await store.docs.readLog(DOC)).map((e) => e.data[0]!);

/** A promise's state without waiting for it: whether it has settled by the time this resolves. */
async function hasSettled(p: Promise<unknown>): Promise<boolean> {
  const pending = Symbol('pending');
  return (await Promise.race([p, Promise.resolve(pending)])) !== pending;
}

describe('the persist queue', () => {
  it('stores entries enqueued in one turn in one write, and resolves their one durability promise with what it covered', async () => {
    const { store } = await openStore();
    let marks = 0;
    const queue = new PersistQueue(store.docs, DOC, { mark: () => ++marks, onFailed: () => {}, onRefused: () => {} });
    const first = queue.enqueue(entry(1));
    const second = queue.enqueue(entry(2));
    expect(second).toBe(first);
    expect(queue.isIdle).toBe(false);
    const stored = await first;
    expect(stored).toEqual({ count: 2, mark: 1, recovered: false });
    expect(await storedBytes(store)).toEqual([1, 2]);
    expect(queue.isIdle).toBe(true);
  });

  it('confirms nothing while the store refuses, keeps the entries in order, and resolves once a retry stored them', async () => {
    const { store, dataDir } = await openStore();
    const restore = refuseWrites(dataDir, ['note']);
    const failures: number[] = [];
    let failed!: () => void;
    const firstFailure = new Promise<void>((resolve) => (failed = resolve));
    let late: Promise<Stored<string>> | null = null;
    const queue: PersistQueue<string> = new PersistQueue(store.docs, DOC, {
      // An entry that arrives while the first write is under way: it is not in that write.
      mark: () => {
        late ??= queue.enqueue(entry(2));
        return 'mark';
      },
      onFailed: (_err, attempt) => {
        failures.push(attempt);
        failed();
      },
      onRefused: () => {},
    });
    const early = queue.enqueue(entry(1));
    await firstFailure;
    expect(queue.isFailing).toBe(true);
    expect(await hasSettled(early)).toBe(false);
    expect(late).not.toBe(early);
    restore();
    // The retry stores both, in order, in one write: both promises resolve with its one value.
    const [a, b] = await Promise.all([early, late!]);
    expect(a).toBe(b);
    expect(a).toMatchObject({ count: 2, mark: 'mark', recovered: true });
    expect(await storedBytes(store)).toEqual([1, 2]);
    expect(failures[0]).toBe(1);
    expect(queue.isFailing).toBe(false);
  });

  it('drains: resolves once everything enqueued so far is durable', async () => {
    const { store } = await openStore();
    const queue = new PersistQueue(store.docs, DOC, { mark: () => null, onFailed: () => {}, onRefused: () => {} });
    await queue.drain();
    for (let i = 0; i < 5; i++) void queue.enqueue(entry(i));
    await queue.drain();
    expect(queue.isIdle).toBe(true);
    expect(await storedBytes(store)).toEqual([0, 1, 2, 3, 4]);
  });

  it('hands a batch bigger than one append to the store in runs, in order, and confirms it once', async () => {
    const { store } = await openStore();
    const appends: number[][] = [];
    const docs: DocStore = { ...store.docs, append: async (docId, entries) => {
      appends.push(entries.map((e) => e.data[0]!));
      return store.docs.append(docId, entries);
    } };
    const queue = new PersistQueue(docs, DOC, { mark: () => 'all', onFailed: () => {}, onRefused: () => {} });
    // Five entries of 40 % of an append each: two fit in one run, a third does not.
    const big = (byte: number): NewLogEntry => ({ ...entry(byte), data: new Uint8Array(Math.floor(MAX_APPEND_BYTES * 0.4)).fill(byte) });
    const promises = [1, 2, 3, 4, 5].map((b) => queue.enqueue(big(b)));
    const stored = await promises[0]!;
    expect(new Set(await Promise.all(promises)).size).toBe(1);
    expect(stored).toEqual({ count: 5, mark: 'all', recovered: false });
    expect(appends).toEqual([[1, 2], [3, 4], [5]]);
    expect(await storedBytes(store)).toEqual([1, 2, 3, 4, 5]);
  });

  it('when one run of a batch fails, stores the runs not yet stored on retry, and each entry once', async () => {
    const { store } = await openStore();
    let appendsSeen = 0;
    const docs: DocStore = { ...store.docs, append: async (docId, entries) => {
      // The second append of the first attempt fails, as a dropped database connection would.
      if (++appendsSeen === 2) throw new Error('connection terminated');
      return store.docs.append(docId, entries);
    } };
    const failures: number[] = [];
    const queue = new PersistQueue(docs, DOC, { mark: () => 'all', onFailed: (_err, attempt) => failures.push(attempt), onRefused: () => {} });
    const big = (byte: number): NewLogEntry => ({ ...entry(byte), data: new Uint8Array(Math.floor(MAX_APPEND_BYTES * 0.6)).fill(byte) });
    const promises = [1, 2, 3].map((b) => queue.enqueue(big(b)));
    const stored = await promises[2]!;
    expect(failures).toEqual([1]);
    expect(stored).toMatchObject({ mark: 'all', recovered: true });
    expect(await storedBytes(store)).toEqual([1, 2, 3]);
  });

  // Attack (4 Dec): entries another process took in before it heard of the lock. Storage refuses
  // them for good; retrying would never end and never let the note unload.
  it('drops entries the store refuses for a locked note, and what was queued after them, without retrying', async () => {
    const { store } = await openStore();
    let appends = 0;
    const docs: DocStore = { ...store.docs, append: async (docId) => {
      appends++;
      throw new AppendRefusedError(docId);
    } };
    const refused: number[] = [];
    const failures: number[] = [];
    const queue = new PersistQueue(docs, DOC, { mark: () => 'all', onFailed: (_err, attempt) => failures.push(attempt), onRefused: (count) => refused.push(count) });
    const first = queue.enqueue(entry(1));
    queue.enqueue(entry(2));
    expect(await first).toEqual({ count: 0, mark: 'all', recovered: false, refused: true });
    await queue.drain();
    expect(refused).toEqual([2]);
    expect([appends, failures, queue.size, queue.isFailing]).toEqual([1, [], 0, false]);
    expect(await storedBytes(store)).toEqual([]);
  });
});
