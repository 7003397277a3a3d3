import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ReviewView } from '../../shared/domain/review';
import { LATE_ENTRIES, NOTE_FIELD, OBSERVATIONS, sessionDoc, STAMPS } from '../../shared/ydoc/sessionDoc';
import type { Store } from '../../server/persistence/ports';
import { awarenessStatesOf } from '../helpers/awareness';
import { createClinic, createSession, type Clinic } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { craftFrom, deleteOnly, observation, readState, roundTrip, updateOf, writerOf } from '../helpers/craft';
import { openRaw, updateFrame } from '../helpers/rawSocket';
import { startTestServer } from '../helpers/startTestServer';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { MessageType } from '../../shared/protocol/messageType';

/** A membership lookup that can be held back on cue, as on a busy database. */
interface LookupGate {
  /** While set, the next lookup a websocket upgrade makes reports that it started and waits for `release`. */
  held: { started: () => void; release: Promise<void> } | null;
}

function slowMembers(store: Store, gate: LookupGate): Store {
  const members = store.sessions.members.bind(store.sessions);
  store.sessions.members = async (id) => {
    // Only the upgrade's own lookup: others (the live events after a signature, say) run at
    // moments a loaded machine moves, and one of them taking the gate left the upgrade unheld.
    const byUpgrade = new Error().stack?.includes('collab/upgrade') ?? false;
    const result = await members(id);
    const held = gate.held;
    if (held && byUpgrade) {
      gate.held = null;
      held.started();
      await held.release;
    }
    return result;
  };
  return store;
}

describe('the server is the trust anchor: a co-therapist with a raw socket', async () => {
  const gate: LookupGate = { held: null };
  const server = await startTestServer({ decorateStore: (s) => slowMembers(s, gate) });
  const clinic = await createClinic(server.baseUrl);
  const post = (who: Clinic['a'], id: string, step: string) => who.api.post(`/api/sessions/${id}/${step}`, {});

  /** A live group session: A writes with the stock provider, B has a raw socket and a crafting doc. */
  async function liveNote() {
    const sessionId = await createSession(clinic);
    await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/group-members`, { labels: ['M1', 'M2'] });
    await post(clinic.a, sessionId, 'start');
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, 'M2 went quiet when her father came up');
    await expect.poll(() => a.isSaved()).toBe(true);
    const raw = await openRaw(server.baseUrl, sessionId, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    const state = await roundTrip(raw);
    return { sessionId, a, raw, state, refusals: () => raw.notices.filter((n) => n.type === 'refused').map((n) => (n as { code: string }).code) };
  }

  async function storedAfterRestartOf(sessionId: string): Promise<Y.Doc> {
    // A fresh reader gets what the server holds; the server stores before it confirms "Saved".
    const reader = connectClient(server.baseUrl, sessionId, clinic.supervisor.api.cookie);
    await expect.poll(() => reader.provider.synced).toBe(true);
    return reader.doc;
  }

  it('case 1: several values under one key — the stored value is B’s valid one or none, never one by A', async () => {
    const { sessionId, a, raw, state, refusals } = await liveNote();
    const b = craftFrom(state);
    const key = crypto.randomUUID();
    const flagged = observation({ authorId: clinic.a.id, forCoTherapist: true });
    // A flags something for B; then B forges an answer "by A" behind a valid one.
    sessionDoc(a.doc).observations.set(flagged.id, flagged);
    await expect.poll(() => a.isSaved()).toBe(true);
    Y.applyUpdate(b, await roundTrip(raw));
    raw.ws.send(updateFrame(updateOf(b, () => {
      const { observations } = sessionDoc(b);
      observations.set(key, observation({ id: key, authorId: clinic.b.id }));
      observations.set(key, observation({ id: key, authorId: clinic.a.id, tags: ['astrology'], member: 'ZZ', createdAt: 1, forCoTherapist: true }));
    })));
    const answers = craftFrom(Y.encodeStateAsUpdate(a.doc));
    raw.ws.send(updateFrame(updateOf(answers, () => {
      const { responses } = sessionDoc(answers);
      responses.set(flagged.id, { by: clinic.b.id, at: Date.now(), answer: 'acknowledged', note: null });
      responses.set(flagged.id, { by: clinic.a.id, at: Date.now(), answer: 'disputed', note: 'forged' });
    })));
    await roundTrip(raw);
    expect(refusals()).toEqual(['wrong_author', 'wrong_author']);
    const stored = sessionDoc(await storedAfterRestartOf(sessionId));
    expect(stored.observations.get(key)).toBeUndefined();
    expect(stored.responses.get(flagged.id)).toBeUndefined();
    const review = (await clinic.a.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body;
    expect(review.observations.map((o) => o.authorId)).toEqual([clinic.a.id]);
  });

  it('case 2: parts sent in the wrong order are held and judged whole once complete', async () => {
    const { sessionId, raw, state, refusals } = await liveNote();
    const key = crypto.randomUUID();
    const first = craftFrom(state);
    const valid = updateOf(first, () => sessionDoc(first).observations.set(key, observation({ id: key, authorId: clinic.b.id })));
    const second = craftFrom(Y.encodeStateAsUpdate(first));
    const forged = updateOf(second, () => sessionDoc(second).observations.set(key, observation({ id: key, authorId: clinic.a.id, tags: ['astrology'] })));
    raw.ws.send(updateFrame(forged));
    await roundTrip(raw);
    // Nothing to judge yet: the forged value depends on an item the server has not seen.
    expect(refusals()).toEqual([]);
    raw.ws.send(updateFrame(valid));
    await roundTrip(raw);
    expect(refusals()).toEqual(['wrong_author']);
    const stored = sessionDoc(await storedAfterRestartOf(sessionId));
    expect(stored.observations.get(key)?.authorId).toBe(clinic.b.id);
    expect(writerOf(stored.observations.doc!, OBSERVATIONS, key)).toBe(first.clientID);
  });

  it('case 3: deleting clocks that do not exist yet never deletes what A or the server writes later', async () => {
    const { sessionId, a, raw, refusals } = await liveNote();
    const serverDoc = () => server.collab.loaded(sessionId)!.doc;
    // A's first observation makes the server stamp it, under the server's own client id.
    const first = observation({ authorId: clinic.a.id });
    sessionDoc(a.doc).observations.set(first.id, first);
    await expect.poll(() => a.isSaved()).toBe(true);
    const serverClient = serverDoc().clientID;
    const aClock = Y.getState(a.doc.store, a.doc.clientID);
    const sClock = Y.getState(serverDoc().store, serverClient);
    raw.ws.send(updateFrame(deleteOnly([{ client: a.doc.clientID, clock: aClock, len: 500 }, { client: serverClient, clock: sClock, len: 500 }])));
    await roundTrip(raw);
    // Refused at once (since 2 Dec), not held until those clocks are written.
    expect(refusals()).toEqual(['deletes_unwritten']);

    const next = observation({ authorId: clinic.a.id });
    sessionDoc(a.doc).observations.set(next.id, next);
    await expect.poll(() => a.isSaved()).toBe(true);
    await post(clinic.a, sessionId, 'end');
    await expect.poll(() => server.collab.loaded(sessionId)?.session.status).toBe('ended');
    appendParagraph(a.doc, 'added after the end');
    await expect.poll(() => a.isSaved()).toBe(true);

    const stored = await storedAfterRestartOf(sessionId);
    const notes = sessionDoc(stored);
    expect(notes.observations.has(next.id)).toBe(true);
    expect(notes.stamps.size).toBeGreaterThanOrEqual(2);
    const late = Array.from(notes.lateEntries.values());
    expect(late.some((l) => l.client === a.doc.clientID && l.accountId === clinic.a.id)).toBe(true);
  });

  it('case 4: the server owns time — device times are never what review shows', async () => {
    const { sessionId, raw: during, state } = await liveNote();
    let raw = during;
    const b = craftFrom(state);
    const early = observation({ authorId: clinic.b.id, createdAt: 1 });
    const future = observation({ authorId: clinic.b.id, createdAt: Date.UTC(2100, 0, 1) });
    const before = Date.now();
    raw.ws.send(updateFrame(updateOf(b, () => {
      sessionDoc(b).observations.set(early.id, early);
      sessionDoc(b).observations.set(future.id, future);
    })));
    await roundTrip(raw);
    await post(clinic.a, sessionId, 'end');
    await expect.poll(() => server.collab.loaded(sessionId)?.session.status).toBe('ended');
    const session = (await clinic.a.api.get<{ startedAt: string }>(`/api/sessions/${sessionId}`)).body;
    // Ending the session closes every socket, so clients pick up the new status: B reconnects.
    raw = await openRaw(server.baseUrl, sessionId, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    const backdated = observation({ authorId: clinic.b.id, createdAt: Date.parse(session.startedAt) + 5 * 60_000 });
    raw.ws.send(updateFrame(updateOf(b, () => sessionDoc(b).observations.set(backdated.id, backdated))));
    await roundTrip(raw);
    const after = Date.now();

    await expect.poll(async () => (await clinic.a.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body.observations.length).toBe(3);
    const review = (await clinic.a.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body;
    for (const o of review.observations) {
      const at = Date.parse(o.createdAt);
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(after);
    }
    expect(review.observations.find((o) => o.id === backdated.id)).toMatchObject({ late: true });
    expect(review.observations.find((o) => o.id === early.id)).toMatchObject({ late: false });
  });

  it('case 5: node attributes, marks and presence are taken only in shapes every page renders', async () => {
    const { sessionId, a, raw, state, refusals } = await liveNote();
    for (const forge of [
      (d: Y.Doc) => (d.getXmlFragment(NOTE_FIELD).get(0) as Y.XmlElement).setAttribute('level', -5 as unknown as string),
      (d: Y.Doc) => {
        const h = new Y.XmlElement('heading');
        h.setAttribute('level', 99 as unknown as string);
        d.getXmlFragment(NOTE_FIELD).push([h]);
      },
      (d: Y.Doc) => d.getXmlFragment(NOTE_FIELD).push([new Y.XmlElement('script')]),
      (d: Y.Doc) => {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText('click')]);
        d.getXmlFragment(NOTE_FIELD).push([p]);
        (p.get(0) as Y.XmlText).format(0, 5, { link: { href: 'javascript:alert(1)', target: '_blank', rel: null, class: null, title: null } });
      },
      (d: Y.Doc) => d.getMap('somethingElse').set('x', 1),
      (d: Y.Doc) => d.getMap(LATE_ENTRIES).set('1:0', { accountId: clinic.a.id, at: 1, client: 1, clock: 0, len: 1 }),
      (d: Y.Doc) => d.getMap(STAMPS).set('observation:x', { at: 1, offsetMs: 0, late: false }),
    ]) {
      const b = craftFrom(state);
      raw.ws.send(updateFrame(updateOf(b, () => forge(b))));
    }
    await roundTrip(raw);
    expect(refusals()).toEqual(['invalid_content', 'invalid_content', 'invalid_content', 'invalid_content', 'invalid_content', 'server_only', 'server_only']);
    const exported = await clinic.a.api.request('GET', `/api/sessions/${sessionId}/export.md`);
    expect(exported.status).toBe(200);

    // Presence: a cursor of another shape is dropped; one socket announces at most a few ids.
    const peer = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    peer.provider.awareness.setLocalStateField('cursor', { anchor: 'x'.repeat(10), head: { evil: true } });
    await expect.poll(() => awarenessStatesOf(a).find((s) => s.user?.accountId === clinic.b.id)).toMatchObject({ cursor: null });
    for (let id = 1; id <= 10; id++) {
      const fake = new awarenessProtocol.Awareness(new Y.Doc());
      fake.clientID = 1000 + id;
      // A client id is taken from clock 1 on (y-protocols ignores clock 0 for an unknown id).
      fake.setLocalState({ cursor: null });
      fake.setLocalState({ cursor: null });
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MessageType.Awareness);
      encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(fake, [fake.clientID]));
      raw.ws.send(encoding.toUint8Array(e));
    }
    await roundTrip(raw);
    await expect.poll(() => Array.from(a.provider.awareness.getStates().keys()).filter((id) => id > 1000 && id <= 1010).length).toBe(4);
  });

  it('case 6: an upgrade that read the session before the last signature cannot write into the signed note', async () => {
    const { sessionId } = await liveNote();
    await post(clinic.a, sessionId, 'end');
    await post(clinic.a, sessionId, 'sign');
    // B's upgrade reads the session (not yet locked), then waits on a slow membership lookup.
    let release = () => {};
    const started = new Promise<void>((resolve) => {
      gate.held = { started: resolve, release: new Promise<void>((r) => (release = r)) };
    });
    const opening = openRaw(server.baseUrl, sessionId, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    await started;
    expect((await clinic.b.api.post<{ locked: boolean }>(`/api/sessions/${sessionId}/sign`, {})).body.locked).toBe(true);
    release();
    const late = await opening;
    const state = await roundTrip(late);
    const b = craftFrom(state);
    late.ws.send(updateFrame(updateOf(b, () => appendParagraph(b, 'CHANGED AFTER SIGNING'))));
    // The update may wait for the note's build from storage (WriteGate) past a round trip: poll.
    await expect.poll(() => late.notices.filter((n) => n.type === 'refused')).toMatchObject([{ code: 'session_locked' }]);
    expect((await clinic.a.api.get<{ matches: boolean }>(`/api/sessions/${sessionId}/verify`)).body.matches).toBe(true);
    expect(readState(await roundTrip(late)).doc.getXmlFragment(NOTE_FIELD).toString()).not.toContain('CHANGED AFTER SIGNING');
  });
});
