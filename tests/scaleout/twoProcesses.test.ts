import pg from 'pg';
import { expect, it } from 'vitest';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { awarenessStatesOf, caretAt } from '../helpers/awareness';
import { createClinic, createSession, expectStatus } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { tagSpan } from '../helpers/noteOps';
import type { ServerProcess } from '../helpers/startTestServer';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { startCluster, storedNoteText } from './cluster';

describeWith([Postgres, Redis], 'two server processes on one PostgreSQL and Redis', async () => {
  const cluster = await startCluster(2);
  const [p1, p2] = cluster.servers as [ServerProcess, ServerProcess];
  const clinic = await createClinic(p1.baseUrl);

  it('converges clients on different processes, and a late joiner gets everything', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(p1.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    appendParagraph(a.doc, 'M2 went quiet when her father came up');
    appendParagraph(b.doc, 'Group agreed on the plan');
    await expect.poll(() => b.text()).toContain('M2 went quiet');
    await expect.poll(() => a.text()).toContain('Group agreed on the plan');
    await expect.poll(() => a.text() === b.text()).toBe(true);
    await expect.poll(() => storedNoteText(cluster.databaseUrl, sessionId)).toBe(a.text());
    const late = connectClient(p2.baseUrl, sessionId, clinic.supervisor.api.cookie);
    await expect.poll(() => late.text()).toBe(a.text());
  });

  it('tells each client everything it shows is saved, including what came from the other process', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(p1.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    appendParagraph(b.doc, 'written on two');
    await expect.poll(() => a.text()).toContain('written on two');
    await expect.poll(() => storedNoteText(cluster.databaseUrl, sessionId)).toContain('written on two');
    await expect.poll(() => a.isSaved() && b.isSaved()).toBe(true);
  });

  it('carries presence across processes, with the server-attested name', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(p1.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
    a.provider.awareness.setLocalStateField('user', { name: 'Somebody Else', color: '#000000' });
    a.provider.awareness.setLocalStateField('cursor', caretAt(a.doc.clientID, 2, 5));
    await expect.poll(() => awarenessStatesOf(b).find((s) => s.user?.accountId === clinic.a.id)?.cursor).toEqual(caretAt(a.doc.clientID, 2, 5));
    expect(awarenessStatesOf(b).find((s) => s.user?.accountId === clinic.a.id)?.user).toMatchObject({ name: clinic.a.name, role: 'therapist' });
    a.provider.disconnect();
    await expect.poll(() => awarenessStatesOf(b).some((s) => s.user?.accountId === clinic.a.id)).toBe(false);
  });

  it('shows a client joining on another process who is already there, without waiting for a heartbeat', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(p1.baseUrl, sessionId, clinic.a.api.cookie);
    a.provider.awareness.setLocalStateField('cursor', caretAt(a.doc.clientID, 1));
    await expect.poll(() => a.provider.synced).toBe(true);
    // p2 opens the note only now; the awareness heartbeat is 15 s away.
    const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => awarenessStatesOf(b).find((s) => s.user?.accountId === clinic.a.id)?.cursor, { timeout: 3_000 }).toEqual(caretAt(a.doc.clientID, 1));
  });

  it('refuses a supervisor’s edits on every process', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(p1.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
    const supOn1 = connectClient(p1.baseUrl, sessionId, clinic.supervisor.api.cookie);
    const supOn2 = connectClient(p2.baseUrl, sessionId, clinic.supervisor.api.cookie);
    await expect.poll(() => [a, b, supOn1, supOn2].every((c) => c.provider.synced)).toBe(true);
    appendParagraph(supOn1.doc, 'SUPERVISOR ON ONE');
    appendParagraph(supOn2.doc, 'SUPERVISOR ON TWO');
    for (const sup of [supOn1, supOn2]) {
      await expect.poll(() => sup.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'read_only' });
      expect(sup.notices.find((n) => n.type === 'access')).toMatchObject({ canWrite: false, role: 'supervisor' });
    }
    // Therapist edits made after the refused ones cross both ways: the refused ones had their chance.
    appendParagraph(a.doc, 'therapist one');
    appendParagraph(b.doc, 'therapist two');
    await expect.poll(() => a.text().includes('therapist two') && b.text().includes('therapist one')).toBe(true);
    await expect.poll(() => storedNoteText(cluster.databaseUrl, sessionId)).toContain('therapist two');
    const stored = await storedNoteText(cluster.databaseUrl, sessionId);
    expect(stored).toContain('therapist one');
    for (const text of [a.text(), b.text(), stored]) expect(text).not.toMatch(/SUPERVISOR ON/);
  });

  it('closes a removed member’s socket on the other process', async () => {
    const sessionId = await createSession(clinic);
    const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced).toBe(true);
    expect((await clinic.a.api.delete(`/api/sessions/${sessionId}/members/${clinic.b.id}`)).status).toBe(204);
    await expect.poll(() => b.closes.map((c) => c.code)).toContain(CloseCode.Forbidden);
  });

  it('locks a signed note on every process', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(p2.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, 'before signing');
    await expect.poll(() => a.isSaved()).toBe(true);
    for (const step of ['start', 'end']) expect((await clinic.a.api.post(`/api/sessions/${sessionId}/${step}`)).status).toBe(200);
    // Signed through process 1, while A's socket is on process 2.
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/sign`)).status).toBe(200);
    expect((await clinic.b.api.post(`/api/sessions/${sessionId}/sign`)).body).toMatchObject({ locked: true });
    await expect.poll(() => a.closes.map((c) => c.code)).toContain(CloseCode.AccessChanged);
    await expect.poll(() => a.notices.filter((n) => n.type === 'access').at(-1)).toMatchObject({ canWrite: false });
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, 'after signing');
    await expect.poll(() => a.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'session_locked' });
    const stored = await storedNoteText(cluster.databaseUrl, sessionId);
    expect(stored).toContain('before signing');
    expect(stored).not.toContain('after signing');
  });

  it('takes at once, through the other process, an observation with a tag the admin just made', async () => {
    const sessionId = await createSession(clinic);
    const tag = await expectStatus(clinic.admin.api.post<{ id: string }>('/api/tags', { name: 'Dissociation', color: '#6b4fa3', description: '' }), 201, 'new tag');
    const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced).toBe(true);
    appendParagraph(b.doc, 'M3 stared past the group for a minute');
    tagSpan(b.doc, 'stared past the group', { authorId: clinic.b.id, tags: [tag.id] });
    appendParagraph(b.doc, 'then rejoined');
    await expect.poll(() => b.isSaved()).toBe(true);
    expect(b.notices.filter((n) => n.type === 'refused')).toEqual([]);
  });

  it('reports health and Prometheus metrics on each process', async () => {
    for (const p of [p1, p2]) {
      const health = await fetch(`${p.baseUrl}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true, store: 'up', redis: 'up', connections: { open: expect.any(Number), max: expect.any(Number), state: 'ok' } });
    }
    const metrics = await (await fetch(`${p2.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^tandem_connections \d+/m);
    expect(metrics).toMatch(/^tandem_loaded_documents \d+/m);
    expect(metrics).toMatch(/^tandem_updates_refused_total\{code="read_only"\} [1-9]/m);
    expect(metrics).toMatch(/^tandem_updates_applied_total\{source="fanout"\} [1-9]/m);
    expect(metrics).toMatch(/^tandem_persistence_lag_seconds_count [1-9]/m);
    expect(metrics).toMatch(/^tandem_fanout_lag_seconds_count\{kind="update"\} [1-9]/m);
    expect(metrics).toMatch(/^tandem_store_writes_failed_total 0/m);
    expect(metrics).toMatch(/^tandem_dependency_up\{dependency="store"\} 1$/m);
    expect(metrics).toMatch(/^tandem_dependency_up\{dependency="redis"\} 1$/m);
  });
  // Last in the file: it makes p2's writes fail for a while (the metrics test above counts none).
  it('refuses to sign a note whose co-author was removed while their first words were on their way to storage on the other process', async () => {
    const sessionId = await createSession(clinic);
    const c = clinic.outsider;
    await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/members`, { userId: c.id, role: 'therapist' }), 201, 'add C');
    // PostgreSQL refuses C's words for now, counting each try (a sequence is not rolled back).
    const db = new pg.Client({ connectionString: cluster.databaseUrl });
    await db.connect();
    try {
      await db.query(`CREATE SEQUENCE refused_tries;
        CREATE FUNCTION refuse_c() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM nextval('refused_tries'); RAISE EXCEPTION 'disk full'; END $$;
        CREATE TRIGGER refuse_c BEFORE INSERT ON doc_updates FOR EACH ROW WHEN (NEW.account_id = '${c.id}') EXECUTE FUNCTION refuse_c();`);
      const writer = connectClient(p2.baseUrl, sessionId, c.api.cookie);
      await expect.poll(() => writer.provider.synced).toBe(true);
      appendParagraph(writer.doc, 'C: the couple agreed to a time-out signal.');
      await expect.poll(async () => Number((await db.query<{ n: string }>('SELECT last_value AS n FROM refused_tries')).rows[0]!.n)).toBeGreaterThan(1);
      // p1 cannot see words p2 has not stored: the removal goes through there.
      expect((await clinic.a.api.delete(`/api/sessions/${sessionId}/members/${c.id}`)).status).toBe(204);
      await db.query('DROP TRIGGER refuse_c ON doc_updates');
      // Nothing C wrote is lost: p2 stores it once PostgreSQL takes it.
      await expect.poll(() => storedNoteText(cluster.databaseUrl, sessionId), { timeout: 30_000 }).toContain('time-out signal');
      writer.destroy();
    } finally {
      await db.end();
    }
    for (const step of ['start', 'end']) await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/${step}`), 200, step);
    const refused = await clinic.a.api.post<{ error: { code: string; message: string } }>(`/api/sessions/${sessionId}/sign`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'author_removed', message: expect.stringContaining(`${c.name} wrote in this note and was removed`) });
    // Back in the session, C signs with the others.
    await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/members`, { userId: c.id, role: 'therapist' }), 201, 'add C again');
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/sign`)).body).toMatchObject({ locked: false, waitingFor: expect.arrayContaining([clinic.b.id, c.id]) });
  });

  // Attack (4 Dec): words process 2 took in before it heard of the lock were stored after it, under
  // signatures of the note without them (verify: matches false).
  it('keeps words taken in on the other process before it heard of the lock out of the locked note, and tells their writer', async () => {
    const sessionId = await createSession(clinic);
    const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced).toBe(true);
    appendParagraph(b.doc, 'B wrote this before signing.');
    await expect.poll(() => b.isSaved()).toBe(true);
    for (const step of ['start', 'end']) await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/${step}`), 200, step);
    await expectStatus(clinic.b.api.post(`/api/sessions/${sessionId}/sign`), 200, 'B signs');
    // The note's write lock is held here: p2 takes B's next words in and waits to store them.
    const db = new pg.Client({ connectionString: cluster.databaseUrl });
    await db.connect();
    try {
      await db.query("SELECT pg_advisory_lock(hashtextextended('tandem:doc:' || $1, 0))", [sessionId]);
      appendParagraph(b.doc, 'B typed this while A signed.');
      await expect.poll(async () => Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).rows[0]!.n)).toBeGreaterThan(0);
      // A signs through p1 meanwhile: the note locks as stored (B's signature is of it).
      expect((await clinic.a.api.post<{ locked: boolean }>(`/api/sessions/${sessionId}/sign`)).body).toMatchObject({ locked: true });
      await db.query("SELECT pg_advisory_unlock(hashtextextended('tandem:doc:' || $1, 0))", [sessionId]);
      // p2 may not store them now: B's page reconnects to the note as stored and is refused them, said.
      await expect.poll(() => b.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'session_locked' });
    } finally {
      await db.end();
    }
    const verify = await clinic.supervisor.api.get<{ matches: boolean }>(`/api/sessions/${sessionId}/verify`);
    expect(verify.body.matches).toBe(true);
    const stored = await storedNoteText(cluster.databaseUrl, sessionId);
    expect(stored).toContain('B wrote this before signing.');
    expect(stored).not.toContain('while A signed');
    // Anyone opening it on p2 now gets the note as stored.
    const reader = connectClient(p2.baseUrl, sessionId, clinic.supervisor.api.cookie);
    await expect.poll(() => reader.provider.synced).toBe(true);
    expect(reader.doc.getXmlFragment('note').toString()).not.toContain('while A signed');
    b.destroy();
    reader.destroy();
  });
});
