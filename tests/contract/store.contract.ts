import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { compactDoc } from '../../server/collab/compaction';
import { decodeSnapshotMeta } from '../../server/collab/snapshotMeta';
import { tallyDeleteSet } from '../../shared/protocol/storedState';
import { LEASE_KEPT_MS, type AccountRecord, type AtomicWrite, type LoginRecord, type MemberRecord, type NewLogEntry, type SessionRecord, type StoredDoc, type Store } from '../../server/persistence/ports';
import { StaleWriteError } from '../../server/persistence/storageBoundary';

/**
 * The behaviour every storage backend must have, run against each of them. `open` returns a new
 * handle on the same (per-run, initially empty) database each time it is called: two handles
 * stand for two server processes. `exec` runs raw SQL on that database, around the adapter.
 */
export function storeContract(name: string, open: () => Promise<Store>, exec: (sql: string) => Promise<void>): void {
  describe(`${name} store contract`, () => {
    let store: Store;
    const handles: Store[] = [];
    const openHandle = async () => {
      const s = await open();
      handles.push(s);
      return s;
    };
    beforeAll(async () => {
      store = await openHandle();
    });
    afterAll(async () => {
      for (const h of handles.splice(0)) await h.close();
    });

    const account = (over: Partial<AccountRecord> = {}): AccountRecord => {
      const id = randomUUID();
      return { id, email: `${id}@clinic.test`, name: `Person ${id.slice(0, 8)}`, role: 'clinician', passwordHash: 'scrypt$x', active: true, createdAt: Date.now(), ...over };
    };
    const session = (createdBy: string, over: Partial<SessionRecord> = {}): SessionRecord => ({
      id: randomUUID(), title: 'Tuesday group', kind: 'group', status: 'scheduled', scheduledAt: null, createdAt: Date.now(), createdBy,
      startedAt: null, endedAt: null, groupMembers: [], version: 0, ...over,
    });
    /** Creates a session with its first member (and first log entry), as the server does: in a unit of work. */
    const createSession = (s: SessionRecord, firstMember: MemberRecord, initialContent: NewLogEntry | null = null) =>
      store.commit([{ kind: 'createSession', session: s, firstMember, initialContent }]);
    const startLogins = (logins: LoginRecord[]) => store.commit(logins.map((login): AtomicWrite => ({ kind: 'startLogin', login })));
    /** Commits `writes` on `h`: true when stored, false when refused as stale (its row changed meanwhile). */
    const committed = async (writes: AtomicWrite[], h: Store = store): Promise<boolean> => {
      try {
        await h.commit(writes);
        return true;
      } catch (err) {
        if (err instanceof StaleWriteError) return false;
        throw err;
      }
    };
    /** A session owned by a fresh account, so its id can carry client bindings. */
    const newSession = async () => {
      const owner = account();
      await store.accounts.create(owner);
      const s = session(owner.id);
      await createSession(s, { sessionId: s.id, accountId: owner.id, role: 'therapist', addedAt: 1 });
      return { owner, sessionId: s.id };
    };

    describe('accounts', () => {
      // First on purpose: it needs the database without any account.
      it('creates the first account exactly once when processes race', async () => {
        expect(await store.accounts.count()).toBe(0);
        const other = await openHandle();
        const createFirst = (h: Store) => committed([{ kind: 'createFirstAccount', account: account() }], h);
        const results = await Promise.all([createFirst(store), createFirst(other), createFirst(store), createFirst(other)]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.accounts.count()).toBe(1);
        expect(await createFirst(other)).toBe(false);
      });

      it('creates, finds, lists by name and updates accounts', async () => {
        const zed = account({ name: 'Zed Zimmer', role: 'supervisor' });
        const amy = account({ name: 'Amy Adams' });
        await store.accounts.create(zed);
        await store.accounts.create(amy);
        expect(await store.accounts.byId(zed.id)).toEqual(zed);
        expect(await store.accounts.byEmail(amy.email)).toEqual(amy);
        expect(await store.accounts.byId(randomUUID())).toBeNull();
        expect(await store.accounts.byEmail('nobody@clinic.test')).toBeNull();
        const names = (await store.accounts.list()).map((a) => a.name);
        expect(names.indexOf('Amy Adams')).toBeLessThan(names.indexOf('Zed Zimmer'));
        expect(names).toEqual([...names].sort());

        await store.accounts.update(amy.id, { name: 'Amy Baker', role: 'admin', active: false, passwordHash: 'scrypt$y' });
        expect(await store.accounts.byId(amy.id)).toEqual({ ...amy, name: 'Amy Baker', role: 'admin', active: false, passwordHash: 'scrypt$y' });
        await store.accounts.update(amy.id, {});
        await store.accounts.update(amy.id, { active: true });
        expect((await store.accounts.byId(amy.id))?.active).toBe(true);
      });

      it('refuses a second account with the same email', async () => {
        const a = account();
        await store.accounts.create(a);
        await expect(store.accounts.create({ ...account(), email: a.email })).rejects.toThrow();
      });
    });

    describe('logins', () => {
      it('creates, reads, touches and deletes logins', async () => {
        const a = account();
        await store.accounts.create(a);
        const login = { tokenHash: randomUUID(), accountId: a.id, createdAt: 1_000, lastSeenAt: 1_000 };
        await startLogins([login]);
        expect(await store.logins.get(login.tokenHash)).toEqual(login);
        await store.logins.touch(login.tokenHash, 5_000);
        expect(await store.logins.get(login.tokenHash)).toEqual({ ...login, lastSeenAt: 5_000 });
        await store.logins.delete(login.tokenHash);
        expect(await store.logins.get(login.tokenHash)).toBeNull();
        expect(await store.logins.get('unknown')).toBeNull();
      });

      it('deletes every login of an account (or all but one), and purges idle and old ones', async () => {
        const [a, b] = [account(), account()];
        await store.accounts.create(a);
        await store.accounts.create(b);
        const now = 10_000_000_000_000;
        const mk = (accountId: string, createdAt: number, lastSeenAt: number) => ({ tokenHash: randomUUID(), accountId, createdAt, lastSeenAt });
        const [a1, a2] = [mk(a.id, now, now), mk(a.id, now, now)];
        const [fresh, idle, old] = [mk(b.id, now - 10, now), mk(b.id, now - 10, now - 5_000), mk(b.id, now - 50_000, now)];
        await startLogins([a1, a2, fresh, idle, old]);
        expect(await store.logins.deleteForAccount(a.id, a2.tokenHash)).toBe(1);
        expect(await store.logins.get(a1.tokenHash)).toBeNull();
        expect(await store.logins.get(a2.tokenHash)).toEqual(a2);
        expect(await store.logins.deleteForAccount(a.id)).toBe(1);
        expect(await store.logins.get(a2.tokenHash)).toBeNull();
        expect(await store.logins.purge(now - 1_000, now - 20_000)).toBe(2);
        expect(await store.logins.get(fresh.tokenHash)).toEqual(fresh);
        expect(await store.logins.get(idle.tokenHash)).toBeNull();
        expect(await store.logins.get(old.tokenHash)).toBeNull();
      });
    });

    describe('sessions', () => {
      it('creates a session with its first member and its initial content together', async () => {
        const owner = account();
        await store.accounts.create(owner);
        const s = session(owner.id, { scheduledAt: 1_700_000_000_000, groupMembers: ['M1', 'M2'] });
        const template = new Y.Doc();
        template.getText('note').insert(0, 'Attendance:');
        const initial: NewLogEntry = { at: 123, accountId: null, data: Y.encodeStateAsUpdate(template) };
        await createSession(s, { sessionId: s.id, accountId: owner.id, role: 'therapist', addedAt: 5 }, initial);
        expect(await store.sessions.byId(s.id)).toEqual(s);
        expect(await store.sessions.members(s.id)).toEqual([{ sessionId: s.id, accountId: owner.id, role: 'therapist', addedAt: 5 }]);
        const stored = await store.docs.load(s.id);
        expect(stored.snapshot).toBeNull();
        expect(stored.tail).toHaveLength(1);
        expect(stored.tail[0]!.at).toBe(123);
        expect(textOf(stored)).toBe('Attendance:');
      });

      it('creates nothing when one part of the creation fails', async () => {
        const owner = account();
        await store.accounts.create(owner);
        const s = session(owner.id);
        const initial: NewLogEntry = { at: 1, accountId: null, data: Y.encodeStateAsUpdate(new Y.Doc()) };
        // The member refers to an account that does not exist.
        await expect(createSession(s, { sessionId: s.id, accountId: randomUUID(), role: 'therapist', addedAt: 1 }, initial)).rejects.toThrow();
        expect(await store.sessions.byId(s.id)).toBeNull();
        expect(await store.docs.readLog(s.id)).toEqual([]);
      });

      it('creates a session without content, and lists an account\'s sessions newest first', async () => {
        const [owner, guest] = [account(), account({ role: 'supervisor' })];
        await store.accounts.create(owner);
        await store.accounts.create(guest);
        const older = session(owner.id, { createdAt: 1_000 });
        const newer = session(owner.id, { createdAt: 2_000 });
        const scheduled = session(owner.id, { createdAt: 500, scheduledAt: 3_000 });
        for (const s of [older, newer, scheduled]) await createSession(s, { sessionId: s.id, accountId: owner.id, role: 'therapist', addedAt: 1 });
        expect((await store.docs.load(older.id)).tail).toEqual([]);
        expect((await store.sessions.listForAccount(owner.id)).map((s) => s.id)).toEqual([scheduled.id, newer.id, older.id]);
        expect(await store.sessions.listForAccount(guest.id)).toEqual([]);
        expect(await store.sessions.byId(randomUUID())).toBeNull();
      });

      it('adds, changes and removes members', async () => {
        const { owner, sessionId } = await newSession();
        const sup = account({ role: 'supervisor' });
        await store.accounts.create(sup);
        expect(await store.sessions.member(sessionId, sup.id)).toBeNull();
        await store.sessions.putMember({ sessionId, accountId: sup.id, role: 'supervisor', addedAt: 10 });
        await store.sessions.putMember({ sessionId, accountId: sup.id, role: 'therapist', addedAt: 99 });
        // A role change keeps when the member was added.
        expect(await store.sessions.member(sessionId, sup.id)).toEqual({ sessionId, accountId: sup.id, role: 'therapist', addedAt: 10 });
        expect((await store.sessions.members(sessionId)).map((m) => m.accountId)).toEqual([owner.id, sup.id]);
        expect((await store.sessions.listForAccount(sup.id)).map((s) => s.id)).toEqual([sessionId]);
        expect(await store.sessions.removeMember(sessionId, sup.id)).toBe(true);
        expect(await store.sessions.removeMember(sessionId, sup.id)).toBe(false);
        expect(await store.sessions.members(sessionId)).toHaveLength(1);
      });

      it('updates a session only from the given statuses (compare-and-set)', async () => {
        const { sessionId } = await newSession();
        expect(await store.sessions.update(sessionId, { status: 'live', startedAt: 1_000, groupMembers: ['A.B.', 'M2'] }, ['scheduled'])).toBe(true);
        expect(await store.sessions.byId(sessionId)).toMatchObject({ status: 'live', startedAt: 1_000, groupMembers: ['A.B.', 'M2'] });
        const other = await openHandle();
        const raced = await Promise.all([
          store.sessions.update(sessionId, { status: 'ended', endedAt: 2_000 }, ['live']),
          other.sessions.update(sessionId, { status: 'ended', endedAt: 3_000 }, ['live']),
        ]);
        expect(raced.filter(Boolean)).toHaveLength(1);
        expect(await store.sessions.update(sessionId, { title: 'Renamed' })).toBe(true);
        expect(await store.sessions.byId(sessionId)).toMatchObject({ status: 'ended', title: 'Renamed' });
      });
    });

    describe('documents', () => {
      it('loads an unknown document as empty', async () => {
        expect(await store.docs.load(randomUUID())).toEqual({ snapshot: null, tail: [] });
        expect(await store.docs.readLog(randomUUID())).toEqual([]);
        expect(await store.docs.stats(randomUUID())).toEqual({ logRows: 0, logBytes: 0, snapshotBytes: 0 });
      });

      it('appends in order, reads the log after a seq, and keeps documents apart', async () => {
        const [docA, docB] = [randomUUID(), randomUUID()];
        const entry = (n: number): NewLogEntry => ({ at: 1_000 + n, accountId: null, data: new Uint8Array([n, 0, 255, n]) });
        await store.docs.append(docA, [entry(1), entry(2)]);
        await store.docs.append(docB, [entry(9)]);
        await store.docs.append(docA, [entry(3)]);
        await store.docs.append(docA, []);
        const log = await store.docs.readLog(docA);
        expect(log.map((e) => [e.at, Array.from(e.data)])).toEqual([[1_001, [1, 0, 255, 1]], [1_002, [2, 0, 255, 2]], [1_003, [3, 0, 255, 3]]]);
        expect(log.map((e) => e.seq)).toEqual([...log.map((e) => e.seq)].sort((x, y) => x - y));
        expect(new Set(log.map((e) => e.seq)).size).toBe(3);
        expect(await store.docs.readLog(docA, log[0]!.seq)).toEqual(log.slice(1));
        expect((await store.docs.load(docA)).tail).toEqual(log);
        expect((await store.docs.readLog(docB)).map((e) => e.at)).toEqual([1_009]);
        expect(await store.docs.stats(docA)).toEqual({ logRows: 3, logBytes: 12, snapshotBytes: 0 });
        // The times alone, each once, ascending, whatever order they were written in.
        await store.docs.append(docA, [entry(2), { ...entry(0), at: 999 }]);
        expect(await store.docs.logTimes(docA)).toEqual([999, 1_001, 1_002, 1_003]);
        expect(await store.docs.logTimes(randomUUID())).toEqual([]);
      });

      // Attack (4 Dec): words another process took in before it heard of the lock were stored after it.
      it('refuses an append to a locked note with AppendRefusedError, storing nothing, and takes it again once returned', async () => {
        const { owner, sessionId } = await newSession();
        const entry = (n: number): NewLogEntry => ({ at: 1_000 + n, accountId: owner.id, data: new Uint8Array([n]) });
        await store.docs.append(sessionId, [entry(1)]);
        for (const status of ['signed', 'reviewed'] as const) {
          expect(await store.sessions.update(sessionId, { status })).toBe(true);
          await expect(store.docs.append(sessionId, [entry(2)])).rejects.toMatchObject({ name: 'AppendRefusedError', docId: sessionId });
        }
        // Another note's entries written beside the refused ones are stored.
        const other = await newSession();
        await Promise.all([expect(store.docs.append(sessionId, [entry(3)])).rejects.toMatchObject({ name: 'AppendRefusedError' }), store.docs.append(other.sessionId, [entry(4)])]);
        expect((await store.docs.readLog(sessionId)).map((e) => e.at)).toEqual([1_001]);
        expect((await store.docs.readLog(other.sessionId)).map((e) => e.at)).toEqual([1_004]);
        expect(await store.sessions.update(sessionId, { status: 'ended' })).toBe(true);
        await store.docs.append(sessionId, [entry(5)]);
        expect((await store.docs.readLog(sessionId)).map((e) => e.at)).toEqual([1_001, 1_005]);
      });

      it('binds new client ids to the writing account in the same append, first binding wins', async () => {
        const { owner, sessionId } = await newSession();
        const other = account();
        await store.accounts.create(other);
        const data = new Uint8Array([0, 0]);
        await store.docs.append(sessionId, [{ at: 1, accountId: owner.id, data, bindings: [[111, owner.id], [222, owner.id]] }]);
        await store.docs.append(sessionId, [{ at: 2, accountId: other.id, data, bindings: [[333, other.id]] }, { at: 3, accountId: null, data }]);
        // Relayed from another process (no writer of this append): its bindings were judged there.
        await store.docs.append(sessionId, [{ at: 4, accountId: null, data, bindings: [[222, other.id], [444, other.id]] }]);
        expect(await store.bindings.forSession(sessionId)).toEqual(new Map([[111, owner.id], [222, owner.id], [333, other.id], [444, other.id]]));
        expect((await store.docs.readLog(sessionId)).map((e) => e.at)).toEqual([1, 2, 3, 4]);
      });

      // Attack (4 Dec): a process that could not hear of another's claim let a therapist write
      // under her co-therapist's client id; storage, where every claim is, judges it.
      it('refuses a writer’s claim of a client id another account holds or announced, storing nothing of the append', async () => {
        const { owner, sessionId } = await newSession();
        const other = account();
        await store.accounts.create(other);
        const data = new Uint8Array([0, 0]);
        await store.docs.append(sessionId, [{ at: 1, accountId: owner.id, data, bindings: [[111, owner.id]] }]);
        await store.bindings.announce(sessionId, 222, owner.id, 2);
        for (const taken of [111, 222]) {
          const claim = store.docs.append(sessionId, [{ at: 3, accountId: null, data }, { at: 4, accountId: other.id, data, bindings: [[taken, other.id]] }]);
          await expect(claim).rejects.toMatchObject({ name: 'AppendRefusedError', reason: 'client_id_taken', docId: sessionId });
        }
        // Its own announced id, and one nobody holds, are the writer's to take.
        await store.docs.append(sessionId, [{ at: 5, accountId: owner.id, data, bindings: [[222, owner.id]] }]);
        await store.docs.append(sessionId, [{ at: 6, accountId: other.id, data, bindings: [[333, other.id]] }]);
        expect(await store.bindings.forSession(sessionId)).toEqual(new Map([[111, owner.id], [222, owner.id], [333, other.id]]));
        expect((await store.docs.readLog(sessionId)).map((e) => e.at)).toEqual([1, 5, 6]);
      });

      it('keeps the client ids announced in presence apart from bindings, first announcement wins', async () => {
        const { owner, sessionId } = await newSession();
        const other = account();
        await store.accounts.create(other);
        await store.bindings.announce(sessionId, 444, owner.id, 1);
        await store.bindings.announce(sessionId, 444, other.id, 2);
        await store.bindings.announce(sessionId, 555, other.id, 3);
        expect(await store.bindings.announced(sessionId)).toEqual(new Map([[444, owner.id], [555, other.id]]));
        // Announcing is not writing: the note's writers (bindings) stay as they were.
        expect(await store.bindings.forSession(sessionId)).toEqual(new Map());
        const { sessionId: elsewhere } = await newSession();
        expect(await store.bindings.announced(elsewhere)).toEqual(new Map());
      });

      it('compacts into a snapshot and coarse history with identical content, and keeps appending after', async () => {
        const docId = randomUUID();
        const { source, entries } = typedHistory(300, Date.UTC(2026, 0, 1, 10), 100);
        await store.docs.append(docId, entries);
        const before = await store.docs.stats(docId);
        const result = await compactDoc(store.docs, docId, 15_000);
        expect(result?.before.rows).toBe(300);
        const after = await store.docs.stats(docId);
        expect(after.logRows).toBeLessThan(before.logRows);
        expect(after.snapshotBytes).toBeGreaterThan(0);

        const loaded = await store.docs.load(docId);
        expect(loaded.tail).toEqual([]);
        expectSameContent(docOf(loaded), source);
        // Beside the snapshot: its state vector and delete set, read back as they were written.
        const meta = decodeSnapshotMeta(loaded.snapshot!.meta!);
        expect(meta.clocks).toEqual(Y.decodeStateVector(Y.encodeStateVector(source)));
        expect(meta.deletions).toEqual(tallyDeleteSet(Y.createDeleteSetFromStructStore(source.store)));
        // The coarse history alone still replays to the same content; each entry keeps its last seq.
        const history = await store.docs.readLog(docId);
        expect(history.length).toBe(after.logRows);
        expectSameContent(docOf({ snapshot: null, tail: history }), source);
        expect(history.at(-1)!.seq).toBe(loaded.snapshot!.uptoSeq);

        const more = typedHistory(20, Date.UTC(2026, 0, 1, 11), 100, source);
        await store.docs.append(docId, more.entries);
        const reloaded = await store.docs.load(docId);
        expect(reloaded.tail).toHaveLength(20);
        expectSameContent(docOf(reloaded), source);
        await compactDoc(store.docs, docId, 15_000);
        expectSameContent(docOf(await store.docs.load(docId)), source);
      });

      it('folds a log longer than a step in steps, each reading only its share, to the same content', async () => {
        const docId = randomUUID();
        const { source, entries } = typedHistory(250, Date.UTC(2026, 0, 1, 10), 100);
        await store.docs.append(docId, entries);
        const log = await store.docs.readLog(docId);
        // Loading with a tail limit gives the first entries after the snapshot, no more.
        expect((await store.docs.load(docId, 7)).tail).toEqual(log.slice(0, 7));

        const steps: { rows: number; more: boolean }[] = [];
        for (;;) {
          const result = await compactDoc(store.docs, docId, 1_000, undefined, 100);
          if (!result) break;
          steps.push({ rows: result.before.rows, more: result.more });
          // Each step's snapshot ends where its share did; the entries after it stay as they were.
          const folded = steps.reduce((n, s) => n + s.rows, 0);
          const now = await store.docs.load(docId);
          expect(now.snapshot!.uptoSeq).toBe(log[folded - 1]!.seq);
          expect(now.tail).toEqual(log.slice(folded));
          expectSameContent(docOf(now), source);
        }
        expect(steps).toEqual([{ rows: 100, more: true }, { rows: 100, more: true }, { rows: 50, more: false }]);
        const loaded = await store.docs.load(docId);
        expect(loaded.tail).toEqual([]);
        expect(loaded.snapshot!.uptoSeq).toBe(log.at(-1)!.seq);
        expectSameContent(docOf(loaded), source);
        // The history the steps wrote still replays to the same note.
        expectSameContent(docOf({ snapshot: null, tail: await store.docs.readLog(docId) }), source);
      });

      it('replaces exactly the entries up to the snapshot when compacting', async () => {
        const docId = randomUUID();
        const { entries } = typedHistory(6, 1_000, 1);
        await store.docs.append(docId, entries);
        const log = await store.docs.readLog(docId);
        const merged = { seq: log[3]!.seq, at: log[3]!.at, data: Y.mergeUpdates(log.slice(0, 4).map((e) => e.data)) };
        const snapshot = { uptoSeq: log[3]!.seq, data: Y.mergeUpdates(log.slice(0, 4).map((e) => e.data)), meta: null };
        await store.docs.compact(docId, snapshot, [merged], 0);
        expect((await store.docs.readLog(docId)).map((e) => e.seq)).toEqual([log[3]!.seq, log[4]!.seq, log[5]!.seq]);
        const loaded = await store.docs.load(docId);
        expect(loaded.snapshot?.uptoSeq).toBe(log[3]!.seq);
        expect(loaded.snapshot?.meta).toBeNull();
        expect(loaded.tail.map((e) => e.seq)).toEqual([log[4]!.seq, log[5]!.seq]);

        // A later compaction rewrites only what came after the previous one.
        const next = { seq: log[5]!.seq, at: log[5]!.at, data: Y.mergeUpdates([log[4]!.data, log[5]!.data]) };
        const meta = new Uint8Array([7, 1, 2, 3, 4, 5, 6, 7]);
        await store.docs.compact(docId, { uptoSeq: log[5]!.seq, data: Y.mergeUpdates(log.map((e) => e.data)), meta }, [next], log[3]!.seq);
        expect((await store.docs.readLog(docId)).map((e) => e.seq)).toEqual([log[3]!.seq, log[5]!.seq]);
        const reloaded = await store.docs.load(docId);
        expect(reloaded.tail).toEqual([]);
        expect(reloaded.snapshot?.meta).toEqual(meta);
      });

      it('refuses merged entries outside the range they replace, changing nothing', async () => {
        const docId = randomUUID();
        const { entries } = typedHistory(3, 1_000, 1);
        await store.docs.append(docId, entries);
        const log = await store.docs.readLog(docId);
        const data = Y.mergeUpdates(log.map((e) => e.data));
        await expect(store.docs.compact(docId, { uptoSeq: log[2]!.seq, data, meta: null }, [log[0]!], log[0]!.seq)).rejects.toThrow(/range/);
        expect(await store.docs.readLog(docId)).toEqual(log);
        expect((await store.docs.load(docId)).snapshot).toBeNull();
      });

      it('loses nothing when processes append and compact one document at the same time', async () => {
        const docId = randomUUID();
        const handles = [store, await openHandle()];
        const writers = Array.from({ length: 4 }, (_, w) => {
          const doc = new Y.Doc();
          const pending: Uint8Array[] = [];
          doc.on('update', (u: Uint8Array) => pending.push(u));
          return { doc, pending, w };
        });
        const write = async ({ doc, pending, w }: (typeof writers)[number]) => {
          for (let i = 0; i < 40; i++) {
            doc.getArray<string>('items').push([`w${w}-${i}`]);
            const batch = pending.splice(0).map((data) => ({ at: Date.now(), accountId: null, data }));
            await handles[(w + i) % 2]!.docs.append(docId, batch);
          }
        };
        let writing = true;
        const compactLoop = async (h: Store) => {
          while (writing) {
            // A store may answer from another thread: let its replies in between compactions.
            await new Promise((resolve) => setImmediate(resolve));
            try {
              await compactDoc(h.docs, docId, 1);
            } catch (err) {
              // Two compactions that raced: the later one is refused and changes nothing.
              if ((err as { code?: string }).code !== 'compaction_conflict') throw err;
            }
          }
        };
        const compactors = handles.map(compactLoop);
        await Promise.all(writers.map(write));
        writing = false;
        await Promise.all(compactors);
        const items = docOf(await store.docs.load(docId)).getArray<string>('items').toArray();
        expect(new Set(items).size).toBe(160);
        expect(items).toHaveLength(160);
      });
    });

    describe('audit', () => {
      it('lists newest first, by session, with a limit and a cursor', async () => {
        const sessionId = randomUUID();
        for (let i = 0; i < 5; i++) {
          await store.audit.append({ at: 1_000 + i, actorId: i === 0 ? null : 'someone', action: 'login', sessionId: i % 2 ? sessionId : null, detail: { n: i, nested: { ok: true } } });
        }
        const mine = await store.audit.list({ sessionId, limit: 10 });
        expect(mine.map((e) => e.detail.n)).toEqual([3, 1]);
        expect(mine[0]).toMatchObject({ at: 1_003, actorId: 'someone', action: 'login', sessionId, detail: { n: 3, nested: { ok: true } } });
        const latest = await store.audit.list({ limit: 2 });
        expect(latest.map((e) => e.detail.n)).toEqual([4, 3]);
        const next = await store.audit.list({ limit: 2, beforeId: latest[1]!.id });
        expect(next.map((e) => e.detail.n)).toEqual([2, 1]);
        expect(latest[0]!.id).toBeGreaterThan(latest[1]!.id);
      });

      it('is append-only even for raw SQL', async () => {
        await store.audit.append({ at: 1, actorId: null, action: 'setup', sessionId: null, detail: {} });
        await expect(exec("UPDATE audit_log SET action = 'forged'")).rejects.toThrow(/append-only/);
        await expect(exec('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
        expect((await store.audit.list({ limit: 1000 })).some((e) => e.action === 'setup')).toBe(true);
      });
    });

    describe('units of work', () => {
      const audit = (sessionId: string) => ({ kind: 'audit', entry: { at: 1, actorId: null, action: 'debrief_saved', sessionId, detail: {} } }) as const;
      const recorded = async (sessionId: string) => (await store.audit.list({ sessionId, limit: 10 })).length;

      it('stores a new session with its group, team, process note and member-note link, and answers what each write changed', async () => {
        const { owner, sessionId: groupId } = await newSession();
        const s = session(owner.id);
        const other = account();
        await store.accounts.create(other);
        const login = { tokenHash: randomUUID(), accountId: other.id, createdAt: 1, lastSeenAt: 1 };
        const changed = await store.commit([
          { kind: 'createSession', session: s, firstMember: { sessionId: s.id, accountId: owner.id, role: 'therapist', addedAt: 2 }, initialContent: { at: 2, data: Y.encodeStateAsUpdate(new Y.Doc()), accountId: null } },
          { kind: 'putMember', member: { sessionId: s.id, accountId: other.id, role: 'therapist', addedAt: 2 } },
          { kind: 'joinGroup', sessionId: s.id, groupId, at: 2 },
          { kind: 'memberNoteLink', link: { noteSessionId: s.id, groupSessionId: groupId, createdAt: 2 } },
          { kind: 'createProcessNote', note: { processSessionId: groupId, sessionId: s.id, retainDays: null, sharedAt: null, sharedBy: null, removedAt: null, createdAt: 2 } },
          { kind: 'startLogin', login },
          { kind: 'startLogin', login: { ...login, tokenHash: randomUUID() } },
          { kind: 'endLogins', accountId: other.id, exceptTokenHash: login.tokenHash },
          audit(s.id),
        ]);
        expect(changed).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0]);
        expect((await store.sessions.members(s.id)).map((m) => m.accountId).sort()).toEqual([owner.id, other.id].sort());
        expect((await store.docs.load(s.id)).tail).toHaveLength(1);
        expect(await store.memberNotes.groupIdOf(s.id)).toBe(groupId);
        expect(await store.memberNotes.groupOf(s.id)).toMatchObject({ groupSessionId: groupId });
        expect(await store.memberNotes.processNote(s.id, 'session')).toMatchObject({ processSessionId: groupId });
        expect(await store.logins.get(login.tokenHash)).toMatchObject({ accountId: other.id });
        expect(await recorded(s.id)).toBe(1);
      });

      it('refuses a write whose row changed meanwhile with StaleWriteError, storing nothing of the unit', async () => {
        const { owner, sessionId } = await newSession();
        const field = { sessionId, field: 'plan', body: 'Check-in first', updatedBy: owner.id, updatedAt: 1 };
        await store.commit([{ kind: 'debriefField', field, baseVersion: 0 }]);
        await expect(store.commit([{ kind: 'debriefField', field: { ...field, body: 'stale' }, baseVersion: 0 }, audit(sessionId)])).rejects.toMatchObject({ name: 'StaleWriteError', kind: 'debriefField' });
        expect((await store.learning.debriefFields(sessionId)).map((f) => [f.body, f.version])).toEqual([['Check-in first', 1]]);

        await store.learning.putBlindSetting({ sessionId, enabled: true, setBy: owner.id, setAt: 1, revealedAt: null });
        await store.commit([{ kind: 'revealed', sessionId, at: 5, merge: null, observations: 0 }]);
        await expect(store.commit([{ kind: 'revealed', sessionId, at: 6, merge: null, observations: 0 }, audit(sessionId)])).rejects.toMatchObject({ name: 'StaleWriteError', kind: 'revealed' });
        expect(await store.learning.blindSetting(sessionId)).toMatchObject({ revealedAt: 5 });

        // A session write at the version it was read: another change since refuses it (group labels edited from an older list).
        const read = (await store.sessions.byId(sessionId))!;
        await store.commit([{ kind: 'session', id: sessionId, patch: { groupMembers: ['M1', 'M3'] }, fromVersion: read.version }]);
        await expect(store.commit([{ kind: 'session', id: sessionId, patch: { groupMembers: ['M1', 'M4'] }, fromVersion: read.version }, audit(sessionId)])).rejects.toMatchObject({ name: 'StaleWriteError', kind: 'session' });
        expect(await store.sessions.byId(sessionId)).toMatchObject({ groupMembers: ['M1', 'M3'], version: read.version + 1 });

        const latecomer = account({ role: 'admin' });
        await expect(store.commit([{ kind: 'createFirstAccount', account: latecomer }, audit(sessionId)])).rejects.toMatchObject({ name: 'StaleWriteError', kind: 'createFirstAccount' });
        expect(await store.accounts.byId(latecomer.id)).toBeNull();
        expect(await recorded(sessionId)).toBe(0);
      });
    });

    describe('codebook, lifecycle events, addenda and comments', () => {
      it('seeds tags idempotently, creates, lists in order and updates them', async () => {
        const tag = (id: string, name: string, position: number) => ({ id, name, color: '#123456', description: '', retired: false, position, createdAt: 1 });
        const [t1, t2] = [tag(randomUUID(), 'Zeta', 1), tag(randomUUID(), 'Alpha', 1)];
        await store.tags.ensure([t1, t2]);
        await store.tags.ensure([{ ...t1, name: 'Changed?' }]);
        const t3 = tag(randomUUID(), 'First', 0);
        await store.tags.create(t3);
        await expect(store.tags.create(t3)).rejects.toThrow();
        await store.tags.update(t1.id, { retired: true, description: 'old' });
        const mine = (await store.tags.list()).filter((t) => [t1.id, t2.id, t3.id].includes(t.id));
        expect(mine).toEqual([t3, t2, { ...t1, retired: true, description: 'old' }]);
      });

      it('keeps lifecycle events and addenda append-only', async () => {
        const { owner, sessionId } = await newSession();
        await store.events.append({ sessionId, at: 1, actorId: owner.id, kind: 'started', digest: null, reason: null });
        await store.events.append({ sessionId, at: 2, actorId: owner.id, kind: 'signed', digest: 'abc', reason: null });
        expect((await store.events.list(sessionId)).map((e) => [e.kind, e.digest])).toEqual([['started', null], ['signed', 'abc']]);
        await store.addenda.create({ id: randomUUID(), sessionId, authorId: owner.id, at: 5, body: 'Late entry' });
        expect((await store.addenda.list(sessionId)).map((a) => a.body)).toEqual(['Late entry']);
        await expect(exec(`UPDATE session_events SET kind = 'returned' WHERE session_id = '${sessionId}'`)).rejects.toThrow(/append-only/);
        await expect(exec(`DELETE FROM addenda WHERE session_id = '${sessionId}'`)).rejects.toThrow();
      });

      it('creates, threads and updates comments', async () => {
        const { owner, sessionId } = await newSession();
        const root = { id: randomUUID(), sessionId, authorId: owner.id, parentId: null, anchor: '{"obs":"1"}', body: 'Why?', createdAt: 1, updatedAt: 1, deleted: false };
        const reply = { ...root, id: randomUUID(), parentId: root.id, body: 'Because.', createdAt: 2, updatedAt: 2 };
        await store.comments.create(root);
        await store.comments.create(reply);
        await store.comments.update(root.id, { body: 'Why so?', updatedAt: 3, deleted: true });
        expect(await store.comments.byId(root.id)).toEqual({ ...root, body: 'Why so?', updatedAt: 3, deleted: true });
        expect((await store.comments.list(sessionId)).map((c) => c.id)).toEqual([root.id, reply.id]);
        expect(await store.comments.byId(randomUUID())).toBeNull();
      });
    });

    describe('learning: huddle and debrief, blind mode', () => {
      it('saves a debrief field only from the version it was based on (compare-and-set)', async () => {
        const { owner, sessionId } = await newSession();
        const field = { sessionId, field: 'plan', body: 'Start with the check-in', updatedBy: owner.id, updatedAt: 10 };
        const save = (f: typeof field, baseVersion: number) => committed([{ kind: 'debriefField', field: f, baseVersion }]);
        expect(await save(field, 0)).toBe(true);
        expect(await save({ ...field, body: 'lost race' }, 0)).toBe(false);
        expect(await save({ ...field, body: 'Check-in, then the rupture', updatedAt: 11 }, 1)).toBe(true);
        expect(await save({ ...field, body: 'stale' }, 1)).toBe(false);
        await save({ ...field, field: 'leads', body: 'A leads' }, 0);
        expect(await store.learning.debriefFields(sessionId)).toEqual([
          { ...field, field: 'leads', body: 'A leads', version: 1 },
          { ...field, body: 'Check-in, then the rupture', updatedAt: 11, version: 2 },
        ]);
        expect(await store.learning.debriefFields(randomUUID())).toEqual([]);
      });

      // Attack, 6 Dec: a save updated the field's one row in place, so emptying it lost the words.
      it('keeps every saved version of a debrief field, append-only, and none of a refused save', async () => {
        const { owner, sessionId } = await newSession();
        const field = { sessionId, field: 'noticedA', body: 'M2 went quiet at her father', updatedBy: owner.id, updatedAt: 20 };
        const save = (f: typeof field, baseVersion: number) => committed([{ kind: 'debriefField', field: f, baseVersion }]);
        expect(await save(field, 0)).toBe(true);
        expect(await save({ ...field, body: '', updatedAt: 21 }, 1)).toBe(true);
        expect(await save({ ...field, body: 'stale', updatedAt: 22 }, 1)).toBe(false);
        expect(await save({ ...field, field: 'checkIn', body: 'We split the room well', updatedAt: 23 }, 0)).toBe(true);
        expect(await store.learning.debriefHistory(sessionId)).toEqual([
          { ...field, field: 'checkIn', body: 'We split the room well', updatedAt: 23, version: 1 },
          { ...field, version: 1 },
          { ...field, body: '', updatedAt: 21, version: 2 },
        ]);
        expect((await store.learning.debriefFields(sessionId)).map((f) => [f.field, f.body, f.version])).toEqual([['checkIn', 'We split the room well', 1], ['noticedA', '', 2]]);
        expect(await store.learning.debriefHistory(randomUUID())).toEqual([]);
      });

      it('keeps the blind setting, reveals once, and keeps private observations per author', async () => {
        const { owner, sessionId } = await newSession();
        const other = account();
        await store.accounts.create(other);
        expect(await store.learning.blindSetting(sessionId)).toBeNull();
        const setting = { sessionId, enabled: true, setBy: owner.id, setAt: 5, revealedAt: null };
        await store.learning.putBlindSetting({ ...setting, enabled: false });
        await store.learning.putBlindSetting(setting);
        expect(await store.learning.blindSetting(sessionId)).toEqual(setting);
        await store.learning.requestReveal(sessionId, owner.id, 20);
        await store.learning.requestReveal(sessionId, owner.id, 25);
        expect(await store.learning.revealRequests(sessionId)).toEqual([{ accountId: owner.id, at: 20 }]);
        const obs = (id: string, authorId: string, receivedAt: number) => ({ id, sessionId, authorId, record: '{"m":"M1"}', anchor: '{"a":1}', receivedAt, offsetMs: null, late: false });
        const [o1, o2, o3] = [obs(randomUUID(), owner.id, 3), obs(randomUUID(), other.id, 1), obs(randomUUID(), owner.id, 2)];
        for (const o of [o1, o2, o3]) expect(await store.learning.addBlindObservation(o, 2)).toBe('stored');
        // The owner has 2: a third is not stored, another author's is.
        expect(await store.learning.addBlindObservation(obs(randomUUID(), owner.id, 4), 2)).toBe('limit');
        expect(await store.learning.blindObservations(sessionId, owner.id)).toEqual([o3, o1]);
        // Asked at once (on PostgreSQL, on several pooled connections), the limit still holds exactly.
        const racing = await Promise.all(Array.from({ length: 12 }, (_, i) => store.learning.addBlindObservation(obs(randomUUID(), other.id, 10 + i), 5)));
        expect(racing.filter((r) => r === 'stored')).toHaveLength(4);
        expect(await store.learning.blindObservations(sessionId, other.id)).toHaveLength(5);
        expect((await store.learning.blindObservations(sessionId)).map((o) => o.id).slice(0, 3)).toEqual([o2.id, o3.id, o1.id]);
        // The reveal stores its merge in the note's log with the mark; a stale reveal stores neither.
        const logBefore = (await store.docs.readLog(sessionId)).length;
        const merge = { at: 30, data: new Uint8Array([1, 2, 3]), accountId: null };
        // A merge worked out from fewer observations than the session holds (one was stored while
        // it was worked out) is stale: neither the mark nor the merge is stored.
        const held = (await store.learning.blindObservations(sessionId)).length;
        expect(await committed([{ kind: 'revealed', sessionId, at: 29, merge: { ...merge, at: 29 }, observations: held - 1 }])).toBe(false);
        expect((await store.learning.blindSetting(sessionId))?.revealedAt).toBeNull();
        expect(await committed([{ kind: 'revealed', sessionId, at: 30, merge, observations: held }])).toBe(true);
        expect(await committed([{ kind: 'revealed', sessionId, at: 31, merge: { ...merge, at: 31 }, observations: held }])).toBe(false);
        expect((await store.learning.blindSetting(sessionId))?.revealedAt).toBe(30);
        expect((await store.docs.readLog(sessionId)).slice(logBefore).map((e) => [e.at, [...e.data]])).toEqual([[30, [1, 2, 3]]]);
        // Once revealed, a private observation is refused: the merge is done and would not hold it.
        expect(await store.learning.addBlindObservation(obs(randomUUID(), owner.id, 40), 10)).toBe('revealed');
        expect(await store.learning.blindObservations(sessionId)).toHaveLength(held);
      });
    });

    describe('the supervisor\'s desk', () => {
      it('filters the audit log by person, action and time range', async () => {
        const [p1, p2] = [randomUUID(), randomUUID()];
        await store.audit.append({ at: 5_000, actorId: p1, action: 'note_read', sessionId: null, detail: {} });
        await store.audit.append({ at: 6_000, actorId: p1, action: 'export', sessionId: null, detail: {} });
        await store.audit.append({ at: 7_000, actorId: p2, action: 'note_read', sessionId: null, detail: {} });
        expect((await store.audit.list({ limit: 10, actorId: p1 })).map((e) => e.action)).toEqual(['export', 'note_read']);
        expect((await store.audit.list({ limit: 10, actorId: p1, actions: ['note_read', 'login'] })).map((e) => e.at)).toEqual([5_000]);
        expect((await store.audit.list({ limit: 10, from: 6_000, to: 7_000 })).map((e) => e.actorId)).toEqual([p1]);
        expect((await store.audit.list({ limit: 10, from: 7_000, actions: ['note_read'] })).map((e) => e.actorId)).toEqual([p2]);
      });

      it('keeps notices per person, newest first, and marks some or all read', async () => {
        const { owner, sessionId } = await newSession();
        const notice = (createdAt: number) => ({ id: randomUUID(), accountId: owner.id, kind: 'comment' as const, sessionId, actorId: null, refId: null, createdAt, readAt: null });
        const [n1, n2, n3] = [notice(1), notice(2), notice(3)];
        await store.notices.create([n1, n2, n3]);
        expect((await store.notices.list(owner.id, 10)).map((n) => n.id)).toEqual([n3.id, n2.id, n1.id]);
        expect(await store.notices.list(owner.id, 1)).toEqual([n3]);
        expect(await store.notices.unreadCount(owner.id)).toBe(3);
        expect(await store.notices.markRead(owner.id, [n1.id, randomUUID()], 10)).toBe(1);
        expect(await store.notices.markRead(randomUUID(), null, 11)).toBe(0);
        expect(await store.notices.unreadCount(owner.id)).toBe(2);
        expect(await store.notices.markRead(owner.id, null, 12)).toBe(2);
        expect((await store.notices.list(owner.id, 10)).map((n) => n.readAt)).toEqual([12, 12, 10]);
        // Only the given sessions' (the inbox asks for those the person may read), the limit counting them alone.
        const other = (await newSession()).sessionId;
        const elsewhere = { ...notice(4), id: randomUUID(), sessionId: other };
        await store.notices.create([elsewhere]);
        expect((await store.notices.list(owner.id, 2, [sessionId])).map((n) => n.id)).toEqual([n3.id, n2.id]);
        expect((await store.notices.list(owner.id, 10, [other, randomUUID()])).map((n) => n.id)).toEqual([elsewhere.id]);
        expect(await store.notices.list(owner.id, 10, [])).toEqual([]);
      });

      it('says a flag notice is answered, and read, for the session, accounts and flags named, and no other notice', async () => {
        const { owner, sessionId } = await newSession();
        const other = (await newSession()).owner;
        const otherSession = (await newSession()).sessionId;
        const notice = (accountId: string, kind: 'flag' | 'comment', refId: string, inSession = sessionId) => ({ id: randomUUID(), accountId, kind, sessionId: inSession, actorId: null, refId, createdAt: 1, readAt: null });
        const [flag, otherFlag] = [randomUUID(), randomUUID()];
        // The same flag id in another session's notice: a key written in another note is not this flag.
        const notices = [notice(owner.id, 'flag', flag), notice(owner.id, 'flag', otherFlag), notice(owner.id, 'comment', flag), notice(other.id, 'flag', flag), notice(owner.id, 'flag', flag, otherSession)];
        await store.notices.create(notices);
        expect(await store.notices.flagsAnswered(sessionId, [owner.id], [flag], 7)).toBe(1);
        const kinds = async (accountId: string) => new Map((await store.notices.list(accountId, 10)).map((n) => [n.id, [n.kind, n.readAt]]));
        expect(await kinds(owner.id)).toEqual(
          new Map([[notices[0]!.id, ['flag_answered', 7]], [notices[1]!.id, ['flag', null]], [notices[2]!.id, ['comment', null]], [notices[4]!.id, ['flag', null]]]),
        );
        expect([...(await kinds(other.id)).values()]).toEqual([['flag', null]]);
        expect(await store.notices.flagsAnswered(sessionId, [owner.id], [flag], 8)).toBe(0);
        // The flag notices left, each holder and flag once (what a start reads to reword answered ones).
        const byHolder = (x: { accountId: string; flagId: string }, y: { accountId: string; flagId: string }) => x.accountId.localeCompare(y.accountId) || x.flagId.localeCompare(y.flagId);
        const left = (await store.notices.flagNotices()).filter((n) => n.sessionId === sessionId);
        expect(left.sort(byHolder)).toEqual([{ sessionId, accountId: owner.id, flagId: otherFlag }, { sessionId, accountId: other.id, flagId: flag }].sort(byHolder));
        // Asked for one session's (what a lock reads): those, and no other session's.
        expect((await store.notices.flagNotices(sessionId)).sort(byHolder)).toEqual(left);
        expect(await store.notices.flagNotices(otherSession)).toEqual([{ sessionId: otherSession, accountId: owner.id, flagId: flag }]);
      });

      it('deletes the flag notices of the flags named in the session named, and no other notice', async () => {
        const { owner, sessionId } = await newSession();
        const otherSession = (await newSession()).sessionId;
        const notice = (kind: 'flag' | 'flag_answered' | 'comment', refId: string, inSession = sessionId) => ({ id: randomUUID(), accountId: owner.id, kind, sessionId: inSession, actorId: null, refId, createdAt: 1, readAt: null });
        const [flag, otherFlag] = [randomUUID(), randomUUID()];
        const kept = [notice('flag', otherFlag), notice('flag_answered', flag), notice('comment', flag), notice('flag', flag, otherSession)];
        await store.notices.create([notice('flag', flag), ...kept]);
        expect(await store.notices.flagsRetracted(sessionId, [flag])).toBe(1);
        expect((await store.notices.list(owner.id, 10)).map((n) => n.id).sort()).toEqual(kept.map((n) => n.id).sort());
        expect(await store.notices.flagsRetracted(sessionId, [flag])).toBe(0);
      });

      it('replaces an account\'s earlier notices of the given kinds by the same actor about the same session, and no other', async () => {
        const { owner, sessionId } = await newSession();
        const [other, actor] = [(await newSession()).owner, (await newSession()).owner];
        const otherSession = (await newSession()).sessionId;
        const notice = (accountId: string, kind: 'process_removal_asked' | 'process_removal_withdrawn' | 'comment', actorId: string | null, at: number, inSession = sessionId) =>
          ({ id: randomUUID(), accountId, kind, sessionId: inSession, actorId, refId: null, createdAt: at, readAt: null });
        const kept = [notice(owner.id, 'comment', actor.id, 1), notice(owner.id, 'process_removal_asked', other.id, 2), notice(owner.id, 'process_removal_asked', actor.id, 3, otherSession), notice(other.id, 'process_removal_asked', actor.id, 4)];
        await store.notices.create([notice(owner.id, 'process_removal_asked', actor.id, 5), notice(owner.id, 'process_removal_withdrawn', actor.id, 6), ...kept]);
        const latest = notice(owner.id, 'process_removal_asked', actor.id, 7);
        await store.notices.replace([latest], ['process_removal_asked', 'process_removal_withdrawn']);
        const ids = async (accountId: string) => (await store.notices.list(accountId, 10)).map((n) => n.id).sort();
        expect(await ids(owner.id)).toEqual([latest, ...kept.slice(0, 3)].map((n) => n.id).sort());
        expect(await ids(other.id)).toEqual([kept[3]!.id]);
      });

      it('resolves and reopens threads, and keeps each reader\'s latest read', async () => {
        const { owner, sessionId } = await newSession();
        const root = { id: randomUUID(), sessionId, authorId: owner.id, parentId: null, anchor: '{}', body: 'Why?', createdAt: 1, updatedAt: 1, deleted: false };
        await store.comments.create(root);
        await store.threads.setResolved({ rootId: root.id, sessionId, resolvedBy: owner.id, resolvedAt: 5 });
        expect(await store.threads.states(sessionId)).toEqual([{ rootId: root.id, sessionId, resolvedBy: owner.id, resolvedAt: 5 }]);
        await store.threads.setResolved({ rootId: root.id, sessionId, resolvedBy: null, resolvedAt: null });
        expect(await store.threads.states(sessionId)).toEqual([{ rootId: root.id, sessionId, resolvedBy: null, resolvedAt: null }]);
        await store.threads.markRead(sessionId, { rootId: root.id, accountId: owner.id, readAt: 9 });
        await store.threads.markRead(sessionId, { rootId: root.id, accountId: owner.id, readAt: 7 });
        expect(await store.threads.reads(sessionId)).toEqual([{ rootId: root.id, accountId: owner.id, readAt: 9 }]);
      });

      it('keeps the competency codebook and immutable supervision notes with their codes', async () => {
        const c = (name: string, position: number) => ({ id: randomUUID() as string, name, description: '', retired: false, position, createdAt: 1 });
        const [c1, c2] = [c('Zeta skill', 90), c('Alpha skill', 90)];
        await store.competencies.ensure([c1, c2]);
        await store.competencies.ensure([{ ...c1, name: 'Changed?' }]);
        await expect(store.competencies.create(c1)).rejects.toThrow();
        await store.competencies.update(c1.id, { retired: true, description: 'old' });
        expect((await store.competencies.list()).filter((x) => [c1.id, c2.id].includes(x.id))).toEqual([c2, { ...c1, retired: true, description: 'old' }]);

        const { owner, sessionId } = await newSession();
        const note = { id: randomUUID(), sessionId, authorId: owner.id, aboutId: owner.id, body: 'Held the silence well', codes: [c2.id, 'alliance'], createdAt: 3 };
        await store.supervisionNotes.create(note);
        await store.supervisionNotes.create({ ...note, id: randomUUID(), aboutId: null, codes: [], createdAt: 4 });
        const notes = await store.supervisionNotes.list(sessionId);
        expect(notes[0]).toEqual(note);
        expect(notes.map((n) => n.codes)).toEqual([[c2.id, 'alliance'], []]);
        await expect(exec(`UPDATE supervisor_notes SET body = 'forged' WHERE id = '${note.id}'`)).rejects.toThrow();
      });
    });

    describe('member notes', () => {
      it('keeps attendance per session and links member notes to their group session', async () => {
        const { owner, sessionId: groupId } = await newSession();
        expect(await store.memberNotes.attendance(groupId)).toBeNull();
        await store.memberNotes.setAttendance(groupId, '{"M1":"present"}');
        await store.memberNotes.setAttendance(groupId, '{"M1":"late","M2":"absent"}');
        expect(await store.memberNotes.attendance(groupId)).toBe('{"M1":"late","M2":"absent"}');
        const notes = [session(owner.id), session(owner.id)];
        for (const [i, n] of notes.entries()) {
          await createSession(n, { sessionId: n.id, accountId: owner.id, role: 'therapist', addedAt: 1 });
          await store.commit([{ kind: 'memberNoteLink', link: { noteSessionId: n.id, groupSessionId: groupId, createdAt: 10 + i } }]);
        }
        expect((await store.memberNotes.notesOf(groupId)).map((l) => l.noteSessionId)).toEqual(notes.map((n) => n.id));
        expect(await store.memberNotes.groupOf(notes[1]!.id)).toEqual({ noteSessionId: notes[1]!.id, groupSessionId: groupId, createdAt: 11 });
        expect(await store.memberNotes.groupOf(groupId)).toBeNull();
        await expect(store.commit([{ kind: 'memberNoteLink', link: { noteSessionId: notes[0]!.id, groupSessionId: groupId, createdAt: 12 } }])).rejects.toThrow();
      });

      it('keeps one process note per session, updates and expires it, and purges its document alone', async () => {
        const { sessionId } = await newSession();
        const { sessionId: processId } = await newSession();
        const record = { processSessionId: processId, sessionId, retainDays: 30, sharedAt: null, sharedBy: null, removedAt: null, createdAt: 1_000 };
        await store.commit([{ kind: 'createProcessNote', note: record }]);
        await expect(store.commit([{ kind: 'createProcessNote', note: { ...record, processSessionId: (await newSession()).sessionId } }])).rejects.toThrow();
        expect(await store.memberNotes.processNote(sessionId, 'session')).toEqual(record);
        expect(await store.memberNotes.processNote(processId, 'process')).toEqual(record);
        expect(await store.memberNotes.processNote(processId, 'session')).toBeNull();
        await store.memberNotes.updateProcessNote(processId, { sharedAt: 5, retainDays: 1 });
        expect(await store.memberNotes.processNote(sessionId, 'session')).toMatchObject({ sharedAt: 5, retainDays: 1 });
        const mine = async (now: number) => (await store.memberNotes.expiredProcessNotes(now)).filter((p) => p.processSessionId === processId).length;
        expect(await mine(1_000 + 86_400_000 - 1)).toBe(0);
        expect(await mine(1_000 + 86_400_000)).toBe(1);
        await store.docs.append(processId, [{ at: 1, data: new Uint8Array([1]), accountId: null }]);
        await store.docs.append(sessionId, [{ at: 1, data: new Uint8Array([2]), accountId: null }]);
        await store.memberNotes.purgeDoc(processId);
        expect((await store.docs.load(processId)).tail).toEqual([]);
        expect((await store.docs.load(sessionId)).tail.map((e) => [...e.data])).toEqual([[2]]);
        await store.memberNotes.updateProcessNote(processId, { removedAt: 9 });
        expect(await mine(Number.MAX_SAFE_INTEGER)).toBe(0);
      });

      // Attack (4 Dec): words typed on another process while the notes were removed were stored
      // after the purge, and folded into a snapshot.
      it('takes nothing more into removed process notes: an append is refused, a compaction writes nothing', async () => {
        const { sessionId } = await newSession();
        const { sessionId: processId } = await newSession();
        await store.commit([{ kind: 'createProcessNote', note: { processSessionId: processId, sessionId, retainDays: null, sharedAt: null, sharedBy: null, removedAt: null, createdAt: 1 } }]);
        const entry = (n: number): NewLogEntry => ({ at: n, accountId: null, data: new Uint8Array([n]) });
        await store.docs.append(processId, [entry(1), entry(2)]);
        const folded = await store.docs.readLog(processId);
        await store.memberNotes.updateProcessNote(processId, { removedAt: 3 });
        await store.memberNotes.purgeDoc(processId);
        await Promise.all([
          expect(store.docs.append(processId, [entry(4)])).rejects.toMatchObject({ name: 'AppendRefusedError', docId: processId }),
          store.docs.append(sessionId, [entry(5)]),
        ]);
        await store.docs.compact(processId, { uptoSeq: folded[1]!.seq, data: new Uint8Array([9]), meta: null }, [{ ...folded[1]!, data: new Uint8Array([9]) }], 0);
        expect(await store.docs.load(processId)).toEqual({ snapshot: null, tail: [] });
        expect((await store.docs.readLog(sessionId)).map((e) => e.at)).toEqual([5]);
      });

      it('lets one process at a time claim deriving a group’s member notes, until released or expired', async () => {
        const { sessionId } = await newSession();
        const other = await openHandle();
        const claims = await Promise.all([store, other].map((h) => h.memberNotes.claimDerivation(sessionId, 100, 200)));
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await store.memberNotes.claimDerivation(sessionId, 150, 250)).toBe(false);
        expect(await other.memberNotes.claimDerivation(sessionId, 200, 300)).toBe(true);
        await other.memberNotes.releaseDerivation(sessionId);
        expect(await store.memberNotes.claimDerivation(sessionId, 201, 400)).toBe(true);
      });

      it('keeps the sessions of a recurring group in order', async () => {
        const [s1, s2, s3] = [(await newSession()).sessionId, (await newSession()).sessionId, (await newSession()).sessionId];
        const joinGroup = (sessionId: string, groupId: string, at: number) => store.commit([{ kind: 'joinGroup', sessionId, groupId, at }]);
        await joinGroup(s1, s1, 1);
        await joinGroup(s2, s1, 2);
        await joinGroup(s2, s1, 3);
        expect(await store.memberNotes.groupSessions(s1)).toEqual([s1, s2]);
        expect(await store.memberNotes.groupIdOf(s2)).toBe(s1);
        expect(await store.memberNotes.groupIdOf(s3)).toBeNull();
      });
    });

    it('tells a lapsed liveness lease from a fresh one, and one never held from both', async () => {
      const [fresh, lapsed, never, longGone] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      await store.leases.renew(fresh, 60_000);
      await store.leases.renew(lapsed, -1);
      await store.leases.renew(longGone, -(LEASE_KEPT_MS + 60_000));
      // Another process (handle) judges by the same lease; long-lapsed leases are dropped at a renewal.
      const other = await openHandle();
      expect((await other.leases.lapsed([fresh, lapsed, never, longGone])).sort()).toEqual([lapsed, longGone].sort());
      await other.leases.renew(fresh, 60_000);
      expect(await store.leases.lapsed([fresh, lapsed, never, longGone])).toEqual([lapsed]);
      await store.leases.renew(lapsed, 60_000);
      expect(await store.leases.lapsed([lapsed])).toEqual([]);
    });

    it('owes the passes a migration seeded until a start marks them done, on every handle', async () => {
      // Seeded by migration 13 (StartPassStore); nothing else in this contract marks it done.
      expect(await store.passes.owed('reword_answered_flags')).toBe(true);
      expect(await store.passes.owed('no such pass')).toBe(false);
      await store.passes.done('reword_answered_flags');
      await store.passes.done('no such pass');
      expect(await (await openHandle()).passes.owed('reword_answered_flags')).toBe(false);
    });

    it('answers a health ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('makes a write that changes nothing, for health checks', async () => {
      await expect(store.checkWrite()).resolves.toBeUndefined();
    });
  });
}

/** Two clients typing and deleting into one note, kept in sync; returns the result and the log. */
function typedHistory(count: number, start: number, stepMs: number, into?: Y.Doc): { source: Y.Doc; entries: NewLogEntry[] } {
  const source = into ?? new Y.Doc();
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(source), 'remote');
  const entries: NewLogEntry[] = [];
  let at = start;
  const record = (u: Uint8Array, origin: unknown) => {
    if (origin !== 'remote') entries.push({ at: (at += stepMs), accountId: null, data: u });
  };
  source.on('update', record);
  peer.on('update', record);
  for (let i = 0; i < count; i++) {
    const [writer, reader] = i % 3 === 0 ? [peer, source] : [source, peer];
    const text = writer.getText('note');
    if (i % 7 === 6 && text.length > 4) text.delete(1, 2);
    else text.insert(text.length, `w${i} `);
    Y.applyUpdate(reader, Y.encodeStateAsUpdate(writer, Y.encodeStateVector(reader)), 'remote');
  }
  source.off('update', record);
  peer.off('update', record);
  return { source, entries };
}

function docOf(stored: StoredDoc): Y.Doc {
  const doc = new Y.Doc();
  for (const part of [...(stored.snapshot ? [stored.snapshot.data] : []), ...stored.tail.map((e) => e.data)]) Y.applyUpdate(doc, part);
  return doc;
}

function textOf(stored: StoredDoc): string {
  return docOf(stored).getText('note').toString();
}

function expectSameContent(actual: Y.Doc, expected: Y.Doc): void {
  expect(actual.getText('note').toString()).toBe(expected.getText('note').toString());
  expect(Y.encodeStateVector(actual)).toEqual(Y.encodeStateVector(expected));
}
