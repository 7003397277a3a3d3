import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AuditAction } from '../../shared/domain/audit';
import type { CommentRecord, Store } from '../../server/persistence/ports';
import { ApiClient, createClinic, createPerson, createSession, type ApiResponse, type Clinic } from '../helpers/api';
import { appendParagraph } from '../helpers/connectClient';
import { privateObservationOnALine, storedObservationCount } from '../helpers/blindNote';
import { refuseWrites } from '../helpers/refuseWrites';
import { describeWith, freshPostgresSchema, Postgres, rawPostgres } from '../helpers/services';
import { startTestServer, type TestServer } from '../helpers/startTestServer';

interface Backend {
  server: TestServer;
  /**
   * Makes the audit log refuse every record (only those of `action` when given), as a full disk
   * would, until the returned function is called.
   */
  refuseAudit(action?: AuditAction): Promise<() => Promise<void>>;
}

// A state change and its audit record are one unit of work: when the audit log refuses the record
// (a trigger on the real database, as a full disk would), the change is not made either, and the
// answer is 503 "storage unavailable" rather than a 500 after the change was applied.
/** `open` starts a server on a fresh database of its own, its store wrapped by `decorateStore` when given. */
function auditWithChange(backend: string, open: (decorateStore?: (store: Store) => Store) => Promise<Backend>): void {
  describe(`a change whose audit record cannot be written (${backend})`, async () => {
    const { server, refuseAudit } = await open();
    const clinic = await createClinic(server.baseUrl);

    /** The answer to `call` while the audit log refuses every record (only those of `action` when given). */
    const whileRefused = async <T>(call: () => Promise<ApiResponse<T>>, action?: AuditAction): Promise<ApiResponse<T>> => {
      const restore = await refuseAudit(action);
      try {
        return await call();
      } finally {
        await restore();
      }
    };
    const expectUnavailable = (res: ApiResponse) => {
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ error: { code: 'storage_unavailable' } });
    };

    it('adds no member', async () => {
      const sessionId = await createSession(clinic);
      const newcomer = await createPerson(clinic.admin.api, 'clinician', 'Newcomer');
      const res = await whileRefused(() => clinic.a.api.post(`/api/sessions/${sessionId}/members`, { userId: newcomer.id, role: 'therapist' }));
      expect(res.status).toBe(503);
      expect(await server.store.sessions.member(sessionId, newcomer.id)).toBeNull();
    });

    it('removes no member', async () => {
      const sessionId = await createSession(clinic);
      const res = await whileRefused(() => clinic.a.api.request('DELETE', `/api/sessions/${sessionId}/members/${clinic.supervisor.id}`));
      expect(res.status).toBe(503);
      expect(await server.store.sessions.member(sessionId, clinic.supervisor.id)).toMatchObject({ role: 'supervisor' });
    });

    it('neither starts the session nor records a start', async () => {
      const sessionId = await createSession(clinic);
      const res = await whileRefused(() => clinic.a.api.post(`/api/sessions/${sessionId}/start`, {}));
      expect(res.status).toBe(503);
      expect((await server.store.sessions.byId(sessionId))?.status).toBe('scheduled');
      expect(await server.store.events.list(sessionId)).toEqual([]);
    });

    it('records no signature', async () => {
      const sessionId = await createSession(clinic);
      for (const step of ['start', 'end']) expect((await clinic.a.api.post(`/api/sessions/${sessionId}/${step}`, {})).status).toBe(200);
      const res = await whileRefused(() => clinic.a.api.post(`/api/sessions/${sessionId}/sign`, {}));
      expect(res.status).toBe(503);
      expect((await server.store.events.list(sessionId)).map((e) => e.kind)).toEqual(['started', 'ended']);
      expect((await clinic.a.api.post(`/api/sessions/${sessionId}/sign`, {})).status).toBe(200);
    });

    it('changes no account role', async () => {
      const person = await createPerson(clinic.admin.api, 'clinician', 'Changing');
      const res = await whileRefused(() => clinic.admin.api.request('PATCH', `/api/users/${person.id}`, { role: 'supervisor' }));
      expect(res.status).toBe(503);
      expect((await server.store.accounts.byId(person.id))?.role).toBe('clinician');
    });

    it('creates no account', async () => {
      const email = `unrecorded.${randomUUID()}@clinic.test`;
      const res = await whileRefused(() => clinic.admin.api.post('/api/users', { email, name: 'Unrecorded', password: 'correct horse battery', role: 'clinician' }));
      expectUnavailable(res);
      expect(await server.store.accounts.byEmail(email)).toBeNull();
    });

    it('logs nobody out', async () => {
      const person = await createPerson(clinic.admin.api, 'clinician', 'Staying');
      expectUnavailable(await whileRefused(() => person.api.post('/api/auth/logout')));
      expect((await person.api.get('/api/me')).status).toBe(200);
    });

    it('keeps the old password and every other login', async () => {
      const person = await createPerson(clinic.admin.api, 'clinician', 'Keeping');
      const elsewhere = new ApiClient(server.baseUrl);
      expect((await elsewhere.post('/api/auth/login', { email: person.email, password: person.password })).status).toBe(200);
      const res = await whileRefused(() => person.api.post('/api/me/password', { currentPassword: person.password, newPassword: 'a brand new passphrase' }));
      expectUnavailable(res);
      expect((await elsewhere.get('/api/me')).status).toBe(200);
      expect((await new ApiClient(server.baseUrl).post('/api/auth/login', { email: person.email, password: person.password })).status).toBe(200);
      // Once the log takes records again, the change is made, and its record counts the logins it
      // ended in the same transaction: `elsewhere` and the one just made, not the changer's own.
      expect((await person.api.post('/api/me/password', { currentPassword: person.password, newPassword: 'a brand new passphrase' })).status).toBe(204);
      expect((await elsewhere.get('/api/me')).status).toBe(401);
      const [record] = await server.store.audit.list({ limit: 1, actorId: person.id, actions: ['password_changed'] });
      expect(record?.detail).toEqual({ otherLoginsEnded: 2 });
    });

    it('adds no addendum', async () => {
      const sessionId = await signedSession(clinic);
      expectUnavailable(await whileRefused(() => clinic.a.api.post(`/api/sessions/${sessionId}/addenda`, { text: 'Called the member back at 5 pm.' })));
      expect(await server.store.addenda.list(sessionId)).toEqual([]);
    });

    /** A comment by the supervisor on a new session, stored as the route would. */
    const storedComment = async (): Promise<CommentRecord> => {
      const sessionId = await createSession(clinic);
      const now = Date.now();
      const comment: CommentRecord = {
        id: randomUUID(), sessionId, authorId: clinic.supervisor.id, parentId: null, anchor: JSON.stringify({ type: 'observation', observationId: 'o-1' }),
        body: 'Why was this not escalated?', createdAt: now, updatedAt: now, deleted: false,
      };
      await server.store.comments.create(comment);
      return comment;
    };

    it('adds no reply to a comment', async () => {
      const parent = await storedComment();
      const res = await whileRefused(() => clinic.a.api.post(`/api/sessions/${parent.sessionId}/comments`, { parentId: parent.id, body: 'It was; see the plan.' }));
      expectUnavailable(res);
      expect((await server.store.comments.list(parent.sessionId)).map((c) => c.id)).toEqual([parent.id]);
    });

    it('neither edits nor deletes a comment', async () => {
      const comment = await storedComment();
      const path = `/api/sessions/${comment.sessionId}/comments/${comment.id}`;
      expectUnavailable(await whileRefused(() => clinic.supervisor.api.request('PATCH', path, { body: 'Changed my mind' })));
      expectUnavailable(await whileRefused(() => clinic.supervisor.api.request('DELETE', path)));
      expect(await server.store.comments.byId(comment.id)).toMatchObject({ body: comment.body, deleted: false });
    });

    it('resolves no thread', async () => {
      const comment = await storedComment();
      const res = await whileRefused(() => clinic.supervisor.api.post(`/api/sessions/${comment.sessionId}/comments/${comment.id}/resolve`, { resolved: true }));
      expectUnavailable(res);
      expect(await server.store.threads.states(comment.sessionId)).toEqual([]);
    });

    it('neither creates nor changes a tag', async () => {
      const name = `Unrecorded ${randomUUID().slice(0, 8)}`;
      expectUnavailable(await whileRefused(() => clinic.admin.api.post('/api/tags', { name, color: '#1f6feb', description: 'never' })));
      expect((await server.store.tags.list()).some((t) => t.name === name)).toBe(false);
      const [tag] = await server.store.tags.list();
      expectUnavailable(await whileRefused(() => clinic.admin.api.request('PATCH', `/api/tags/${tag!.id}`, { name })));
      expect((await server.store.tags.list()).find((t) => t.id === tag!.id)?.name).toBe(tag!.name);
    });

    it('neither creates nor changes a competency', async () => {
      const name = `Unrecorded ${randomUUID().slice(0, 8)}`;
      expectUnavailable(await whileRefused(() => clinic.admin.api.post('/api/competencies', { name })));
      expect((await server.store.competencies.list()).some((c) => c.name === name)).toBe(false);
      const [competency] = await server.store.competencies.list();
      expectUnavailable(await whileRefused(() => clinic.admin.api.request('PATCH', `/api/competencies/${competency!.id}`, { name })));
      expect((await server.store.competencies.list()).find((c) => c.id === competency!.id)?.name).toBe(competency!.name);
    });

    it('adds no supervision note', async () => {
      const sessionId = await createSession(clinic);
      const [competency] = await server.store.competencies.list();
      const res = await whileRefused(() => clinic.supervisor.api.post(`/api/sessions/${sessionId}/supervision-notes`, { body: 'Held the silence', codes: [competency!.id] }));
      expectUnavailable(res);
      expect(await server.store.supervisionNotes.list(sessionId)).toEqual([]);
    });

    it('keeps the process note’s retention', async () => {
      const sessionId = await createSession(clinic);
      expect((await clinic.a.api.post(`/api/sessions/${sessionId}/process-note`, { retainDays: 30 })).status).toBe(201);
      expectUnavailable(await whileRefused(() => clinic.a.api.request('PUT', `/api/sessions/${sessionId}/process-note/retention`, { retainDays: 365 })));
      expect(await server.store.memberNotes.processNote(sessionId, 'session')).toMatchObject({ retainDays: 30 });
    });

    it('neither shares nor removes the process notes', async () => {
      const sessionId = await createSession(clinic);
      expect((await clinic.a.api.post(`/api/sessions/${sessionId}/process-note`, {})).status).toBe(201);
      expectUnavailable(await whileRefused(() => clinic.a.api.post(`/api/sessions/${sessionId}/process-note/share`, {})));
      expectUnavailable(await whileRefused(() => clinic.a.api.request('DELETE', `/api/sessions/${sessionId}/process-note`)));
      const note = await server.store.memberNotes.processNote(sessionId, 'session');
      expect(note).toMatchObject({ sharedAt: null, removedAt: null });
      expect((await server.store.sessions.members(note!.processSessionId)).map((m) => m.role).sort()).toEqual(['therapist', 'therapist']);
    });

    it('records no attendance', async () => {
      const sessionId = await createSession(clinic);
      expect((await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/group-members`, { labels: ['M1', 'M2'] })).status).toBe(200);
      expectUnavailable(await whileRefused(() => clinic.a.api.request('PUT', `/api/sessions/${sessionId}/attendance`, { attendance: { M1: 'absent' } })));
      expect(await server.store.memberNotes.attendance(sessionId)).toBeNull();
    });

    it('neither makes a session blind nor records a request to reveal', async () => {
      const sessionId = await createSession(clinic);
      expectUnavailable(await whileRefused(() => clinic.a.api.request('PUT', `/api/sessions/${sessionId}/blind`, { enabled: true })));
      expect(await server.store.learning.blindSetting(sessionId)).toBeNull();
      expect((await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/blind`, { enabled: true })).status).toBe(200);
      expectUnavailable(await whileRefused(() => clinic.a.api.post(`/api/sessions/${sessionId}/blind/reveal`, {})));
      expect(await server.store.learning.revealRequests(sessionId)).toEqual([]);
    });

    it('undoes a lock whose note changed while signing together with its record, or not at all', async () => {
      // An edit stored between the signer's read of the note and the lock, as one from a connection
      // still open would be (after the lock the store refuses it: AppendRefusedError).
      let beforeLock: ((sessionId: string, store: Store) => Promise<void>) | null = null;
      let afterLock: ((sessionId: string, store: Store) => Promise<void>) | null = null;
      const racing = await open((store) => ({
        ...store,
        commit: async (writes) => {
          const lock = writes.find((w) => w.kind === 'session' && w.patch.status === 'signed');
          if (lock?.kind === 'session') await beforeLock?.(lock.id, store);
          const changed = await store.commit(writes);
          if (lock?.kind === 'session') await afterLock?.(lock.id, store);
          return changed;
        },
      }));
      const team = await createClinic(racing.server.baseUrl);
      const editWhileSigning = async (sessionId: string, store: Store) => {
        const doc = new Y.Doc();
        appendParagraph(doc, 'written while signing');
        await store.docs.append(sessionId, [{ at: Date.now(), accountId: team.a.id, data: Y.encodeStateAsUpdate(doc) }]);
      };
      const signBoth = async (sessionId: string) => {
        for (const step of ['start', 'end', 'sign']) expect((await team.a.api.post(`/api/sessions/${sessionId}/${step}`, {})).status).toBe(200);
        return team.b.api.post(`/api/sessions/${sessionId}/sign`, {});
      };
      const kinds = async (sessionId: string) => (await racing.server.store.events.list(sessionId)).map((e) => e.kind);

      beforeLock = editWhileSigning;
      const undone = await createSession(team);
      expect((await signBoth(undone)).body).toMatchObject({ error: { code: 'note_changed' } });
      expect((await racing.server.store.sessions.byId(undone))?.status).toBe('ended');
      expect(await kinds(undone)).toEqual(['started', 'ended', 'signed', 'signed', 'returned']);
      const [record] = await racing.server.store.audit.list({ limit: 1, sessionId: undone, actions: ['session_returned'] });
      expect(record?.detail).toEqual({ cause: 'note_changed_while_locking' });

      let restore: (() => Promise<void>) | null = null;
      afterLock = async () => {
        restore = await racing.refuseAudit();
      };
      const kept = await createSession(team);
      const res = await signBoth(kept);
      await restore!();
      expectUnavailable(res);
      expect(await kinds(kept)).toEqual(['started', 'ended', 'signed', 'signed']);
    });

    it('keeps the group members', async () => {
      const sessionId = await createSession(clinic);
      expectUnavailable(await whileRefused(() => clinic.a.api.request('PUT', `/api/sessions/${sessionId}/group-members`, { labels: ['M1', 'M2'] })));
      expect((await server.store.sessions.byId(sessionId))?.groupMembers).toEqual([]);
    });

    it('ends no login of an account', async () => {
      const person = await createPerson(clinic.admin.api, 'clinician', 'Still Logged In');
      expectUnavailable(await whileRefused(() => clinic.admin.api.delete(`/api/users/${person.id}/logins`)));
      expect((await person.api.get('/api/me')).status).toBe(200);
    });

    it('starts no login', async () => {
      const person = await createPerson(clinic.admin.api, 'clinician', 'Not Logged In');
      await server.store.logins.deleteForAccount(person.id);
      const browser = new ApiClient(server.baseUrl);
      expectUnavailable(await whileRefused(() => browser.post('/api/auth/login', { email: person.email, password: person.password })));
      // Ending the account's logins counts them: none was stored.
      expect(await server.store.logins.deleteForAccount(person.id)).toBe(0);
      expect((await browser.get('/api/me')).status).toBe(401);
    });

    it('creates no session, nor one continuing a group', async () => {
      const previous = await createSession(clinic);
      const before = (await server.store.sessions.listForAccount(clinic.a.id)).length;
      expectUnavailable(await whileRefused(() => clinic.a.api.post('/api/sessions', { title: 'Unrecorded', kind: 'individual' })));
      expectUnavailable(await whileRefused(() => clinic.a.api.post('/api/sessions', { title: 'Next week', kind: 'group', continues: previous })));
      expect(await server.store.sessions.listForAccount(clinic.a.id)).toHaveLength(before);
      expect(await server.store.memberNotes.groupIdOf(previous)).toBeNull();
    });

    it('makes no process notes', async () => {
      const sessionId = await createSession(clinic);
      const before = (await server.store.sessions.listForAccount(clinic.a.id)).length;
      expectUnavailable(await whileRefused(() => clinic.a.api.post(`/api/sessions/${sessionId}/process-note`, { retainDays: 30 })));
      expect(await server.store.memberNotes.processNote(sessionId, 'session')).toBeNull();
      expect(await server.store.sessions.listForAccount(clinic.a.id)).toHaveLength(before);
      expect((await clinic.a.api.post(`/api/sessions/${sessionId}/process-note`, { retainDays: 30 })).status).toBe(201);
    });

    it('saves no debrief field', async () => {
      const sessionId = await createSession(clinic);
      expectUnavailable(await whileRefused(() => clinic.a.api.request('PUT', `/api/sessions/${sessionId}/debrief/plan`, { body: 'Open with the check-in', baseVersion: 0 })));
      expect(await server.store.learning.debriefFields(sessionId)).toEqual([]);
      // Once the log takes records again, the same save (still from version 0) is stored.
      expect((await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/debrief/plan`, { body: 'Open with the check-in', baseVersion: 0 })).status).toBe(200);
    });

    it('derives no member note', async () => {
      const sessionId = await createSession(clinic);
      expect((await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/group-members`, { labels: ['M1', 'M2'] })).status).toBe(200);
      expect((await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/attendance`, { attendance: { M2: 'absent' } })).status).toBe(200);
      for (const step of ['start', 'end']) expect((await clinic.a.api.post(`/api/sessions/${sessionId}/${step}`, {})).status).toBe(200);
      expect(await server.store.memberNotes.notesOf(sessionId)).toHaveLength(1);
      // M2 came after all: their note is derived on request, not with the end.
      expect((await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/attendance`, { attendance: { M2: 'late' } })).status).toBe(200);
      expectUnavailable(await whileRefused(() => clinic.a.api.post(`/api/sessions/${sessionId}/member-notes`, {})));
      expect(await server.store.memberNotes.notesOf(sessionId)).toHaveLength(1);
      expect((await clinic.a.api.post(`/api/sessions/${sessionId}/member-notes`, {})).status).toBe(201);
    });

    // An attacker saw the end answer 503 after the session had ended, so the retry it asks for failed.
    it('ends a group session whose member notes cannot be made, and says they are not made', async () => {
      const sessionId = await createSession(clinic);
      expect((await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/group-members`, { labels: ['M1'] })).status).toBe(200);
      expect((await clinic.a.api.post(`/api/sessions/${sessionId}/start`, {})).status).toBe(200);
      const ended = await whileRefused(() => clinic.a.api.post<{ status: string; memberNotesMade: boolean }>(`/api/sessions/${sessionId}/end`, {}), 'member_notes_derived');
      expect(ended.status).toBe(200);
      expect(ended.body).toMatchObject({ status: 'ended', memberNotesMade: false });
      expect(await server.store.memberNotes.notesOf(sessionId)).toEqual([]);
      expect((await clinic.a.api.post(`/api/sessions/${sessionId}/member-notes`, {})).status).toBe(201);
      expect(await server.store.memberNotes.notesOf(sessionId)).toHaveLength(1);
    });

    it('neither reveals a blind session nor merges its private observations', async () => {
      const sessionId = await createSession(clinic);
      expect((await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/blind`, { enabled: true })).status).toBe(200);
      expect((await clinic.a.api.post(`/api/sessions/${sessionId}/start`, {})).status).toBe(200);
      await privateObservationOnALine(server.store, clinic.a, sessionId);
      const mergedObservations = () => storedObservationCount(server.store, sessionId);

      expect((await clinic.a.api.post(`/api/sessions/${sessionId}/blind/reveal`, {})).status).toBe(202);
      // Only the reveal's own record is refused: B's request to reveal is stored, the reveal is not.
      expectUnavailable(await whileRefused(() => clinic.b.api.post(`/api/sessions/${sessionId}/blind/reveal`, {}), 'blind_revealed'));
      expect(await server.store.learning.blindSetting(sessionId)).toMatchObject({ enabled: true, revealedAt: null });
      expect(await mergedObservations()).toBe(0);
      expect((await clinic.b.api.post(`/api/sessions/${sessionId}/blind/reveal`, {})).body).toMatchObject({ revealed: true });
      expect(await mergedObservations()).toBe(1);
      const records = await server.store.audit.list({ limit: 5, sessionId, actions: ['blind_revealed'] });
      expect(records.map((r) => r.detail)).toEqual([{ trigger: 'both_pressed', merged: 1, unanchored: 0, byAuthor: { [clinic.a.id]: 1 } }]);
    });

    it('sets nothing up on a new server', async () => {
      const fresh = await open();
      const admin = new ApiClient(fresh.server.baseUrl);
      const restore = await fresh.refuseAudit();
      const res = await admin.post('/api/setup', { email: 'first@clinic.test', name: 'First Admin', password: 'first admin password' }).finally(restore);
      expectUnavailable(res);
      expect(await fresh.server.store.accounts.count()).toBe(0);
      expect((await admin.get('/api/me')).status).toBe(401);
      expect((await admin.post('/api/setup', { email: 'first@clinic.test', name: 'First Admin', password: 'first admin password' })).status).toBe(201);
    });
  });
}

/** A session both therapists signed: its note is locked. */
async function signedSession(clinic: Clinic): Promise<string> {
  const sessionId = await createSession(clinic);
  for (const step of ['start', 'end', 'sign']) expect((await clinic.a.api.post(`/api/sessions/${sessionId}/${step}`, {})).status).toBe(200);
  expect((await clinic.b.api.post(`/api/sessions/${sessionId}/sign`, {})).status).toBe(200);
  return sessionId;
}

auditWithChange('SQLite', async (decorateStore) => {
  const server = await startTestServer(decorateStore ? { decorateStore } : {});
  return {
    server,
    refuseAudit: async (action) => {
      const restore = refuseWrites(server.dataDir, ['audit'], action && `NEW.action = '${action}'`);
      return async () => restore();
    },
  };
});

describeWith([Postgres], 'on PostgreSQL', () => {
  auditWithChange('PostgreSQL', async (decorateStore) => {
    const { url } = await freshPostgresSchema();
    const server = await startTestServer({ env: { DATABASE_URL: url }, ...(decorateStore ? { decorateStore } : {}) });
    await rawPostgres(url, `CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END; $$`);
    return {
      server,
      refuseAudit: async (action) => {
        const when = action ? ` WHEN (NEW.action = '${action}')` : '';
        await rawPostgres(url, `CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW${when} EXECUTE FUNCTION refuse_audit()`);
        return () => rawPostgres(url, 'DROP TRIGGER IF EXISTS refuse_audit ON audit_log');
      },
    };
  });
});
