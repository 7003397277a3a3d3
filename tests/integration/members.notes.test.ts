import { extractText } from 'unpdf';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ReviewView } from '../../shared/domain/review';
import type { NoticesView } from '../../shared/domain/supervisor';
import type { RiskGap } from '../../shared/domain/risk';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { createSession, expectStatus, type Person } from '../helpers/api';
import { connectClient } from '../helpers/connectClient';
import { readState, roundTrip } from '../helpers/craft';
import { appendList, appendPieces, findText, tagLine, tagSpan } from '../helpers/noteOps';
import { pdfFacts } from '../helpers/pdfFacts';
import { openRaw, updateFrame } from '../helpers/rawSocket';
import { startClinic } from '../helpers/clinic';

const MEMBERS = ['M1', 'M2', 'M3', 'M4'];

interface Entry { member: string; attendance: string; recorded: boolean; noteSessionId: string | null; status: string | null }

describe('individual member notes derived from a group note', async () => {
  const { server, clinic } = await startClinic();

  const download = async (person: Person, path: string) => {
    const res = await fetch(server.baseUrl + path, { headers: { cookie: person.api.cookie! } });
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
  };
  const colours = async (sessionId: string) =>
    Object.fromEntries((await expectStatus(clinic.a.api.get<{ members: { userId: string; color: string }[] }>(`/api/sessions/${sessionId}`), 200, 'session')).members.map((m) => [m.userId, m.color]));
  const labelOf = (other: string) => new RegExp(`(?<![A-Za-z0-9])${other}(?![A-Za-z0-9])`);

  /** A live group of four, M4 absent; A and B write about the members; M2 is tagged risk/safety by A. */
  async function groupSession() {
    // A title that names a member: no other member's note may carry it.
    const { id } = await expectStatus(clinic.a.api.post<{ id: string }>('/api/sessions', { title: 'Tuesday group, M4 on leave', kind: 'group' }), 201, 'create');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: clinic.b.id, role: 'therapist' }), 201, 'add B');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: clinic.supervisor.id, role: 'supervisor' }), 201, 'add supervisor');
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: MEMBERS }), 200, 'labels');
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/attendance`, { attendance: { M4: 'absent', M3: 'late' } }), 200, 'attendance');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    const a = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    const b = connectClient(server.baseUrl, id, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    appendPieces(a.doc, ['Theme: trust and returning after a break.']);
    appendList(a.doc, [[{ member: 'M1' }, ' opened the round'], [{ member: 'M2' }, ' said she had a hard week; ', { member: 'M1' }, ' reassured her']]);
    appendPieces(b.doc, [{ member: 'M3' }, ' arrived late and sat by the door']);
    // A tagged line about one member, naming another (walk, 4 Dec: it stood in the other's chart).
    appendPieces(b.doc, [{ member: 'M2' }, ' spoke about her father; ', { member: 'M1' }, ' looked away']);
    tagSpan(b.doc, 'looked away', { authorId: clinic.b.id, tags: ['nonverbal'], member: 'M1' });
    tagLine(b.doc, 'Nonverbal · M3', ' avoided eye contact while M2 spoke', { authorId: clinic.b.id, tags: ['nonverbal'], member: 'M3' });
    appendPieces(a.doc, ['Mentioned not wanting to be here']);
    const risk = tagSpan(a.doc, 'not wanting to be here', { authorId: clinic.a.id, tags: ['risk-safety'], member: 'M2' });
    await expect.poll(() => a.isSaved() && b.isSaved() && b.text().includes('not wanting')).toBe(true);
    a.destroy();
    b.destroy();
    return { id, risk };
  }

  it('derives a note for each present member at the end, none for the absent one, each free of other members', async () => {
    const { id } = await groupSession();
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    const { members } = await expectStatus(clinic.a.api.get<{ members: Entry[] }>(`/api/sessions/${id}/member-notes`), 200, 'list');
    expect(members.map((m) => [m.member, m.attendance, m.noteSessionId !== null])).toEqual([['M1', 'present', true], ['M2', 'present', true], ['M3', 'late', true], ['M4', 'absent', false]]);
    // Each waits for both therapists' signatures, and their inboxes say so (walk, 4 Dec: only a count on the home page).
    for (const therapist of [clinic.a, clinic.b]) {
      const { notices } = (await therapist.api.get<NoticesView>('/api/notices')).body;
      const waiting = notices.filter((n) => n.kind === 'signature_waiting' && members.some((m) => m.noteSessionId === n.sessionId));
      expect(waiting.map((n) => n.text).sort(), therapist.name).toEqual(
        ['M1', 'M2', 'M3'].map((m) => `“Tuesday group, another member on leave — ${m}” was made from its group note and waits for your signature.`),
      );
    }

    // Bad input: an absent member has no note; a label that is not in the group is not found; attendance names members only.
    expect((await clinic.a.api.get(`/api/sessions/${id}/member-notes/M4`)).body).toMatchObject({ error: { code: 'member_absent', field: 'member' } });
    expect((await clinic.a.api.get(`/api/sessions/${id}/member-notes/M4`)).status).toBe(409);
    expect((await clinic.a.api.get(`/api/sessions/${id}/member-notes/ZZ`)).status).toBe(404);
    expect((await clinic.a.api.request('PUT', `/api/sessions/${id}/attendance`, { attendance: { ZZ: 'absent' } })).status).toBe(400);
    expect((await clinic.a.api.request('PUT', `/api/sessions/${id}/attendance`, { attendance: { M1: 'absent' } })).body).toMatchObject({ error: { code: 'member_note_exists' } });
    expect((await clinic.outsider.api.get(`/api/sessions/${id}/member-notes`)).status).toBe(403);
    // Deriving again makes nothing new.
    expect((await clinic.b.api.post<{ created: number }>(`/api/sessions/${id}/member-notes`)).body.created).toBe(0);

    for (const entry of members.filter((m) => m.noteSessionId)) {
      const noteId = (await expectStatus(clinic.supervisor.api.get<Entry>(`/api/sessions/${id}/member-notes/${entry.member}`), 200, 'one')).noteSessionId!;
      expect(noteId).toBe(entry.noteSessionId);
      expect((await clinic.a.api.get<{ groupSessionId: string }>(`/api/sessions/${noteId}/member-notes`)).body.groupSessionId).toBe(id);
      const others = MEMBERS.filter((m) => m !== entry.member);
      // Its live Yjs document, as a therapist's client receives it.
      const c = connectClient(server.baseUrl, noteId, clinic.b.api.cookie);
      await expect.poll(() => c.provider.synced).toBe(true);
      const title = (await clinic.a.api.get<{ title: string }>(`/api/sessions/${noteId}`)).body.title;
      // Each person keeps the colour the group note gave them (walk, 1 Dec: the two therapists' colours swapped).
      expect(await colours(noteId), `${entry.member}'s note colours`).toEqual(await colours(id));
      expect(title).toBe(`Tuesday group, another member on leave — ${entry.member}`);
      const docText = title + JSON.stringify(c.doc.getXmlFragment('note').toJSON()) + JSON.stringify(sessionDoc(c.doc).risk.toJSON());
      expect(docText).toContain(entry.member);
      for (const other of others) expect(docText, `${entry.member}'s document`).not.toMatch(labelOf(other));
      c.destroy();
      const md = (await download(clinic.a, `/api/sessions/${noteId}/export.md`)).body.toString('utf8');
      const review = JSON.stringify((await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${noteId}/review`)).body);
      for (const other of others) {
        expect(md, `${entry.member}'s Markdown`).not.toMatch(labelOf(other));
        expect(review, `${entry.member}'s record (what the PDF is laid out from)`).not.toMatch(labelOf(other));
      }
      expect(md).toContain('Theme: trust and returning after a break.');
      // Its times are the group session's (walk, 4 Dec: "Started: not started, Ended: not ended").
      const group = (await clinic.a.api.get<{ startedAt: string; endedAt: string }>(`/api/sessions/${id}`)).body;
      expect((await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${noteId}/review`)).body.groupTimes).toEqual({ startedAt: group.startedAt, endedAt: group.endedAt });
      expect(md).toMatch(/Started: .+ \(the group session\)/);
      expect(md).toMatch(/Ended: .+ \(the group session\)/);
      const pdf = await download(clinic.a, `/api/sessions/${noteId}/export.pdf`);
      expect(pdf.status).toBe(200);
      expect(pdfFacts(pdf.body).isPdf).toBe(true);
      // The PDF's text as a reader (or a search) gets it out of the file.
      const { text } = await extractText(new Uint8Array(pdf.body), { mergePages: true });
      expect(text).toContain(`@${entry.member}`);
      expect(text).toContain('Theme: trust and returning after a break.');
      for (const other of others) expect(text, `${entry.member}'s PDF`).not.toMatch(labelOf(other));
    }
    // The control: the group note's PDF names every member, so the search above would find them.
    const groupPdf = (await extractText(new Uint8Array((await download(clinic.a, `/api/sessions/${id}/export.pdf`)).body), { mergePages: true })).text;
    for (const label of ['M1', 'M2', 'M3']) expect(groupPdf).toMatch(labelOf(label));
    const m2 = (await download(clinic.a, `/api/sessions/${members[1]!.noteSessionId}/export.md`)).body.toString('utf8');
    // Each passage carries its author's initials as a label, a <kbd> element (labelChip.ts).
    expect(m2).toContain(String.raw`@M2 <kbd>AT</kbd> said she had a hard week; <kbd>group note</kbd> another member <kbd>AT</kbd> reassured her`);
    // The quote is its writer's (her initials), the entry's other words the server's.
    expect(m2).toContain('Risk/safety (M2): <kbd>AT</kbd> not wanting to be here <kbd>group note</kbd> — Alex Therapist');
    expect(m2).not.toContain('opened the round');
    expect(m2).toContain(String.raw`@M2 <kbd>BT</kbd> spoke about her father; <kbd>group note</kbd> another member <kbd>BT</kbd> looked away`);
    expect(m2).not.toContain('avoided eye contact');
    const m1 = (await download(clinic.a, `/api/sessions/${members[0]!.noteSessionId}/export.md`)).body.toString('utf8');
    expect(m1).toContain(String.raw`@M1 <kbd>BT</kbd> looked away`);
    // Each word keeps its writer from the group note; what the server wrote (the header) is no one's (walk, 4 Dec).
    const m3Review = (await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${members[2]!.noteSessionId}/review`)).body;
    const runs = (blocks: ReviewView['blocks']): ReviewView['blocks'][number]['runs'] => blocks.flatMap((b) => [...b.runs, ...runs(b.children)]);
    const writerOf = (words: string) => runs(m3Review.blocks).find((r) => r.text.includes(words))?.authorId;
    expect(writerOf('arrived late and sat by the door')).toBe(clinic.b.id);
    expect(writerOf('Theme: trust and returning')).toBe(clinic.a.id);
    expect(writerOf('Individual note for')).toBeNull();
    const m3 = (await download(clinic.a, `/api/sessions/${members[2]!.noteSessionId}/export.md`)).body.toString('utf8');
    expect(m3).toContain('Attendance: late');
    expect(m3).toContain(String.raw`@M3 <kbd>BT</kbd> arrived late and sat by the door`);
    expect(m3).toContain('avoided eye contact while another member spoke');
  });

  // Walk, 4 Dec: a member never marked read "present" at the end and got a note saying so, which
  // no one could take back. The page asks for every member's attendance on ending, and the server
  // stores it with the end, before the notes are made.
  it('ends a group session with the attendance confirmed on ending, or refuses the end and changes nothing', async () => {
    const { id } = await groupSession();
    const listed = async () => (await expectStatus(clinic.a.api.get<{ members: Entry[] }>(`/api/sessions/${id}/member-notes`), 200, 'list')).members;
    const status = async (sessionId: string) => (await clinic.a.api.get<{ status: string }>(`/api/sessions/${sessionId}`)).body.status;
    const before = await listed();
    expect(before.map((m) => [m.member, m.attendance, m.recorded])).toEqual([['M1', 'present', false], ['M2', 'present', false], ['M3', 'late', true], ['M4', 'absent', true]]);

    // Bad input: a label not of the group, an attendance that is none, a field not asked for.
    for (const body of [{ attendance: { ZZ: 'absent' } }, { attendance: { M1: 'gone' } }, { attendance: { M1: 'present' }, reason: 'x' }]) {
      const res = await clinic.a.api.post<{ error: { code: string } }>(`/api/sessions/${id}/end`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    // The supervisor ends no session; attendance does not change that.
    expect((await clinic.supervisor.api.post(`/api/sessions/${id}/end`, { attendance: { M2: 'absent' } })).status).toBe(403);
    expect(await status(id)).toBe('live');
    expect(await listed()).toEqual(before);

    const ended = await expectStatus(clinic.b.api.post(`/api/sessions/${id}/end`, { attendance: { M1: 'present', M2: 'absent', M3: 'late' } }), 200, 'end');
    expect(ended).toMatchObject({ status: 'ended', memberNotesMade: true });
    const after = await listed();
    expect(after.map((m) => [m.member, m.attendance, m.recorded, m.noteSessionId !== null])).toEqual([
      ['M1', 'present', true, true], ['M2', 'absent', true, false], ['M3', 'late', true, true], ['M4', 'absent', true, false],
    ]);
    // Ending again is refused, and its attendance is not taken.
    expect((await clinic.a.api.post(`/api/sessions/${id}/end`, { attendance: { M2: 'present' } })).status).toBe(409);
    expect(await listed()).toEqual(after);

    // An individual session has no attendance to end with: refused, still live.
    const { id: individual } = await expectStatus(clinic.a.api.post<{ id: string }>('/api/sessions', { title: 'Intake', kind: 'individual' }), 201, 'create');
    await expectStatus(clinic.a.api.post(`/api/sessions/${individual}/start`), 200, 'start');
    expect((await clinic.a.api.post<{ error: { code: string } }>(`/api/sessions/${individual}/end`, { attendance: {} })).body).toMatchObject({ error: { code: 'not_a_group' } });
    expect(await status(individual)).toBe('live');
  });

  // Walk, 4 Dec: a late entry about M2 in the group note, after the member notes were made, never
  // reached M2's note, which was signed without a word.
  it('tells a member note’s signers what its group note says for the member since that the note lacks', async () => {
    const { id } = await groupSession();
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    const { members } = await expectStatus(clinic.a.api.get<{ members: Entry[] }>(`/api/sessions/${id}/member-notes`), 200, 'list');
    const m2 = members.find((m) => m.member === 'M2')!.noteSessionId!;
    const changes = async (sessionId: string) => (await expectStatus(clinic.b.api.get<{ groupChanges: string[] }>(`/api/sessions/${sessionId}/sign-check`), 200, 'sign check')).groupChanges;
    expect(await changes(m2)).toEqual([]);

    const group = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    await expect.poll(() => group.provider.synced).toBe(true);
    appendPieces(group.doc, [{ member: 'M2' }, ' to be offered an individual check-in.']);
    appendPieces(group.doc, ['Handout on sleep given to everyone.']);
    appendPieces(group.doc, [{ member: 'M1' }, ' declined the handout.']);
    await expect.poll(() => group.isSaved()).toBe(true);
    group.destroy();
    expect(await changes(m2)).toEqual(['to be offered an individual check-in.', 'Handout on sleep given to everyone.']);
    // The group note itself, and an individual note, have no group to compare with.
    expect(await changes(id)).toEqual([]);

    // B carries the plan over: it is no longer listed.
    const note = connectClient(server.baseUrl, m2, clinic.b.api.cookie);
    await expect.poll(() => note.provider.synced).toBe(true);
    appendPieces(note.doc, [{ member: 'M2' }, ' to be offered an individual check-in.']);
    await expect.poll(() => note.isSaved()).toBe(true);
    note.destroy();
    expect(await changes(m2)).toEqual(['Handout on sleep given to everyone.']);

    // A signed member note stands as signed: its sign check reads the group note no more (one who
    // left the group session keeps reading a locked member note, never the group note as it is now).
    const m1 = members.find((m) => m.member === 'M1')!.noteSessionId!;
    expect(await changes(m1)).toContain('declined the handout.');
    await expectStatus(clinic.a.api.post(`/api/sessions/${m1}/sign`), 200, 'A signs M1');
    await expectStatus(clinic.b.api.post(`/api/sessions/${m1}/sign`), 200, 'B signs M1');
    expect(await changes(m1)).toEqual([]);
  });

  it('makes one note for a member marked present after the end, however many ask at once', async () => {
    const { id } = await groupSession();
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/attendance`, { attendance: { M4: 'present' } }), 200, 'M4 came after all');
    const answers = await Promise.all([clinic.a.api, clinic.b.api, clinic.a.api].map((api) => api.post<{ created?: number; error?: { code: string } }>(`/api/sessions/${id}/member-notes`)));
    expect(answers.map((r) => r.body.created ?? r.body.error?.code).filter((x) => x === 1)).toEqual([1]);
    expect(answers.every((r) => r.status === 201 || r.status === 200 || (r.status === 409 && r.body.error?.code === 'deriving'))).toBe(true);
    const { members } = await expectStatus(clinic.a.api.get<{ members: Entry[] }>(`/api/sessions/${id}/member-notes`), 200, 'list');
    expect(members.find((m) => m.member === 'M4')?.noteSessionId).not.toBeNull();
    const sessions = (await clinic.a.api.get<{ title: string }[]>('/api/sessions')).body.filter((s) => s.title.endsWith('— M4'));
    expect(sessions).toHaveLength(1);
  });

  it('signs, locks and co-signs a member note like the group note; the supervisor cannot write into it', async () => {
    const { id } = await groupSession();
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    const { noteSessionId } = await expectStatus(clinic.a.api.get<Entry>(`/api/sessions/${id}/member-notes/M1`), 200, 'M1');
    const noteId = noteSessionId!;
    const raw = await openRaw(server.baseUrl, noteId, { cookie: clinic.supervisor.api.cookie!, origin: server.baseUrl });
    await expect.poll(() => raw.notices.find((n) => n.type === 'access')).toMatchObject({ canWrite: false });
    const before = await roundTrip(raw);
    const forged = new Y.Doc();
    appendPieces(forged, ['SUPERVISOR WAS HERE']);
    raw.ws.send(updateFrame(Y.encodeStateAsUpdate(forged)));
    await expect.poll(() => raw.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'read_only' });
    expect(Y.encodeStateVector(readState(await roundTrip(raw)).doc)).toEqual(Y.encodeStateVector(readState(before).doc));
    // The refusal is in the audit log: who tried to write into which note, and why it was refused.
    await expect.poll(async () => (await clinic.admin.api.get<{ action: string; actorId: string; detail: { code: string } }[]>(`/api/audit?sessionId=${noteId}`)).body
      .filter((e) => e.action === 'write_refused').map((e) => [e.actorId, e.detail.code])).toEqual([[clinic.supervisor.id, 'read_only']]);

    // Therapists edit it live, with authorship; a mention of another member is refused there.
    const a = connectClient(server.baseUrl, noteId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendPieces(a.doc, ['Individual follow-up: ', { member: 'M1' }, ' asked for a call']);
    await expect.poll(() => a.isSaved()).toBe(true);
    // Words the server derived from the group note, deleted by a therapist: kept struck, as the server's.
    const opened = findText(a.doc, 'from the group');
    opened.text.delete(opened.index, 'from '.length);
    await expect.poll(() => a.isSaved()).toBe(true);
    const review = (await clinic.a.api.get<ReviewView>(`/api/sessions/${noteId}/review`)).body;
    expect(review.authors.map((p) => p.accountId)).toContain(clinic.a.id);
    const runs = (blocks: ReviewView['blocks']): ReviewView['blocks'][number]['runs'] => blocks.flatMap((bl) => [...bl.runs, ...runs(bl.children)]);
    expect(runs(review.blocks).filter((r) => r.struck).map((r) => [r.text, r.authorId, r.struck!.by])).toEqual([['from ', null, clinic.a.id]]);
    const a2 = connectClient(server.baseUrl, noteId, clinic.a.api.cookie);
    await expect.poll(() => a2.provider.synced).toBe(true);
    appendPieces(a2.doc, ['Also ', { member: 'M2' }]);
    await expect.poll(() => a2.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'unknown_member' });
    a2.destroy();

    await expectStatus(clinic.a.api.post(`/api/sessions/${noteId}/sign`), 200, 'A signs');
    const second = await expectStatus(clinic.b.api.post<{ locked: boolean }>(`/api/sessions/${noteId}/sign`), 200, 'B signs');
    expect(second.locked).toBe(true);
    await expectStatus(clinic.supervisor.api.post(`/api/sessions/${noteId}/cosign`), 200, 'cosign');
    expect((await clinic.a.api.get<{ status: string }>(`/api/sessions/${noteId}`)).body.status).toBe('reviewed');
    expect((await clinic.a.api.get<{ matches: boolean }>(`/api/sessions/${noteId}/verify`)).body.matches).toBe(true);
    // Its one member cannot be changed into another.
    expect((await clinic.a.api.request('PUT', `/api/sessions/${noteId}/group-members`, { labels: ['M2'] })).status).toBe(409);
  });

  // Walk (4 Dec): risk/safety tagged in an individual session alerted nobody, and the note signed
  // with no assessment or plan.
  it('holds signing of a session without member labels until the client’s risk record is written', async () => {
    const id = await createSession(clinic, 'individual');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    const a = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendPieces(a.doc, ['Says work is pointless and sleep is poor']);
    tagSpan(a.doc, 'work is pointless', { authorId: clinic.a.id, tags: ['risk-safety'] });
    // A member's key is not the client's: the session has no member labels.
    sessionDoc(a.doc).risk.set('M1', { assessment: 'x', plan: 'y', by: clinic.a.id, at: Date.now() });
    await expect.poll(() => a.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'unknown_member' });
    a.destroy();
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    const refused = await clinic.a.api.post<{ error: { code: string; message: string } }>(`/api/sessions/${id}/sign`);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'risk_incomplete']);
    expect(refused.body.error.message).toContain('Client: a risk assessment and a safety plan');
    expect((await clinic.a.api.get<{ riskGaps: RiskGap[] }>(`/api/sessions/${id}/sign-check`)).body.riskGaps).toEqual([{ member: 'Client', missing: ['assessment', 'plan'] }]);
    const b = connectClient(server.baseUrl, id, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced).toBe(true);
    expect(b.text()).toContain('Says work is pointless');
    sessionDoc(b.doc).risk.set('Client', { assessment: 'Hopelessness, no ideation', plan: 'Review at the next session', by: clinic.b.id, at: Date.now() });
    await expect.poll(() => b.isSaved()).toBe(true);
    expect((await clinic.a.api.get<{ riskGaps: RiskGap[] }>(`/api/sessions/${id}/sign-check`)).body.riskGaps).toEqual([]);
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/sign`), 200, 'A signs');
  });

  it('refuses signing while a member tagged risk/safety lacks an assessment and plan, then allows it', async () => {
    const { id } = await groupSession();
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    const m2 = (await expectStatus(clinic.a.api.get<Entry>(`/api/sessions/${id}/member-notes/M2`), 200, 'M2')).noteSessionId!;
    const m1 = (await expectStatus(clinic.a.api.get<Entry>(`/api/sessions/${id}/member-notes/M1`), 200, 'M1')).noteSessionId!;

    const refused = await clinic.a.api.post<{ error: { code: string; message: string } }>(`/api/sessions/${id}/sign`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'risk_incomplete' });
    expect(refused.body.error.message).toContain('M2: a risk assessment and a safety plan');
    expect((await clinic.a.api.get<{ riskGaps: RiskGap[] }>(`/api/sessions/${id}/sign-check`)).body.riskGaps).toEqual([{ member: 'M2', missing: ['assessment', 'plan'] }]);
    expect((await clinic.a.api.post(`/api/sessions/${m2}/sign`)).status).toBe(409);
    // Another member's note is not held up by M2's risk.
    expect((await clinic.a.api.post(`/api/sessions/${m1}/sign`)).status).toBe(200);

    // An assessment alone is not enough; one written in someone else's name is refused.
    const a = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    sessionDoc(a.doc).risk.set('M2', { assessment: 'Passive ideation, no plan or intent', plan: '', by: clinic.a.id, at: Date.now() });
    await expect.poll(() => a.isSaved()).toBe(true);
    expect((await clinic.a.api.get<{ riskGaps: RiskGap[] }>(`/api/sessions/${id}/sign-check`)).body.riskGaps).toEqual([{ member: 'M2', missing: ['plan'] }]);
    const forger = connectClient(server.baseUrl, id, clinic.b.api.cookie);
    await expect.poll(() => forger.provider.synced).toBe(true);
    sessionDoc(forger.doc).risk.set('M2', { assessment: 'x', plan: 'y', by: clinic.a.id, at: Date.now() });
    await expect.poll(() => forger.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'wrong_author' });
    forger.destroy();

    const b = connectClient(server.baseUrl, id, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced).toBe(true);
    sessionDoc(b.doc).risk.set('M2', { assessment: 'Passive ideation, no plan or intent', plan: 'Safety plan reviewed; call Thursday', by: clinic.b.id, at: Date.now() });
    await expect.poll(() => b.isSaved()).toBe(true);
    expect((await clinic.a.api.get<{ riskGaps: RiskGap[] }>(`/api/sessions/${id}/sign-check`)).body.riskGaps).toEqual([]);
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/sign`), 200, 'group signed by A');

    // The member note was derived before the record existed: it asks for its own.
    expect((await clinic.a.api.get<{ riskGaps: RiskGap[] }>(`/api/sessions/${m2}/sign-check`)).body.riskGaps).toEqual([{ member: 'M2', missing: ['assessment', 'plan'] }]);
    // Its sign panel names the group note's record, so nobody writes it anew unaware (walk, 4 Dec).
    const groupChanges = async () => (await clinic.a.api.get<{ groupChanges: string[] }>(`/api/sessions/${m2}/sign-check`)).body.groupChanges;
    expect(await groupChanges()).toEqual([
      'Risk assessment (the group note’s risk record): Passive ideation, no plan or intent',
      'Safety plan (the group note’s risk record): Safety plan reviewed; call Thursday',
    ]);
    const n = connectClient(server.baseUrl, m2, clinic.a.api.cookie);
    await expect.poll(() => n.provider.synced).toBe(true);
    sessionDoc(n.doc).risk.set('M2', { assessment: 'Passive ideation, no plan or intent', plan: 'Call Thursday', by: clinic.a.id, at: Date.now() });
    await expect.poll(() => n.isSaved()).toBe(true);
    // The assessment carried over is no longer listed; the plan, in other words, still is.
    expect(await groupChanges()).toEqual(['Safety plan (the group note’s risk record): Safety plan reviewed; call Thursday']);
    await expectStatus(clinic.a.api.post(`/api/sessions/${m2}/sign`), 200, 'M2 note signed');
    const md = (await download(clinic.a, `/api/sessions/${m2}/export.md`)).body.toString('utf8');
    expect(md).toContain('Call Thursday');
  });
});
