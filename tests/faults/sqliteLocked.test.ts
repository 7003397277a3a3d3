import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/persistence/sqlite/SqliteStore';
import { ApiClient, createClinic, expectStatus } from '../helpers/api';
import { healthOf, type Health } from '../helpers/health';
import { deferCleanup } from '../helpers/services';
import { startTestServer, tempDir } from '../helpers/startTestServer';

/**
 * Another program holding the database's write lock: an operator's `sqlite3` shell left inside a
 * transaction, a backup tool. A separate process, as it would be, holding the lock until told to
 * let go. (A frozen disk, which holds SQLite the same way but for as long as it lasts, needs root
 * and a file system of its own to make, so it is not made here.)
 */
async function holdWriteLock(file: string): Promise<{ release(): Promise<void> }> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const child = spawn(process.execPath, ['-e', `
    const db = new (require(${JSON.stringify(driver)}))(${JSON.stringify(file)});
    db.pragma('busy_timeout = 10000');
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); process.exit(0); });
  `], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  deferCleanup(() => {
    if (child.exitCode === null) child.kill();
  });
  await once(child.stdout, 'data');
  return {
    release: async () => {
      child.stdin.write('go\n');
      await exited;
    },
  };
}

/** Settles to what `p` settled with, and records when it did. */
function track<T>(p: Promise<T>) {
  const state = { settled: false };
  const outcome = p.then(
    (value) => ((state.settled = true), { ok: true as const, value }),
    (error: unknown) => ((state.settled = true), { ok: false as const, error }),
  );
  return { state, outcome };
}

// Operator fault test, 2 Dec: a frozen disk stopped the whole process, /healthz unanswered for the
// 60 s it lasted, because the event loop's own connection read the note and touched SQLite's
// WAL index. A statement waiting on the database (SQLite's busy timeout is 5 s) held the loop the
// same way. Now the process has one connection, on a thread of its own.
describe('SQLite waiting on the database', () => {
  it('holds up its thread, not the event loop: /healthz answers, says the store is down, and the waiting login completes once the lock is let go', async () => {
    const server = await startTestServer();
    const clinic = await createClinic(server.baseUrl);
    const lock = await holdWriteLock(path.join(server.dataDir, 'tandem.db'));
    // A login is a unit of work (the login and its audit record): it waits for the write lock.
    const login = track(new ApiClient(server.baseUrl).post('/api/auth/login', { email: clinic.a.email, password: clinic.a.password }));
    // Until the login's write is under way (after its password check) and waiting: then the
    // health check's ping waits behind it, past the check's 2 s bound. A loop held by the waiting
    // write would answer nothing until the write gave up (5 s), the login settled first.
    let health: Health;
    do health = await healthOf(server.baseUrl, 60_000);
    while (health.store !== 'down' && !login.state.settled);
    const loginWasWaiting = !login.state.settled;
    await lock.release();
    expect(loginWasWaiting).toBe(true);
    expect(health).toMatchObject({ status: 503, store: 'down' });
    // The login went through, unless its write gave up first (SQLite waits 5 s for a lock; a
    // slow machine may take that long to get here), and then it says so and the next one does.
    const { value } = (await login.outcome) as { value: { status: number } };
    expect([200, 503]).toContain(value.status);
    if (value.status === 503) await expectStatus(new ApiClient(server.baseUrl).post('/api/auth/login', { email: clinic.a.email, password: clinic.a.password }), 200, 'login after');
    // A round of checks answers for a second after it ran: the last one said down.
    await expect.poll(() => healthOf(server.baseUrl)).toMatchObject({ status: 200, store: 'up' });
  });

  it('fails a call that waited past its bound; one the thread had begun completes, one it had not is never run', async () => {
    const file = path.join(tempDir(), 'tandem.db');
    const store = await openSqliteStore(file, { callTimeoutMs: 1_000 });
    deferCleanup(() => store.close());
    const lock = await holdWriteLock(file);
    const tag = { id: 'tag-1', name: 'Affect', color: '#336699', description: '', retired: false, position: 1, createdAt: Date.now() };
    // The first waits on the lock inside the thread (up to SQLite's 5 s); the second waits behind it.
    const first = store.commit([{ kind: 'createTag', tag }]);
    const second = store.commit([{ kind: 'createTag', tag: { ...tag, id: 'tag-2', name: 'Risk' } }]);
    const outcomes = await Promise.allSettled([first, second]);
    await lock.release();
    for (const outcome of outcomes) expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'TANDEM_THREAD_TIMEOUT' } });
    // Asked after both: the thread answers in order, so the first has ended and the second was passed over.
    expect((await store.tags.list()).map((t) => t.name)).toEqual(['Affect']);
  });
});
