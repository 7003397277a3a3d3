import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ReviewView } from '../../shared/domain/review';
import { canonicalNote } from '../../shared/note/noteCanonical';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { ApiClient, createSession, type Clinic } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { answerFlag, tagSpan } from '../helpers/noteOps';
import { openRaw, updateFrame } from '../helpers/rawSocket';
import { noteOnServerProcess, reviewAfterKill } from '../helpers/scenario';
import { startClinic } from '../helpers/clinic';

const post = (api: ApiClient, sessionId: string, step: string, body: unknown = {}) => api.post<{ error?: { code: string } }>(`/api/sessions/${sessionId}/${step}`, body);

describe('session lifecycle', async () => {
  const ctx = await startClinic();
  const { clinic } = ctx;
  const [a, b, supervisor, outsider] = [clinic.a.api, clinic.b.api, clinic.supervisor.api, clinic.outsider.api];

  it('moves scheduled → live → ended → signed → reviewed, refusing every out-of-order step', async () => {
    const id = await createSession(clinic);
    const refused = async (api: ApiClient, step: string, status: number, code?: string) => {
      const res = await post(api, id, step, step === 'return' ? { reason: 'needs more' } : {});
      expect(res.status, `${step}`).toBe(status);
      if (code) expect(res.body.error?.code).toBe(code);
    };
    // scheduled
    await refused(a, 'end', 409, 'wrong_state');
    await refused(a, 'sign', 409, 'wrong_state');
    await refused(supervisor, 'cosign', 409, 'wrong_state');
    await refused(supervisor, 'start', 403);
    await refused(outsider, 'start', 403);
    expect((await post(a, id, 'start')).status).toBe(200);
    // live
    await refused(b, 'start', 409, 'wrong_state');
    await refused(a, 'sign', 409, 'wrong_state');
    expect((await a.post(`/api/sessions/${id}/addenda`, { text: 'too early' })).status).toBe(409);
    expect((await post(b, id, 'end')).status).toBe(200);
    // ended: each therapist signs; the note locks only when both have
    await refused(supervisor, 'cosign', 409, 'wrong_state');
    await refused(supervisor, 'sign', 403);
    const first = await a.post<{ locked: boolean; waitingFor: string[] }>(`/api/sessions/${id}/sign`, {});
    expect(first.body).toMatchObject({ locked: false, waitingFor: [clinic.b.id] });
    await refused(a, 'sign', 409, 'already_signed');
    const second = await b.post<{ locked: boolean; digest: string }>(`/api/sessions/${id}/sign`, {});
    expect(second.body.locked).toBe(true);
    // signed
    await refused(a, 'end', 409, 'wrong_state');
    await refused(a, 'cosign', 403);
    expect((await a.post(`/api/sessions/${id}/addenda`, { text: 'Addendum: M2 called the clinic the next day.' })).status).toBe(201);
    expect((await supervisor.post(`/api/sessions/${id}/addenda`, { text: 'no' })).status).toBe(403);
    const verify = await a.get<{ matches: boolean; signedDigest: string }>(`/api/sessions/${id}/verify`);
    expect(verify.body).toMatchObject({ matches: true, signedDigest: second.body.digest });
    expect((await post(supervisor, id, 'cosign')).status).toBe(200);
    // reviewed
    await refused(supervisor, 'cosign', 409, 'wrong_state');
    await refused(supervisor, 'return', 409, 'wrong_state');
    const session = await a.get<{ status: string }>(`/api/sessions/${id}`);
    expect(session.body.status).toBe('reviewed');
  });

  // An answer lost on the network, then "Add addendum" pressed again, added the addendum twice
  // (left open by the double-submit fix of 3 Dec), and addenda are never removed. The page sends
  // one request id per draft.
  // Attack (4 Dec): A signed and waited for B; B was removed; A's Sign was then refused as
  // already signed, and nothing else could lock the note.
  it('locks the note when the one who signed signs again after the therapist they waited for was removed', async () => {
    const id = await createSession(clinic);
    for (const step of ['start', 'end']) expect((await post(a, id, step)).status).toBe(200);
    const first = await a.post<{ locked: boolean; waitingFor: string[] }>(`/api/sessions/${id}/sign`, {});
    expect(first.body).toMatchObject({ locked: false, waitingFor: [clinic.b.id] });
    expect((await a.delete(`/api/sessions/${id}/members/${clinic.b.id}`)).status).toBe(204);
    const again = await a.post<{ locked: boolean; waitingFor: string[] }>(`/api/sessions/${id}/sign`, {});
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ locked: true, waitingFor: [] });
    const review = (await a.get<ReviewView>(`/api/sessions/${id}/review`)).body;
    // The signature given stands: not a second one.
    expect(review.signatures.map((s) => [s.kind, s.by])).toEqual([['signed', clinic.a.id]]);
    expect((await a.get<{ status: string }>(`/api/sessions/${id}`)).body.status).toBe('signed');
  });

  it('adds an addendum once however often its request is sent, and refuses the request id for other words', async () => {
    const id = await createSession(clinic);
    for (const [api, step] of [[a, 'start'], [a, 'end'], [a, 'sign'], [b, 'sign']] as const) expect((await post(api, id, step)).status, step).toBe(200);
    const requestId = '0b0e3c52-7d55-4c0e-9d0a-6a0f3c1b2e11';
    const send = (api: ApiClient, text: string) => api.post<{ id: string; at: string; error?: { code: string } }>(`/api/sessions/${id}/addenda`, { text, requestId });
    const first = await send(a, 'M2 called the clinic the next day.');
    expect(first.status).toBe(201);
    const again = await Promise.all([send(a, 'M2 called the clinic the next day.'), send(a, 'M2 called the clinic the next day.')]);
    expect(again.map((r) => [r.status, r.body.id, r.body.at])).toEqual([[200, first.body.id, first.body.at], [200, first.body.id, first.body.at]]);
    const reused = await send(a, 'Other words under the same request.');
    expect([reused.status, reused.body.error?.code]).toEqual([409, 'addendum_request_reused']);
    // The same request id from the co-therapist is her own request.
    expect((await send(b, 'M2 called the clinic the next day.')).status).toBe(201);
    // Two requests of one author sent at once, each new, are two addenda.
    const both = await Promise.all(['First call noted.', 'Second call noted.'].map((text) => a.post(`/api/sessions/${id}/addenda`, { text, requestId: crypto.randomUUID() })));
    expect(both.map((r) => r.status)).toEqual([201, 201]);
    const stored = await ctx.server.store.addenda.list(id);
    expect(stored.map((x) => [x.authorId, x.body]).sort()).toEqual([
      [clinic.a.id, 'First call noted.'], [clinic.a.id, 'M2 called the clinic the next day.'], [clinic.a.id, 'Second call noted.'], [clinic.b.id, 'M2 called the clinic the next day.'],
    ].sort());
    expect((await a.post(`/api/sessions/${id}/addenda`, { text: 'x', requestId: 'not-a-uuid' })).status).toBe(400);
  });

  // attack3, 1 Dec: with two processes, a co-therapist's page was shown text the stored record did
  // not hold, and its therapist signed the record. A page sends the digest of what it shows.
  it('signs only the note the signer’s page shows: a digest of another copy is refused and changes nothing', async () => {
    const { server } = ctx;
    const id = await createSession(clinic);
    expect((await post(a, id, 'start')).status).toBe(200);
    const page = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    await expect.poll(() => page.provider.synced).toBe(true);
    appendParagraph(page.doc, 'Risk: client denies any suicidal ideation.');
    await expect.poll(() => page.isSaved()).toBe(true);
    expect((await post(a, id, 'end')).status).toBe(200);
    const digestOf = (doc: Y.Doc) => createHash('sha256').update(canonicalNote(doc)).digest('hex');

    // What another page might show: the same note with other words in it.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(page.doc));
    appendParagraph(other, 'Risk: client reports a plan.');
    const refused = await post(a, id, 'sign', { digest: digestOf(other) });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('note_differs');
    expect((await supervisor.get<ReviewView>(`/api/sessions/${id}/review`)).body.signatures).toEqual([]);
    expect((await post(a, id, 'sign', { digest: 'not-a-digest' })).status).toBe(400);

    const signed = await a.post<{ digest: string; locked: boolean }>(`/api/sessions/${id}/sign`, { digest: digestOf(page.doc) });
    expect(signed.status).toBe(200);
    expect(signed.body.digest).toBe(digestOf(page.doc));
    page.destroy();
  });

  it('lets the supervisor return a signed note for revision, with the reason kept, and the therapists sign again', async () => {
    const id = await createSession(clinic);
    await post(a, id, 'start');
    await post(a, id, 'end');
    await post(a, id, 'sign');
    await post(b, id, 'sign');
    expect((await supervisor.post(`/api/sessions/${id}/return`, {})).status).toBe(400);
    expect((await post(supervisor, id, 'return', { reason: 'Please document the risk assessment.' })).status).toBe(200);
    const review = (await supervisor.get<ReviewView>(`/api/sessions/${id}/review`)).body;
    expect(review.status).toBe('ended');
    expect(review.returns[0]).toMatchObject({ by: clinic.supervisor.id, reason: 'Please document the risk assessment.' });
    // Signatures before the return no longer count: both sign again.
    expect((await a.post<{ locked: boolean }>(`/api/sessions/${id}/sign`, {})).body.locked).toBe(false);
    expect((await b.post<{ locked: boolean }>(`/api/sessions/${id}/sign`, {})).body.locked).toBe(true);
  });
});

describe('a signed note is locked against everyone', () => {
  it('refuses crafted updates from both therapists over raw sockets, also after a restart', async () => {
    const { dataDir, server: first, clinic, sessionId: id, a: writer } = await noteOnServerProcess();
    appendParagraph(writer.doc, 'the signed text');
    await expect.poll(() => writer.isSaved()).toBe(true);
    for (const step of ['start', 'end']) expect((await post(clinic.a.api, id, step)).status).toBe(200);
    await post(clinic.a.api, id, 'sign');
    expect((await clinic.b.api.post<{ locked: boolean }>(`/api/sessions/${id}/sign`, {})).body.locked).toBe(true);

    for (const therapist of [clinic.a, clinic.b]) {
      const raw = await openRaw(first.baseUrl, id, { cookie: therapist.api.cookie!, origin: first.baseUrl });
      await expect.poll(() => raw.notices.find((n) => n.type === 'access')).toMatchObject({ canWrite: false });
      const forged = new Y.Doc();
      appendParagraph(forged, `CHANGED AFTER SIGNING BY ${therapist.name}`);
      raw.ws.send(updateFrame(Y.encodeStateAsUpdate(forged)));
      await expect.poll(() => raw.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'session_locked' });
    }
    const { text, api } = await reviewAfterKill(first, dataDir, id, clinic.a);
    expect(text).toContain('the signed text');
    expect(text).not.toContain('CHANGED AFTER SIGNING');
    expect((await api.get<{ matches: boolean }>(`/api/sessions/${id}/verify`)).body.matches).toBe(true);
  });
});

describe('review', async () => {
  const { server, clinic } = await startClinic();

  async function scriptedSession(c: Clinic) {
    const id = await createSession(c);
    await c.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1', 'M2'] });
    await post(c.a.api, id, 'start');
    const a = connectClient(server.baseUrl, id, c.a.api.cookie);
    const b = connectClient(server.baseUrl, id, c.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    return { id, a, b };
  }

  it('colours each run by the therapist who typed it', async () => {
    const { id, a, b } = await scriptedSession(clinic);
    appendParagraph(a.doc, 'Alex typed this line');
    await expect.poll(() => b.text()).toContain('Alex typed this line');
    appendParagraph(b.doc, 'Blair typed that line');
    await expect.poll(() => a.isSaved() && b.isSaved() && a.text().includes('Blair typed')).toBe(true);
    const review = (await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${id}/review`)).body;
    const runs = review.blocks.flatMap((bl) => bl.runs);
    expect(runs.find((r) => r.text === 'Alex typed this line')?.authorId).toBe(clinic.a.id);
    expect(runs.find((r) => r.text === 'Blair typed that line')?.authorId).toBe(clinic.b.id);
    expect(runs.find((r) => r.text === 'Attendance')?.authorId).toBeNull();
    const colors = new Map(review.authors.map((p) => [p.accountId, p.color]));
    expect(colors.get(clinic.a.id)).not.toBe(colors.get(clinic.b.id));
  });

  it('replays the exact text and risk records that stood at chosen moments', async () => {
    const { id, a } = await scriptedSession(clinic);
    const moments: { at: number; text: string; plan: string | null }[] = [];
    for (const [i, line] of ['first thought', 'second thought', 'third thought'].entries()) {
      appendParagraph(a.doc, line);
      // A risk record from the second moment on, its plan changed at the third.
      if (i > 0) sessionDoc(a.doc).risk.set('M1', { assessment: 'Passive ideation', plan: `plan ${i}`, by: clinic.a.id, at: Date.now() });
      await expect.poll(() => a.isSaved()).toBe(true);
      const at = Date.now();
      moments.push({ at, text: a.text(), plan: i > 0 ? `plan ${i}` : null });
      // Let the clock move on so the next edit is stamped strictly later.
      await expect.poll(() => Date.now() > at + 5).toBe(true);
    }
    for (const m of moments) {
      const replay = await clinic.supervisor.api.get<{ blocks: ReviewView['blocks']; risk: ReviewView['risk'] }>(`/api/sessions/${id}/replay?at=${m.at}`);
      expect(replay.status).toBe(200);
      const text = replay.body.blocks.map((bl) => bl.runs.map((r) => r.text).join('')).join('\n');
      expect(text).toBe(m.text);
      expect(replay.body.risk.map((r) => r.plan)).toEqual(m.plan === null ? [] : [m.plan]);
    }
  });

  it('enforces comment permissions and refuses anchors that no longer exist', async () => {
    const { id, a } = await scriptedSession(clinic);
    appendParagraph(a.doc, 'a passage to discuss');
    await expect.poll(() => a.isSaved()).toBe(true);
    const review = (await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${id}/review`)).body;
    const run = review.blocks.flatMap((bl) => bl.runs).find((r) => r.text === 'a passage to discuss')!;
    const anchor = { type: 'passage', start: { client: run.client, clock: run.clock }, end: { client: run.client, clock: run.clock + 8 }, quote: 'a passage' };
    const created = await clinic.supervisor.api.post<{ id: string }>(`/api/sessions/${id}/comments`, { anchor, body: 'Say more about this.' });
    expect(created.status).toBe(201);
    const commentId = created.body.id;
    expect((await clinic.a.api.post(`/api/sessions/${id}/comments`, { anchor, body: 'therapists reply, not start' })).status).toBe(403);
    expect((await clinic.a.api.post(`/api/sessions/${id}/comments`, { parentId: commentId, body: 'M2 was withdrawn all evening.' })).status).toBe(201);
    expect((await clinic.outsider.api.post(`/api/sessions/${id}/comments`, { parentId: commentId, body: 'x' })).status).toBe(403);
    expect((await clinic.a.api.patch(`/api/sessions/${id}/comments/${commentId}`, { body: 'edited by someone else' })).status).toBe(403);
    expect((await clinic.a.api.delete(`/api/sessions/${id}/comments/${commentId}`)).status).toBe(403);
    expect((await clinic.supervisor.api.patch(`/api/sessions/${id}/comments/${commentId}`, { body: 'Say more, please.' })).status).toBe(200);
    const gone = { ...anchor, start: { client: 12345, clock: 999 } };
    const refused = await clinic.supervisor.api.post<{ error: { code: string } }>(`/api/sessions/${id}/comments`, { anchor: gone, body: 'x' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('anchor_gone');
    expect((await clinic.supervisor.api.delete(`/api/sessions/${id}/comments/${commentId}`)).status).toBe(204);
  });

  it('exports the note, observations with authors and offsets, signatures, addenda and comments', async () => {
    const { id, a, b } = await scriptedSession(clinic);
    appendParagraph(a.doc, 'M1 spoke about work');
    const obs = tagSpan(a.doc, 'spoke about work', { authorId: clinic.a.id, tags: ['affect'], member: 'M1', forCoTherapist: true });
    await expect.poll(() => b.doc.getMap('observations').has(obs.id)).toBe(true);
    answerFlag(b.doc, obs.id, { by: clinic.b.id, at: Date.now(), answer: 'disputed', note: 'I saw it' });
    await expect.poll(() => a.isSaved() && b.isSaved()).toBe(true);
    for (const [api, step] of [[clinic.a.api, 'end'], [clinic.a.api, 'sign'], [clinic.b.api, 'sign']] as const) expect((await post(api, id, step)).status).toBe(200);
    await clinic.b.api.post(`/api/sessions/${id}/addenda`, { text: 'Phoned M1 on Thursday.' });
    const review = (await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${id}/review`)).body;
    await clinic.supervisor.api.post(`/api/sessions/${id}/comments`, { anchor: { type: 'observation', observationId: obs.id }, body: 'Good catch.' });
    const res = await clinic.supervisor.api.get<string>(`/api/sessions/${id}/export.md`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/markdown');
    const md = res.body;
    expect(md).toContain('# Tuesday group');
    expect(md).toContain('M1 spoke about work');
    expect(md).toMatch(/\[\^o1\]: \*\*Affect\*\* — <kbd>Alex Therapist, \d\d:\d\d after the start<\/kbd>, about M1, flagged for the co-therapist; <kbd>answered “I saw it” by Blair Therapist/);
    expect(md).toContain(`Signed by Alex Therapist`);
    expect(md).toContain(review.signatures[0]!.digest!);
    expect(md).toContain('Phoned M1 on Thursday.');
    expect(md).toContain('Good catch.');
    const audit = (await clinic.admin.api.get<{ action: string; sessionId: string }[]>(`/api/audit?sessionId=${id}`)).body;
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['export', 'session_signed', 'addendum_added', 'comment_added']));
  });
});
