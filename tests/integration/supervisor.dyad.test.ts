import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ReviewView } from '../../shared/domain/review';
import type { DyadRef, DyadView } from '../../shared/domain/supervisor';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { expectStatus, type Person } from '../helpers/api';
import { appendParagraph, connectClient, type TestClient } from '../helpers/connectClient';
import { pairSession, returnNote, step } from '../helpers/desk';
import { answerFlag, tagSpan } from '../helpers/noteOps';
import { startClinic } from '../helpers/clinic';

describe('the dyad across sessions', async () => {
  const { server, clinic } = await startClinic();
  const { a, b, supervisor, outsider, admin } = clinic;

  const open = async (sessionId: string, ...people: Person[]): Promise<TestClient[]> => {
    const clients = people.map((p) => connectClient(server.baseUrl, sessionId, p.api.cookie));
    await expect.poll(() => clients.every((c) => c.provider.synced)).toBe(true);
    return clients;
  };
  const saved = (...clients: TestClient[]) => expect.poll(() => clients.every((c) => c.isSaved())).toBe(true);
  const flagFor = (doc: TestClient, needle: string, author: Person, tag: string, member: string | null, forCoTherapist: boolean) =>
    tagSpan(doc.doc, needle, { authorId: author.id, tags: [tag], member, forCoTherapist });
  const answer = (client: TestClient, by: Person, id: string, what: 'acknowledged' | 'disputed') => answerFlag(client.doc, id, { by: by.id, at: Date.now(), answer: what, note: null });
  const waitSeconds = async (sessionId: string, observationId: string) => {
    const o = (await supervisor.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body.observations.find((x) => x.id === observationId)!;
    return (Date.parse(o.response!.at) - Date.parse(o.createdAt)) / 1000;
  };

  /**
   * Two sessions of the pair A and B, and one of A with someone else, with known figures:
   * first: A tags 3 (2 flagged for B: one acknowledged, one left open), B tags 1 flagged for A, disputed by A;
   * returned once by the supervisor; supervision codes: 2 about A, 1 about the pair, and B's own reflection (not a supervisor's).
   * second: B tags 1 flagged for A (acknowledged), A tags 1; B writes a line after the end.
   */
  async function script() {
    const first = await pairSession(clinic, 'Monday, "first" group', { scheduledAt: '2026-11-23T10:00:00Z' });
    await a.api.request('PUT', `/api/sessions/${first}/group-members`, { labels: ['M1', 'M2'] });
    await step(a.api, first, 'start');
    const [ca, cb] = await open(first, a, b);
    appendParagraph(ca!.doc, 'M1 laughed at school. M2 cried about home. M1 looked away.');
    await saved(ca!);
    await expect.poll(() => cb!.text()).toContain('looked away');
    const o1 = flagFor(ca!, 'laughed', a, 'affect', 'M1', true);
    flagFor(ca!, 'cried', a, 'affect', 'M2', true);
    flagFor(ca!, 'looked away', a, 'nonverbal', 'M1', false);
    const o4 = flagFor(cb!, 'school', b, 'nonverbal', null, true);
    await saved(ca!, cb!);
    await expect.poll(() => ca!.doc.getMap('observations').size === 4 && cb!.doc.getMap('observations').size === 4).toBe(true);
    answer(cb!, b, o1.id, 'acknowledged');
    answer(ca!, a, o4.id, 'disputed');
    await saved(ca!, cb!);
    ca!.destroy();
    cb!.destroy();
    await step(a.api, first, 'end');
    await step(a.api, first, 'sign');
    await step(b.api, first, 'sign');
    await returnNote(supervisor.api, first, 'Name the risk plan.');
    await step(a.api, first, 'sign');
    await step(b.api, first, 'sign');
    await step(supervisor.api, first, 'cosign');
    const note = (p: Person, body: unknown) => expectStatus(p.api.post(`/api/sessions/${first}/supervision-notes`, body), 201, 'supervision note');
    await note(supervisor, { body: 'Good timing', codes: ['interventions', 'alliance'], aboutId: a.id });
    await note(supervisor, { body: 'Talk through risk together', codes: ['risk-handling'] });
    await note(b, { body: 'I hesitated', codes: ['co-therapy'] });

    const second = await pairSession(clinic, 'Wednesday group', { scheduledAt: '2026-11-25T10:00:00Z' });
    await a.api.request('PUT', `/api/sessions/${second}/group-members`, { labels: ['M1'] });
    await step(a.api, second, 'start');
    const [da, db] = await open(second, a, b);
    appendParagraph(db!.doc, 'M1 was angry with the group. A reframed it.');
    await saved(db!);
    await expect.poll(() => da!.text()).toContain('reframed');
    const o5 = flagFor(db!, 'angry', b, 'affect', 'M1', true);
    flagFor(da!, 'reframed', a, 'intervention', null, false);
    await saved(da!, db!);
    await expect.poll(() => da!.doc.getMap('observations').has(o5.id)).toBe(true);
    answer(da!, a, o5.id, 'acknowledged');
    await saved(da!);
    da!.destroy();
    await step(a.api, second, 'end');
    appendParagraph(db!.doc, 'Added after: M1 called later.');
    await saved(db!);
    db!.destroy();

    // A with someone else, without this supervisor.
    const { id: other } = await expectStatus(a.api.post<{ id: string }>('/api/sessions', { title: 'Other pair', kind: 'group', scheduledAt: '2026-11-26T10:00:00Z' }), 201, 'other');
    await a.api.post(`/api/sessions/${other}/members`, { userId: outsider.id, role: 'therapist' });
    await step(a.api, other, 'start');
    const [oa] = await open(other, a);
    appendParagraph(oa!.doc, 'Quiet session');
    flagFor(oa!, 'Quiet', a, 'affect', null, false);
    await saved(oa!);
    oa!.destroy();
    return { first, second, other, waits: { o1: await waitSeconds(first, o1.id), o4: await waitSeconds(first, o4.id), o5: await waitSeconds(second, o5.id) } };
  }

  it('computes each session’s figures for the pair and each therapist, with totals, from a scripted week', { timeout: 120_000 }, async () => {
    const { first, second, other, waits } = await script();
    const dyads = (await supervisor.api.get<{ pairs: DyadRef[]; therapists: DyadRef[] }>('/api/dyads')).body;
    const pairIds = [a.id, b.id].sort();
    expect(dyads.pairs).toEqual([{ accountIds: pairIds, names: pairIds.map((id) => (id === a.id ? a.name : b.name)), sessions: 2 }]);
    expect(dyads.therapists.map((t) => [t.names[0], t.sessions])).toEqual([[a.name, 2], [b.name, 2]]);

    const view = (await supervisor.api.get<DyadView>(`/api/dyads/trend?ids=${a.id},${b.id}`)).body;
    expect(view.rows.map((r) => [r.sessionId, r.returned])).toEqual([[first, 1], [second, 0]]);
    const fig = (row: number, who: Person) => view.rows[row]!.therapists.find((t) => t.accountId === who.id)!;
    expect(fig(0, a)).toEqual({
      accountId: a.id, made: 3, flaggedForOther: 2, acknowledgedByOther: 1, disputedByOther: 0, unanswered: 1, medianAnswerSeconds: waits.o1, lateEntries: 0,
      byTag: { Affect: 2, Nonverbal: 1 }, byMember: { M1: 2, M2: 1 }, codes: { Interventions: 1, Alliance: 1, 'Risk handling': 1 },
    });
    expect(fig(0, b)).toEqual({
      accountId: b.id, made: 1, flaggedForOther: 1, acknowledgedByOther: 0, disputedByOther: 1, unanswered: 0, medianAnswerSeconds: waits.o4, lateEntries: 0,
      byTag: { Nonverbal: 1 }, byMember: {}, codes: { 'Risk handling': 1 },
    });
    expect(fig(1, a)).toMatchObject({ made: 1, flaggedForOther: 0, medianAnswerSeconds: null, lateEntries: 0, byTag: { Intervention: 1 }, codes: {} });
    expect(fig(1, b)).toMatchObject({ made: 1, flaggedForOther: 1, acknowledgedByOther: 1, unanswered: 0, medianAnswerSeconds: waits.o5, lateEntries: 1, byMember: { M1: 1 } });
    expect(view.totals.find((t) => t.accountId === a.id)).toMatchObject({ made: 4, flaggedForOther: 2, acknowledgedByOther: 1, unanswered: 1, byTag: { Affect: 2, Nonverbal: 1, Intervention: 1 } });
    expect(view.totals.find((t) => t.accountId === b.id)).toMatchObject({ made: 2, flaggedForOther: 2, acknowledgedByOther: 1, disputedByOther: 1, lateEntries: 1 });

    // A therapist's own trend covers every session of theirs the caller shares: A sees all three, the supervisor two.
    expect((await a.api.get<DyadView>(`/api/dyads/trend?ids=${a.id}`)).body.rows.map((r) => r.sessionId)).toEqual([first, second, other]);
    expect((await supervisor.api.get<DyadView>(`/api/dyads/trend?ids=${a.id}`)).body.rows.map((r) => r.sessionId)).toEqual([first, second]);

    const csv = await fetch(`${server.baseUrl}/api/dyads/trend.csv?ids=${a.id},${b.id}`, { headers: { cookie: supervisor.api.cookie! } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^session date,session,status,returned for revision,therapist,observations made/);
    // The answers in the words of their buttons: "disputed" read as a rejected observation (walk, 4 Dec).
    expect(lines[0]).toContain('flagged for the other,answered “I missed that” by the other,answered “I saw it” by the other,unanswered');
    expect(lines[1]).toBe(`2026-11-23,"Monday, ""first"" group",reviewed,1,${a.name},3,2,1,0,1,${waits.o1},0,Affect: 2; Nonverbal: 1,M1: 2; M2: 1,Alliance: 1; Interventions: 1; Risk handling: 1`);
  });

  // Supervisor's desk, 3 Dec: one late sentence, typed key by key, showed as 45 late entries on the
  // Pairs page (one per keystroke the server stamped); the export lists it as one.
  it('counts late entries as the export lists them: a sentence typed key by key is one, a co-therapist’s words after it another', { timeout: 120_000 }, async () => {
    const id = await pairSession(clinic, 'Thursday group', { scheduledAt: '2026-11-27T10:00:00Z' });
    await step(a.api, id, 'start');
    const [ca, cb] = await open(id, a, b);
    appendParagraph(ca!.doc, 'Written during the session.');
    await saved(ca!);
    await expect.poll(() => cb!.text()).toContain('during the session');
    await step(a.api, id, 'end');
    const typeAtEnd = (client: TestClient, words: string) => {
      const note = client.doc.getXmlFragment('note');
      const text = (note.get(note.length - 1) as Y.XmlElement).get(0) as Y.XmlText;
      text.insert(text.length, words);
    };
    const labelled = (client: TestClient) => Array.from(sessionDoc(client.doc).lateEntries.values()).filter((l) => l.client === client.doc.clientID).length;
    // A's sentence, a key press at a time, each stored and labelled before the next.
    const keys = [' M', '1 ', 'ca', 'll', 'ed', ' l', 'at', 'er.'];
    for (const [i, key] of keys.entries()) {
      typeAtEnd(ca!, key);
      await expect.poll(() => labelled(ca!), { timeout: 20_000 }).toBe(i + 1);
    }
    await expect.poll(() => cb!.text(), { timeout: 20_000 }).toContain('M1 called later.');
    typeAtEnd(cb!, ' B agreed.');
    await expect.poll(() => labelled(cb!), { timeout: 20_000 }).toBe(1);
    await saved(ca!, cb!);
    ca!.destroy();
    cb!.destroy();

    const exported = await fetch(`${server.baseUrl}/api/sessions/${id}/export.md`, { headers: { cookie: supervisor.api.cookie! } });
    const labels = (await exported.text()).match(/late entry by [^,]+/g);
    expect(labels).toEqual([`late entry by ${a.name}`, `late entry by ${b.name}`]);
    const view = (await supervisor.api.get<DyadView>(`/api/dyads/trend?ids=${a.id},${b.id}`)).body;
    const row = view.rows.find((r) => r.sessionId === id)!;
    expect(row.therapists.map((t) => [t.accountId, t.lateEntries])).toEqual([[a.id, 1], [b.id, 1]]);
    const csv = await (await fetch(`${server.baseUrl}/api/dyads/trend.csv?ids=${a.id},${b.id}`, { headers: { cookie: supervisor.api.cookie! } })).text();
    const header = csv.split('\n')[0]!.split(',');
    const thursday = csv.split('\n').filter((l) => l.includes('Thursday group')).map((l) => l.split(',')[header.indexOf('late entries')]);
    expect(thursday).toEqual(['1', '1']);
  });

  it('refuses strangers, admins and bad ids', async () => {
    expect((await outsider.api.get(`/api/dyads/trend?ids=${a.id},${b.id}`)).status).toBe(403);
    expect((await admin.api.get(`/api/dyads/trend?ids=${a.id}`)).status).toBe(403);
    expect((await admin.api.get('/api/dyads')).status).toBe(403);
    for (const ids of ['', 'x', `${a.id},${a.id}`, `${a.id},${b.id},${supervisor.id}`]) {
      const res = await supervisor.api.get<{ error: { field: string } }>(`/api/dyads/trend?ids=${ids}`);
      expect(res.status, ids).toBe(400);
      expect(res.body.error.field, ids).toMatch(/^ids/);
    }
  });
});
