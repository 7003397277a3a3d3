import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AuditEntryView, NoteAccessView } from '../../shared/domain/audit';
import type { AuditLogRow } from '../../shared/domain/auditWords';
import type { BlindAnchor, BlindStateView, PrivateObservationView } from '../../shared/domain/blind';
import type { ConcordanceView } from '../../shared/domain/concordance';
import type { ReviewView } from '../../shared/domain/review';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { sessionDoc, stampKey, OBSERVATIONS } from '../../shared/ydoc/sessionDoc';
import { createSession } from '../helpers/api';
import { awarenessStatesOf, caretAt } from '../helpers/awareness';
import { appendParagraph, connectClient, type TestClient } from '../helpers/connectClient';
import { findText, marksOn, tagSpan } from '../helpers/noteOps';
import { mirrorNote, openRaw, upgradeStatus } from '../helpers/rawSocket';
import { clientBlindAnchor, wholeLineOf } from '../helpers/clientAnchor';
import { shortQuote } from '../../client/features/observations/observationModel';
import { readNote } from '../../shared/note/readNote';
import { startClinic } from '../helpers/clinic';
import { refuseWrites } from '../helpers/refuseWrites';

const b64 = (rel: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(rel)).toString('base64');

/** A span's anchor as the web client holds it: its first character, and its end tied to the last one. */
function spanAnchor(doc: Y.Doc, words: string): BlindAnchor {
  const { text, index } = findText(doc, words);
  return { kind: 'span', from: b64(Y.createRelativePositionFromTypeIndex(text, index, 0)), to: b64(Y.createRelativePositionFromTypeIndex(text, index + words.length, -1)) };
}

/** A tagged line's place: just after `words` (tied to them, so what is typed after stays after the marker). */
function lineAnchor(doc: Y.Doc, words: string): BlindAnchor {
  const { text, index } = findText(doc, words);
  return { kind: 'line', at: b64(Y.createRelativePositionFromTypeIndex(text, index + words.length, -1)) };
}

describe('blind mode: observations private to their author until the reveal', async () => {
  /** Runs once, right after the next read of a session's whole list of private observations (the reveal's). */
  let afterRevealRead: (() => Promise<void>) | null = null;
  const { server, clinic } = await startClinic({
    decorateStore: (store) => {
      const read = store.learning.blindObservations.bind(store.learning);
      store.learning.blindObservations = async (sessionId, authorId) => {
        const list = await read(sessionId, authorId);
        const then = authorId === undefined ? afterRevealRead : null;
        if (then) {
          afterRevealRead = null;
          await then();
        }
        return list;
      };
      return store;
    },
  });
  const headers = (cookie: string | null) => ({ cookie: cookie!, origin: server.baseUrl });

  async function blindSession() {
    const sessionId = await createSession(clinic);
    expect((await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/group-members`, { labels: ['M1', 'M2'] })).status).toBe(200);
    const set = await clinic.a.api.request<BlindStateView>('PUT', `/api/sessions/${sessionId}/blind`, { enabled: true });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ enabled: true, revealedAt: null, canChange: true });
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/start`)).status).toBe(200);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    appendParagraph(a.doc, 'M1 went quiet when his brother spoke');
    appendParagraph(a.doc, 'M2 laughed and changed the subject');
    await expect.poll(() => a.isSaved()).toBe(true);
    await expect.poll(() => b.doc.getXmlFragment('note').toString().includes('changed the subject')).toBe(true);
    return { sessionId, a, b };
  }

  const observe = (who: 'a' | 'b', sessionId: string, body: object) =>
    clinic[who].api.post<PrivateObservationView>(`/api/sessions/${sessionId}/blind/observations`, body);

  /** What a raw websocket of `who` is sent of the note: the whole document, as any client gets it. */
  async function rawView(sessionId: string, cookie: string | null, client: TestClient) {
    const raw = await openRaw(server.baseUrl, sessionId, headers(cookie));
    const doc = mirrorNote(raw);
    // Caught up with everything the writer's own client holds: the raw copy has the whole note.
    await expect.poll(() => doc.getXmlFragment('note').toString() === client.doc.getXmlFragment('note').toString() && doc.getXmlFragment('note').length > 0).toBe(true);
    return { raw, doc };
  }

  it('keeps each therapist’s observations from the other over raw websockets, then merges them with their authors and times at the reveal', async () => {
    const { sessionId, a, b } = await blindSession();

    // Blind is chosen before the start: now it can be neither turned off nor on again.
    const late = await clinic.b.api.request<{ error: { code: string; message: string } }>('PUT', `/api/sessions/${sessionId}/blind`, { enabled: false });
    expect([late.status, late.body.error.code]).toEqual([409, 'session_started']);
    expect(late.body.error.message).toMatch(/before the session starts.*stays blind/);
    expect((await clinic.a.api.get<BlindStateView>(`/api/sessions/${sessionId}/blind`)).body).toMatchObject({ enabled: true, canChange: false });

    // The shared note refuses observations: they would reach the co-therapist with the document.
    tagSpan(a.doc, 'went quiet', { authorId: clinic.a.id, tags: ['affect'], member: 'M1' });
    await expect.poll(() => a.notices.some((n) => n.type === 'refused' && n.code === 'blind_private')).toBe(true);
    a.destroy();
    const a2 = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a2.provider.synced).toBe(true);

    const mineA = await observe('a', sessionId, { tags: ['affect'], member: 'M1', forCoTherapist: false, anchor: spanAnchor(a2.doc, 'went quiet') });
    expect(mineA.status).toBe(201);
    expect(mineA.body).toMatchObject({ quote: 'went quiet', member: 'M1', kind: 'span' });
    expect(mineA.body.offset).toMatch(/^\d\d:\d\d$/);
    const mineB = await observe('b', sessionId, { tags: ['group-dynamic'], member: 'M2', forCoTherapist: true, anchor: lineAnchor(b.doc, 'changed the subject') });
    expect(mineB.status).toBe(201);

    // Bad input: refused, naming the field, nothing stored.
    const badTag = await observe('a', sessionId, { tags: ['astrology'], member: null, forCoTherapist: false, anchor: spanAnchor(a2.doc, 'laughed') });
    expect([badTag.status, (badTag.body as unknown as { error: { field: string } }).error.field]).toEqual([400, 'tags']);
    const badAnchor = await observe('a', sessionId, { tags: ['affect'], member: null, forCoTherapist: false, anchor: { kind: 'span', from: 'AAAA', to: 'AAAA' } });
    expect(badAnchor.status).toBe(422);
    expect((await clinic.supervisor.api.post(`/api/sessions/${sessionId}/blind/observations`, { tags: ['affect'], member: null, forCoTherapist: false, anchor: spanAnchor(a2.doc, 'laughed') })).status).toBe(403);

    // Each reads only their own; the supervisor and outsiders none; the review and concordance show nothing yet.
    expect((await clinic.a.api.get<PrivateObservationView[]>(`/api/sessions/${sessionId}/blind/observations`)).body.map((o) => o.id)).toEqual([mineA.body.id]);
    expect((await clinic.b.api.get<PrivateObservationView[]>(`/api/sessions/${sessionId}/blind/observations`)).body.map((o) => o.id)).toEqual([mineB.body.id]);
    expect((await clinic.supervisor.api.get(`/api/sessions/${sessionId}/blind/observations`)).status).toBe(403);
    expect((await clinic.outsider.api.get(`/api/sessions/${sessionId}/blind/observations`)).status).toBe(403);
    // Who has read the note: each sees their own reads of their private list, nobody else's (when
    // and how often B opened it told A when B was observing).
    const readWays = async (viewer: 'a' | 'b' | 'supervisor') => Object.fromEntries(
      (await clinic[viewer].api.get<NoteAccessView[]>(`/api/sessions/${sessionId}/access`)).body.map((r) => [r.accountId, r.ways.includes('private')]),
    );
    expect(await readWays('a')).toMatchObject({ [clinic.a.id]: true, [clinic.b.id]: false });
    expect(await readWays('b')).toMatchObject({ [clinic.a.id]: false, [clinic.b.id]: true });
    expect(await readWays('supervisor')).toMatchObject({ [clinic.a.id]: false, [clinic.b.id]: false });
    expect((await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body.observations).toEqual([]);
    expect((await clinic.b.api.get<ConcordanceView>(`/api/sessions/${sessionId}/concordance`)).body.unavailable).toMatch(/blind/);

    // A raw socket of B is sent the whole note: no observation of A's, no mark, not even its id.
    const rawB = await rawView(sessionId, clinic.b.api.cookie, b);
    expect(sessionDoc(rawB.doc).observations.size).toBe(0);
    expect(marksOn(rawB.doc, 'went quiet').filter(Boolean)).toEqual([]);
    expect(JSON.stringify(rawB.doc.toJSON())).not.toContain(mineA.body.id);
    expect(Buffer.from(Y.encodeStateAsUpdate(rawB.doc)).toString('latin1')).not.toContain(mineA.body.id);
    // There is no other document to subscribe to: any other name is refused before a socket opens.
    for (const path of [`/sync/${sessionId}:private:${clinic.a.id}`, `/sync/${sessionId}/blind/${clinic.a.id}`, `/sync/${clinic.a.id}`]) {
      expect(await upgradeStatus(server.baseUrl, path, headers(clinic.b.api.cookie))).toBe(404);
    }

    // Presence shows where the other's caret is, never what they select (it could show what they tag).
    b.provider.awareness.setLocalStateField('cursor', caretAt(b.doc.clientID, 2, 9));
    await expect.poll(() => awarenessStatesOf(a2).find((s) => s.user?.accountId === clinic.b.id)?.cursor).toEqual(caretAt(b.doc.clientID, 9, 9));

    // One therapist alone: it waits, with a notice, and nothing is revealed.
    const first = await clinic.a.api.post<{ revealed: boolean; waitingFor: string[]; message: string }>(`/api/sessions/${sessionId}/blind/reveal`);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ revealed: false, waitingFor: [clinic.b.name] });
    expect(first.body.message).toMatch(/Waiting for Blair Therapist to press Reveal too/);
    expect((await clinic.b.api.get<PrivateObservationView[]>(`/api/sessions/${sessionId}/blind/observations`)).body.map((o) => o.id)).toEqual([mineB.body.id]);
    expect(sessionDoc(rawB.doc).observations.size).toBe(0);
    // B's flag for A is in no inbox while it is private: its notice would say B flagged something.
    const flagsFor = async (who: 'a' | 'b') => (await server.store.notices.list(clinic[who].id, 50)).filter((n) => n.sessionId === sessionId && n.kind === 'flag').map((n) => [n.refId, n.actorId]);
    expect(await flagsFor('a')).toEqual([]);

    // Both pressed: merged into the note, attributed to their authors with the time the server received them.
    const second = await clinic.b.api.post<{ revealed: boolean; state: BlindStateView }>(`/api/sessions/${sessionId}/blind/reveal`);
    expect([second.status, second.body.revealed]).toEqual([200, true]);
    expect(second.body.state.revealedAt).not.toBeNull();
    await expect.poll(() => sessionDoc(rawB.doc).observations.size).toBe(2);
    const seen = sessionDoc(rawB.doc);
    expect(seen.observations.get(mineA.body.id)).toMatchObject({ authorId: clinic.a.id, tags: ['affect'], member: 'M1', kind: 'span' });
    expect(seen.observations.get(mineB.body.id)).toMatchObject({ authorId: clinic.b.id, tags: ['group-dynamic'], member: 'M2', kind: 'line', forCoTherapist: true });
    expect(seen.stamps.get(stampKey(OBSERVATIONS, mineA.body.id))?.at).toBe(Date.parse(mineA.body.at));
    expect(marksOn(rawB.doc, 'went quiet')).toEqual([mineA.body.id]);
    // B's flag reached A's inbox with the note, as a flag written live does; A's unflagged one no inbox.
    await expect.poll(() => flagsFor('a')).toEqual([[mineB.body.id, clinic.b.id]]);
    expect(await flagsFor('b')).toEqual([]);
    // Then every copy reconnects, as after a lifecycle step, so every process learns of the reveal.
    expect((await rawB.raw.closed).code).toBe(CloseCode.AccessChanged);

    const review = (await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body;
    expect(review.observations.map((o) => [o.id, o.authorId, o.createdAt, o.quote])).toEqual([
      [mineA.body.id, clinic.a.id, mineA.body.at, 'went quiet'],
      [mineB.body.id, clinic.b.id, mineB.body.at, ''],
    ]);
    expect(JSON.stringify(review.blocks)).toContain('Group dynamic · M2 — ');
    // The marker the reveal wrote is B's, as the live tag's would be, not the template's (walk, 4 Dec, M6).
    const markerRuns = review.blocks.flatMap(function runs(b): ReviewView['blocks'][number]['runs'] { return [...b.runs, ...b.children.flatMap(runs)]; }).filter((r) => r.text.includes('Group dynamic · M2 — '));
    expect(markerRuns.map((r) => r.authorId)).toEqual([clinic.b.id]);
    const concordance = (await clinic.supervisor.api.get<ConcordanceView>(`/api/sessions/${sessionId}/concordance`)).body;
    expect(concordance.unavailable).toBeNull();
    expect(concordance.counts).toMatchObject({ onlyA: 1, onlyB: 1 });

    const audit = (await clinic.admin.api.get<AuditEntryView[]>(`/api/audit?sessionId=${sessionId}&limit=100`)).body;
    const revealed = audit.filter((e) => e.action === 'blind_revealed');
    expect(revealed.map((e) => [e.actorId, e.detail.trigger, e.detail.merged, e.detail.byAuthor])).toEqual([
      [clinic.b.id, 'both_pressed', 2, { [clinic.a.id]: 1, [clinic.b.id]: 1 }],
    ]);
    expect(audit.filter((e) => e.action === 'blind_reveal_requested').map((e) => e.actorId).sort()).toEqual([clinic.a.id, clinic.b.id].sort());
    // As a privacy officer reads it: people by name, not by account id (walk, 4 Dec).
    const readable = (await clinic.admin.api.get<{ rows: AuditLogRow[] }>(`/api/audit/log?sessionId=${sessionId}&action=blind_revealed`)).body.rows;
    expect(readable).toHaveLength(1);
    expect(readable[0]!.detail).toMatch(/^because: both therapists pressed Reveal, merged: 2, their words gone: 0, kept private: /);
    for (const p of [clinic.a, clinic.b]) {
      expect(readable[0]!.detail).toContain(`${p.name} 1`);
      expect(readable[0]!.detail).not.toContain(p.id);
    }

    // After the reveal: no more private observations; the note takes them as usual, and a repeated reveal changes nothing.
    expect((await observe('a', sessionId, { tags: ['affect'], member: null, forCoTherapist: false, anchor: spanAnchor(a2.doc, 'laughed') })).status).toBe(409);
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/blind/reveal`)).status).toBe(200);
    await expect.poll(() => a2.provider.synced && sessionDoc(a2.doc).observations.size === 2).toBe(true);
    const after = tagSpan(a2.doc, 'laughed', { authorId: clinic.a.id, tags: ['affect'], member: 'M2' });
    await expect.poll(() => a2.isSaved()).toBe(true);
    const rawAfter = await rawView(sessionId, clinic.b.api.cookie, a2);
    await expect.poll(() => sessionDoc(rawAfter.doc).observations.get(after.id)?.authorId).toBe(clinic.a.id);
    expect(sessionDoc(rawAfter.doc).observations.size).toBe(3);
    // Revealed: selections show again.
    const b2 = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    b2.provider.awareness.setLocalStateField('cursor', caretAt(b2.doc.clientID, 2, 9));
    await expect.poll(() => awarenessStatesOf(a2).some((s) => JSON.stringify(s.cursor) === JSON.stringify(caretAt(b2.doc.clientID, 2, 9)))).toBe(true);
  });

  it('reveals at the end of the session when nobody pressed Reveal', async () => {
    const { sessionId, a } = await blindSession();
    const mine = await observe('a', sessionId, { tags: ['affect'], member: 'M1', forCoTherapist: false, anchor: spanAnchor(a.doc, 'his brother') });
    expect(mine.status).toBe(201);
    // Words written meanwhile before the span do not move it off its words.
    findText(a.doc, 'M1 went').text.insert(0, 'Early on, ');
    await expect.poll(() => a.isSaved()).toBe(true);
    expect((await clinic.b.api.post(`/api/sessions/${sessionId}/end`)).status).toBe(200);
    const review = (await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body;
    expect(review.observations.map((o) => [o.authorId, o.quote])).toEqual([[clinic.a.id, 'his brother']]);
    const audit = (await clinic.admin.api.get<AuditEntryView[]>(`/api/audit?sessionId=${sessionId}&limit=100`)).body;
    expect(audit.find((e) => e.action === 'blind_revealed')?.detail).toMatchObject({ trigger: 'session_ended', merged: 1, unanchored: 0 });
    expect((await clinic.a.api.get<BlindStateView>(`/api/sessions/${sessionId}/blind`)).body.revealedAt).not.toBeNull();
  });

  it('merges the private observations before the first signature when the reveal at the end could not be stored', async () => {
    const { sessionId, a } = await blindSession();
    expect((await observe('a', sessionId, { tags: ['affect'], member: 'M1', forCoTherapist: false, anchor: spanAnchor(a.doc, 'his brother') })).status).toBe(201);
    // The reveal's merge is the only write to the note without an account: the store refuses it.
    const restore = refuseWrites(server.dataDir, ['note'], 'NEW.account_id IS NULL');
    expect((await clinic.b.api.post(`/api/sessions/${sessionId}/end`)).status).toBe(200);
    expect((await clinic.a.api.get<BlindStateView>(`/api/sessions/${sessionId}/blind`)).body.revealedAt).toBeNull();
    restore();
    const refused = await clinic.a.api.post<{ error: { code: string } }>(`/api/sessions/${sessionId}/sign`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('observations_revealed');
    const review = (await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body;
    expect(review.observations.map((o) => [o.authorId, o.quote])).toEqual([[clinic.a.id, 'his brother']]);
    for (const who of ['a', 'b'] as const) expect((await clinic[who].api.post(`/api/sessions/${sessionId}/sign`)).status).toBe(200);
  });

  // Attack (4 Dec): an observation stored while the reveal worked out its merge was answered 201
  // and joined the note never (the session was marked revealed without it).
  it('merges a private observation stored while the reveal was worked out, and refuses one after it', async () => {
    const { sessionId, a } = await blindSession();
    expect((await observe('a', sessionId, { tags: ['affect'], member: 'M1', forCoTherapist: false, anchor: spanAnchor(a.doc, 'his brother') })).status).toBe(201);
    let meanwhile = 0;
    afterRevealRead = async () => {
      meanwhile = (await observe('b', sessionId, { tags: ['affect'], member: 'M2', forCoTherapist: false, anchor: spanAnchor(a.doc, 'laughed') })).status;
    };
    expect((await clinic.b.api.post(`/api/sessions/${sessionId}/end`)).status).toBe(200);
    expect(meanwhile).toBe(201);
    const review = (await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body;
    expect(review.observations.map((o) => [o.authorId, o.quote]).sort()).toEqual([[clinic.a.id, 'his brother'], [clinic.b.id, 'laughed']].sort());
    const audit = (await clinic.admin.api.get<AuditEntryView[]>(`/api/audit?sessionId=${sessionId}&limit=100`)).body;
    expect(audit.filter((e) => e.action === 'blind_revealed').map((e) => e.detail)).toEqual([expect.objectContaining({ merged: 2 })]);
    // After the mark, one more is refused with words to write it into the note instead.
    const late = await observe('b', sessionId, { tags: ['affect'], member: 'M2', forCoTherapist: false, anchor: spanAnchor(a.doc, 'changed the subject') });
    expect(late.status).toBe(409);
    expect((late.body as unknown as { error: { code: string } }).error.code).toBe('not_blind');
  });

  // Attack (4 Dec, two processes on PostgreSQL): a co-therapist posting without pause overtook every
  // merge of a reveal, which then answered 500.
  it('says a reveal overtaken by private observations again and again is to be pressed again, and then reveals them all', async () => {
    const { sessionId, a } = await blindSession();
    let posted = 0;
    const keepPosting = async () => {
      if ((await observe('b', sessionId, { tags: ['affect'], member: 'M2', forCoTherapist: false, anchor: spanAnchor(a.doc, 'laughed') })).status === 201) posted++;
      afterRevealRead = keepPosting;
    };
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/blind/reveal`)).status).toBe(202);
    afterRevealRead = keepPosting;
    const busy = await clinic.b.api.post<{ error: { code: string; message: string } }>(`/api/sessions/${sessionId}/blind/reveal`);
    afterRevealRead = null;
    expect([busy.status, busy.body.error.code]).toEqual([409, 'reveal_busy']);
    expect(busy.body.error.message).toMatch(/press Reveal again/);
    const again = await clinic.b.api.post<{ revealed: boolean }>(`/api/sessions/${sessionId}/blind/reveal`);
    expect([again.status, again.body.revealed]).toEqual([200, true]);
    expect((await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body.observations).toHaveLength(posted);
  });

  // Attack (4 Dec): B had only observed privately (no words of B's in the note), so A could remove
  // B and, at the end, sign alone over B's risk/safety flag merged into the note.
  // And (attack, 4 Dec) the page's "not removable" told A the moment B first observed: it is the same before.
  it('keeps a co-therapist who has only observed privately a member, as one who has written, and says the same before', async () => {
    const { sessionId, a } = await blindSession();
    const notRemovable = async () => (await clinic.a.api.get<{ members: { userId: string; notRemovable: string | null }[] }>(`/api/sessions/${sessionId}`)).body.members.find((m) => m.userId === clinic.b.id)?.notRemovable;
    const before = await notRemovable();
    expect(before).toMatch(/is one of the note’s authors/);
    expect((await observe('b', sessionId, { tags: ['risk-safety'], member: 'M1', forCoTherapist: true, anchor: spanAnchor(a.doc, 'went quiet') })).status).toBe(201);
    expect(await notRemovable()).toBe(before);
    const removal = await clinic.a.api.delete<{ error: { code: string } }>(`/api/sessions/${sessionId}/members/${clinic.b.id}`);
    expect(removal.status).toBe(409);
    expect(removal.body.error.code).toBe('author_member');
    const members = (await clinic.a.api.get<{ members: { userId: string; notRemovable: string | null }[] }>(`/api/sessions/${sessionId}`)).body.members;
    expect(members.find((m) => m.userId === clinic.b.id)?.notRemovable).toMatch(/is one of the note’s authors/);
  });

  // Attack (4 Dec): B took label M2 away under A's private risk flag for M2; the reveal then named a
  // member no longer in the group, and neither could sign nor record the risk.
  it('keeps every group-member label until the reveal, whatever was kept privately', async () => {
    const { sessionId, a } = await blindSession();
    expect((await observe('a', sessionId, { tags: ['risk-safety'], member: 'M2', forCoTherapist: true, anchor: spanAnchor(a.doc, 'went quiet') })).status).toBe(201);
    const taken = await clinic.b.api.request<{ error: { code: string } }>('PUT', `/api/sessions/${sessionId}/group-members`, { labels: ['M1'] });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'blind_labels']);
    expect((await clinic.b.api.request('PUT', `/api/sessions/${sessionId}/group-members`, { labels: ['M1', 'M2', 'M3'] })).status).toBe(200);
  });

  it('reveals nothing when a therapist asks to sign a live blind session (it is not signed either)', async () => {
    const { sessionId, a } = await blindSession();
    expect((await observe('b', sessionId, { tags: ['affect'], member: 'M1', forCoTherapist: false, anchor: spanAnchor(a.doc, 'his brother') })).status).toBe(201);
    const early = await clinic.a.api.post<{ error: { code: string } }>(`/api/sessions/${sessionId}/sign`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('wrong_state');
    expect((await clinic.a.api.get<BlindStateView>(`/api/sessions/${sessionId}/blind`)).body.revealedAt).toBeNull();
    const review = (await clinic.a.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body;
    expect(review.observations).toEqual([]);
  });

  it('refuses a line anchor inside a mention chip (the reveal would have written into the chip)', async () => {
    const { sessionId, a } = await blindSession();
    const p = new Y.XmlElement('paragraph');
    const chip = new Y.XmlElement('mention');
    chip.setAttribute('id', 'M2');
    p.insert(0, [new Y.XmlText('Asked '), chip]);
    a.doc.getXmlFragment('note').push([p]);
    await expect.poll(() => a.isSaved()).toBe(true);
    const res = await observe('a', sessionId, { tags: ['affect'], member: null, forCoTherapist: false, anchor: { kind: 'line', at: b64(Y.createRelativePositionFromTypeIndex(chip, 0)) } });
    expect(res.status).toBe(422);
    expect((res.body as unknown as { error: { code: string } }).error.code).toBe('anchor_gone');
  });

  it('tags a selection that includes mention chips (at the start, middle and end of a line) and a place right after a chip', async () => {
    const { sessionId, a } = await blindSession();
    /** A paragraph of text and mention chips, as the editor writes one: sibling text and mention nodes. */
    const writeLine = (parts: (string | { member: string })[]) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, parts.map((x) => {
        if (typeof x === 'string') return new Y.XmlText(x);
        const m = new Y.XmlElement('mention');
        m.setAttribute('id', x.member);
        return m;
      }));
      a.doc.getXmlFragment('note').push([p]);
    };
    writeLine([{ member: 'M1' }, ' looked at the floor when asked about work.']);
    writeLine(['Then ', { member: 'M2' }, ' nodded at him']);
    writeLine(['Nobody answered ', { member: 'M2' }]);
    await expect.poll(() => a.isSaved()).toBe(true);

    // End, then Shift+Home on each line: the anchor the web client's own code computes for it.
    const lines = [
      ['looked at the floor', '@M1 looked at the floor when asked about work.'],
      ['nodded at him', 'Then @M2 nodded at him'],
      ['Nobody answered', 'Nobody answered @M2'],
    ] as const;
    const ids: string[] = [];
    for (const [words, quote] of lines) {
      const { anchor, held } = clientBlindAnchor(a.doc, wholeLineOf(words));
      // The palette's heading quotes the chip as the server does.
      expect(held.kind === 'span' && shortQuote(held.text)).toBe(quote);
      const res = await observe('a', sessionId, { tags: ['affect'], member: 'M1', forCoTherapist: false, anchor });
      expect([res.status, res.body.quote], words).toEqual([201, quote]);
      ids.push(res.body.id);
    }
    // A tagged line with the cursor right after the chip that ends a line.
    const { anchor: after } = clientBlindAnchor(a.doc, (pm) => {
      const { to } = wholeLineOf('Nobody answered')(pm);
      return { from: to, to };
    });
    expect(after.kind).toBe('line');
    const line = await observe('a', sessionId, { tags: ['group-dynamic'], member: 'M2', forCoTherapist: false, anchor: after });
    expect(line.status).toBe(201);
    expect((await clinic.a.api.get<PrivateObservationView[]>(`/api/sessions/${sessionId}/blind/observations`)).body.map((o) => o.quote)).toEqual([...lines.map(([, q]) => q), '']);

    // Revealed at the end: every one anchored, each span's words marked on both sides of its chip.
    expect((await clinic.b.api.post(`/api/sessions/${sessionId}/end`)).status).toBe(200);
    const audit = (await clinic.admin.api.get<AuditEntryView[]>(`/api/audit?sessionId=${sessionId}&limit=100`)).body;
    expect(audit.find((e) => e.action === 'blind_revealed')?.detail).toMatchObject({ merged: 4, unanchored: 0 });
    const reader = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => reader.provider.synced && sessionDoc(reader.doc).observations.size).toBe(4);
    expect(marksOn(reader.doc, ' looked at the floor when asked about work.')).toEqual([ids[0]]);
    expect(marksOn(reader.doc, 'Then ')).toEqual([ids[1]]);
    expect(marksOn(reader.doc, ' nodded at him')).toEqual([ids[1]]);
    expect(marksOn(reader.doc, 'Nobody answered ')).toEqual([ids[2]]);
    const marked = readNote(sessionDoc(reader.doc).note).flatMap(function ids(b): string[] {
      return [...b.runs.map((r) => String(r.marks.observation?.id ?? '')), ...b.children.flatMap(ids)];
    });
    expect(marked).toContain(line.body.id);
    // The line's marker follows the chip after a space, not glued to it.
    const ended = readNote(sessionDoc(reader.doc).note).find((b) => b.children.some((c) => c.runs.some((r) => r.text.startsWith('Nobody answered'))))!;
    expect(ended.children.map((c) => (c.type === 'mention' ? `@${String(c.attrs.id)}` : c.runs.map((r) => r.text).join('')))).toEqual(['Nobody answered ', '@M2', ' Group dynamic · M2 — ']);
  });

  it('refuses the setting from a supervisor and on a started session, and says a session without it is not blind', async () => {
    const sessionId = await createSession(clinic);
    expect((await clinic.supervisor.api.request('PUT', `/api/sessions/${sessionId}/blind`, { enabled: true })).status).toBe(403);
    const bad = await clinic.a.api.request<{ error: { field: string } }>('PUT', `/api/sessions/${sessionId}/blind`, { enabled: 'yes' });
    expect([bad.status, bad.body.error.field]).toEqual([400, 'enabled']);
    expect((await clinic.a.api.post<{ error: { code: string } }>(`/api/sessions/${sessionId}/blind/reveal`)).body.error.code).toBe('not_blind');
    expect((await clinic.a.api.get<BlindStateView>(`/api/sessions/${sessionId}/blind`)).body).toEqual({ enabled: false, revealedAt: null, revealRequests: [], canChange: true });
  });
});
