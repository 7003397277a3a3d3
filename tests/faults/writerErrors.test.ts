import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/persistence/sqlite/SqliteStore';
import { StorageError } from '../../server/persistence/storageBoundary';
import { createClinic } from '../helpers/api';
import { refuseWrites } from '../helpers/refuseWrites';
import { deferCleanup } from '../helpers/services';
import { startTestServer, tempDir } from '../helpers/startTestServer';

const record = () => ({ at: Date.now(), actorId: null, action: 'setup' as const, sessionId: null, detail: {} });

// The SQLite writer thread's failures reach the main thread as they were raised there: the name,
// the message and better-sqlite3's `code`, which tells a constraint failure from a full disk.
describe('a failure in the SQLite writer thread', () => {
  it('arrives on the main thread with its name, message and code', async () => {
    const dir = tempDir();
    const store = await openSqliteStore(path.join(dir, 'tandem.db'));
    deferCleanup(() => store.close());
    const restore = refuseWrites(dir, ['audit']);
    const err: unknown = await store.audit.append(record()).catch((e: unknown) => e);
    restore();
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'SqliteError', message: 'database or disk is full', code: 'SQLITE_CONSTRAINT_TRIGGER' });
    await store.audit.append(record());
  });

  it('keeps the name of an error that has no code', async () => {
    const dir = tempDir();
    const store = await openSqliteStore(path.join(dir, 'tandem.db'));
    deferCleanup(() => store.close());
    const snapshot = { uptoSeq: 1, data: new Uint8Array([0]), meta: null };
    const err: unknown = await store.docs.compact('doc', snapshot, [{ seq: 5, at: 0, data: new Uint8Array([1]) }], 0).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'RangeError', message: 'merged log entries must lie in the range they replace' });
    expect((err as { code?: unknown }).code).toBeUndefined();
  });

  it('is a storage failure at the boundary, its code kept as the cause, and the request answers 503', async () => {
    const server = await startTestServer();
    const clinic = await createClinic(server.baseUrl);
    const restore = refuseWrites(server.dataDir, ['audit']);
    const err: unknown = await server.store.audit.append(record()).catch((e: unknown) => e);
    const res = await clinic.admin.api.get('/api/audit/export.csv');
    restore();
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).cause).toMatchObject({ code: 'SQLITE_CONSTRAINT_TRIGGER' });
    expect((err as StorageError).code).toBe('SQLITE_CONSTRAINT_TRIGGER');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: { code: 'storage_unavailable' } });
  });
});

// Operator fault test, 2 Dec: the database files removed while the server ran; every edit after it
// was still said to be saved, /healthz said ok, and at the next start all of it was gone, every
// account too. SQLite writes on into a file no longer at its path; the writer now checks the path.
describe('the database file removed while the server runs', () => {
  it('fails every write from then on, with the reason, instead of saying it saved', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'tandem.db');
    const store = await openSqliteStore(file);
    deferCleanup(() => store.close());
    await store.audit.append(record());
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    const err: unknown = await store.audit.append(record()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TANDEM_DB_FILE_GONE', message: expect.stringContaining('was removed while Tandem had it open') });
    // Put back (here: another file at the path), it is still not the file open: still refused.
    fs.writeFileSync(file, '');
    await expect(store.audit.append(record())).rejects.toMatchObject({ code: 'TANDEM_DB_FILE_GONE', message: expect.stringContaining('was replaced') });
  });
});
