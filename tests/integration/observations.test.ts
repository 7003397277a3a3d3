import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Observation } from '../../shared/domain/observation';
import type { ReviewView } from '../../shared/domain/review';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { answerFlag, findText, tagSpan } from '../helpers/noteOps';
import { openRaw, updateFrame } from '../helpers/rawSocket';
import { noteOnServerProcess, reviewAfterKill } from '../helpers/scenario';
import { startClinic } from '../helpers/clinic';

describe('observations and flags between co-therapists', async () => {
  const { server, clinic } = await startClinic();

  async function liveSession() {
    const sessionId = await createSession(clinic);
    expect((await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/group-members`, { labels: ['M1', 'M2', 'JD'] })).status).toBe(200);
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/start`)).status).toBe(200);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    return { sessionId, a, b };
  }

  it('carries an observation from A to B with A as the attested author and a session-clock offset', async () => {
    const { sessionId, a, b } = await liveSession();
    appendParagraph(a.doc, 'M2 went quiet when her father came up');
    const obs = tagSpan(a.doc, 'went quiet', { authorId: clinic.a.id, tags: ['affect', 'nonverbal'], member: 'M2', forCoTherapist: true });
    await expect.poll(() => sessionDoc(b.doc).observations.get(obs.id)?.authorId).toBe(clinic.a.id);
    await expect.poll(() => a.isSaved()).toBe(true);
    const review = (await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body;
    const seen = review.observations.find((o) => o.id === obs.id)!;
    expect(seen).toMatchObject({ authorId: clinic.a.id, authorName: clinic.a.name, member: 'M2', forCoTherapist: true, quote: 'went quiet', response: null });
    expect(seen.offset).toMatch(/^\d\d:\d\d$/);
    expect(seen.tags.map((t) => t.name)).toEqual(['Affect', 'Nonverbal']);
  });

  it('lets B acknowledge a flag, attested to B, and refuses answers by anyone else', async () => {
    const { sessionId, a, b } = await liveSession();
    appendParagraph(a.doc, 'JD looked at the door twice');
    const obs = tagSpan(a.doc, 'looked at the door', { authorId: clinic.a.id, tags: ['nonverbal'], member: 'JD', forCoTherapist: true });
    await expect.poll(() => sessionDoc(b.doc).observations.has(obs.id)).toBe(true);

    // A cannot answer their own flag, and nobody can answer in someone else's name.
    answerFlag(a.doc, obs.id, { by: clinic.a.id, at: Date.now(), answer: 'acknowledged', note: null });
    await expect.poll(() => a.notices.some((n) => n.type === 'refused' && n.code === 'own_flag')).toBe(true);
    answerFlag(b.doc, obs.id, { by: clinic.a.id, at: Date.now(), answer: 'acknowledged', note: null });
    await expect.poll(() => b.notices.some((n) => n.type === 'refused' && n.code === 'wrong_author')).toBe(true);

    const b2 = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b2.provider.synced).toBe(true);
    answerFlag(b2.doc, obs.id, { by: clinic.b.id, at: Date.now(), answer: 'acknowledged', note: 'I missed that' });
    await expect.poll(() => b2.isSaved()).toBe(true);
    const review = (await clinic.a.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body;
    expect(review.observations.find((o) => o.id === obs.id)?.response).toMatchObject({ by: clinic.b.id, byName: clinic.b.name, answer: 'acknowledged', note: 'I missed that' });
    const summaryA = review.whoCaughtWhat.find((s) => s.accountId === clinic.a.id)!;
    expect(summaryA).toMatchObject({ made: 1, flaggedForOther: 1, acknowledgedByOther: 1 });
    expect(review.whoCaughtWhat.find((s) => s.accountId === clinic.b.id)).toMatchObject({ made: 0, acknowledgedOwnMiss: 1 });
  });

  it('refuses an observation with an unknown tag, a member not in the session, or another author', async () => {
    const { sessionId } = await liveSession();
    // A refused write leaves the sender's copy ahead of the note (the app then offers a reload),
    // so each case starts from a fresh copy, as after that reload.
    const cases: [Partial<Observation>, string][] = [
      [{ tags: ['astrology'] }, 'unknown_tag'],
      [{ tags: ['affect'], member: 'ZZ' }, 'unknown_member'],
      [{ tags: ['affect'], authorId: clinic.b.id }, 'wrong_author'],
    ];
    for (const [record, code] of cases) {
      const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
      await expect.poll(() => a.provider.synced).toBe(true);
      appendParagraph(a.doc, `text to tag for ${code}`);
      tagSpan(a.doc, code, { authorId: clinic.a.id, tags: [], ...record });
      await expect.poll(() => a.notices.filter((n) => n.type === 'refused').map((n) => (n as { code: string }).code)).toEqual([code]);
      // Later edits from that copy are refused at once with a reason, not parked unseen.
      appendParagraph(a.doc, 'written after the refusal');
      await expect.poll(() => a.notices.filter((n) => n.type === 'refused').map((n) => (n as { code: string }).code)).toEqual([code, 'missing_parts']);
      a.provider.destroy();
    }
  });

  it('takes an observation with a tag the admin retired since the page loaded the codebook, and every edit after it', async () => {
    const { a, b } = await liveSession();
    const created = await clinic.admin.api.post<{ id: string }>('/api/tags', { name: 'Somatic', color: '#2f7d6d', description: 'Body sensations' });
    expect(created.status).toBe(201);
    expect((await clinic.admin.api.patch(`/api/tags/${created.body.id}`, { retired: true })).status).toBe(200);
    appendParagraph(a.doc, 'M1 rubbed her chest while talking');
    const obs = tagSpan(a.doc, 'rubbed her chest', { authorId: clinic.a.id, tags: [created.body.id] });
    appendParagraph(a.doc, 'written after the tag');
    await expect.poll(() => a.isSaved()).toBe(true);
    expect(a.notices.filter((n) => n.type === 'refused')).toEqual([]);
    await expect.poll(() => sessionDoc(b.doc).observations.get(obs.id)?.tags).toEqual([created.body.id]);
    await expect.poll(() => b.text()).toContain('written after the tag');
  });

  it('keeps the tag on the surviving text when both therapists edit inside and around the span at once', async () => {
    const { a, b } = await liveSession();
    appendParagraph(a.doc, 'before the tagged words after');
    const obs = tagSpan(a.doc, 'tagged words', { authorId: clinic.a.id, tags: ['affect'] });
    await expect.poll(() => sessionDoc(b.doc).observations.has(obs.id)).toBe(true);
    a.provider.disconnect();
    b.provider.disconnect();
    const inA = findText(a.doc, 'tagged words');
    inA.text.insert(inA.index + 'tagged'.length, ' (sighing)');
    inA.text.insert(0, 'Right ');
    const inB = findText(b.doc, 'tagged words');
    inB.text.delete(inB.index, 'tagged '.length);
    inB.text.insert(inB.text.length, ' — end');
    a.provider.connect();
    b.provider.connect();
    await expect.poll(() => a.text() === b.text() && a.text().includes('Right')).toBe(true);
    expect(a.text()).toContain('Right before the  (sighing)words after — end');
    const delta = findText(a.doc, 'words').text.toDelta() as { insert: string; attributes?: Record<string, { id: string }> }[];
    const tagged = delta.filter((d) => d.attributes?.observation?.id === obs.id).map((d) => d.insert).join('');
    expect(tagged).toBe(' (sighing)words');
  });

  it('labels what is written after the session ended as a late entry', async () => {
    const { sessionId, a } = await liveSession();
    appendParagraph(a.doc, 'written during the session');
    await expect.poll(() => a.isSaved()).toBe(true);
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/end`)).status).toBe(200);
    // Ending reconnects every client so all processes see the new status.
    await expect.poll(() => a.provider.synced).toBe(true);
    const late = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => late.provider.synced).toBe(true);
    appendParagraph(late.doc, 'remembered afterwards');
    await expect.poll(() => late.isSaved()).toBe(true);
    const review = (await clinic.a.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body;
    const runs = review.blocks.flatMap((b) => b.runs);
    expect(runs.find((r) => r.text.includes('remembered afterwards'))?.lateAt).not.toBeNull();
    expect(runs.find((r) => r.text.includes('written during the session'))?.lateAt).toBeNull();
    const md = await clinic.a.api.get<string>(`/api/sessions/${sessionId}/export.md`);
    expect(md.body).toContain(`remembered afterwards <kbd>late entry by ${clinic.a.name}, `);
  });
});

describe('attested authorship', () => {
  it('refuses an update that writes under another account’s client id, also after a restart', async () => {
    const { dataDir, server: first, clinic, sessionId, a } = await noteOnServerProcess();
    appendParagraph(a.doc, 'A wrote this');
    await expect.poll(() => a.isSaved()).toBe(true);

    // B crafts an update under A's client id, continuing A's clock.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(a.doc));
    // Set after loading A's state: Yjs would otherwise pick a new id on seeing its own id arrive.
    forged.clientID = a.doc.clientID;
    const before = Y.encodeStateVector(forged);
    appendParagraph(forged, 'B PRETENDING TO BE A');
    const raw = await openRaw(first.baseUrl, sessionId, { cookie: clinic.b.api.cookie!, origin: first.baseUrl });
    raw.ws.send(updateFrame(Y.encodeStateAsUpdate(forged, before)));
    await expect.poll(() => raw.notices.find((n) => n.type === 'refused'), { timeout: 2000 }).toMatchObject({ code: 'client_id_taken' });

    const { review } = await reviewAfterKill(first, dataDir, sessionId, clinic.b);
    const runs = review.blocks.flatMap((bl) => bl.runs);
    expect(runs.some((r) => r.text.includes('PRETENDING'))).toBe(false);
    expect(runs.find((r) => r.text.includes('A wrote this'))?.authorId).toBe(clinic.a.id);
  });
});
