import { describe, expect, it } from 'vitest';
import type { AuditEntryView } from '../../shared/domain/audit';
import type { SessionView } from '../../shared/domain/session';
import type { NoticesView, NoticeView, QueueView } from '../../shared/domain/supervisor';
import { createClinic, createPerson } from '../helpers/api';
import { pairSession, returnNote, signedSession, step } from '../helpers/desk';
import { startTestServer } from '../helpers/startTestServer';
import { appendParagraph, connectClient } from '../helpers/connectClient';

describe('the review queue, note states, session search and notices', async () => {
  const server = await startTestServer({ env: { TANDEM_TIMEZONE: 'Europe/Berlin' } });
  const clinic = await createClinic(server.baseUrl);
  const { a, b, supervisor, admin, outsider } = clinic;

  // A week of one pair's sessions, in every state a note can be in.
  const waiting = await signedSession(clinic, 'Monday group', { scheduledAt: '2026-11-23T09:00:00+01:00' });
  const halfSigned = await pairSession(clinic, 'Tuesday group', { scheduledAt: '2026-11-24T09:00:00+01:00' });
  await step(a.api, halfSigned, 'start');
  await step(a.api, halfSigned, 'end');
  await step(a.api, halfSigned, 'sign');
  const resubmitted = await signedSession(clinic, 'Wednesday couple', { kind: 'couple', scheduledAt: '2026-11-25T09:00:00+01:00' });
  await returnNote(supervisor.api, resubmitted, 'Add the safety plan.');
  await step(a.api, resubmitted, 'sign');
  await step(b.api, resubmitted, 'sign');
  const returned = await signedSession(clinic, 'Thursday group', { scheduledAt: '2026-11-26T09:00:00+01:00' });
  await returnNote(supervisor.api, returned, 'Document the risk assessment.');
  const reviewed = await signedSession(clinic, 'Friday group', { scheduledAt: '2026-11-27T23:30:00+01:00' });
  await step(supervisor.api, reviewed, 'cosign');
  const planned = await pairSession(clinic, 'Next Monday group', { scheduledAt: '2026-11-30T09:00:00+01:00' });

  const queue = async (who: typeof a, query = '') => (await who.api.get<QueueView>(`/api/queue${query}`)).body;
  const states = (view: QueueView) => Object.fromEntries(view.items.map((i) => [i.sessionId, i.state]));

  it('shows the supervisor what waits for their co-signature, what came back re-signed, what is with the therapists, and what they co-signed', async () => {
    const view = await queue(supervisor);
    expect(view.role).toBe('supervisor');
    expect(states(view)).toEqual({ [waiting]: 'awaiting_cosign', [resubmitted]: 'resubmitted', [returned]: 'returned', [reviewed]: 'reviewed' });
    expect(view.counts).toEqual({ to_sign: 0, returned: 1, awaiting_cosign: 1, resubmitted: 1, reviewed: 1 });
    expect(view.items.find((i) => i.sessionId === resubmitted)).toMatchObject({ returns: 1, title: 'Wednesday couple', kind: 'couple' });
    expect(view.items.find((i) => i.sessionId === returned)?.returnReason).toBe('Document the risk assessment.');
    expect(view.therapists.map((t) => t.id).sort()).toEqual([a.id, b.id].sort());
    // Waiting longest first, co-signed last.
    expect(view.items.at(-1)?.sessionId).toBe(reviewed);
  });

  it('shows each therapist their notes’ states: to sign (and whose signature is missing), returned with the reason, awaiting co-signature, co-signed', async () => {
    const view = await queue(b);
    expect(view.role).toBe('therapist');
    expect(states(view)).toEqual({ [waiting]: 'awaiting_cosign', [halfSigned]: 'to_sign', [resubmitted]: 'awaiting_cosign', [returned]: 'returned', [reviewed]: 'reviewed' });
    expect(view.items.find((i) => i.sessionId === halfSigned)?.waitingFor).toEqual([{ id: b.id, name: b.name }]);
    expect(view.items.find((i) => i.sessionId === returned)?.returnReason).toBe('Document the risk assessment.');
    expect(Object.keys(states(view))).not.toContain(planned);
    // Sending the return reason is a read of what the supervisor typed: audited.
    const audit = (await admin.api.get<AuditEntryView[]>(`/api/audit?sessionId=${returned}&actorId=${b.id}&action=note_read`)).body;
    expect(audit.some((e) => e.detail.way === 'queue')).toBe(true);
  });

  it('filters by therapist, kind and date (whole days in the clinic’s zone), counting what is left', async () => {
    expect(states(await queue(supervisor, '?kind=couple'))).toEqual({ [resubmitted]: 'resubmitted' });
    expect((await queue(supervisor, `?therapist=${outsider.id}`)).items).toEqual([]);
    expect(Object.keys(states(await queue(supervisor, `?therapist=${b.id}`))).sort()).toEqual([waiting, resubmitted, returned, reviewed].sort());
    // 23:30 in Berlin on the 27th is the 27th there (22:30 UTC).
    const friday = await queue(supervisor, '?from=2026-11-27&to=2026-11-27');
    expect(states(friday)).toEqual({ [reviewed]: 'reviewed' });
    expect(friday.counts.reviewed).toBe(1);
    expect(states(await queue(supervisor, '?from=2026-11-25T00:00:00%2B01:00&to=2026-11-26'))).toEqual({ [resubmitted]: 'resubmitted', [returned]: 'returned' });
  });

  it('refuses a bad filter with 400 naming the field, and the queue to an admin', async () => {
    for (const [query, field] of [['?from=2026-13-45', 'from'], ['?to=yesterday', 'to'], ['?from=2026-11-27&to=2026-11-26', 'to'], ['?kind=duo', 'kind'], ['?therapist=x', 'therapist'], ['?colour=red', '']] as const) {
      const res = await supervisor.api.get<{ error: { code: string; field?: string } }>(`/api/queue${query}`);
      expect(res.status, query).toBe(400);
      if (field) expect(res.body.error.field, query).toBe(field);
    }
    expect((await admin.api.get('/api/queue')).status).toBe(403);
    expect((await outsider.api.get<QueueView>('/api/queue')).body.items).toEqual([]);
  });

  it('searches the sessions list by title, date range, state and member, and gives every session a real date', async () => {
    const list = async (query: string) => (await a.api.get<SessionView[]>(`/api/sessions${query}`)).body.map((s) => s.id).sort();
    expect(await list('?q=GROUP')).toEqual([waiting, halfSigned, returned, reviewed, planned].sort());
    expect(await list('?q=couple')).toEqual([resubmitted]);
    expect(await list('?status=reviewed')).toEqual([reviewed]);
    expect(await list('?from=2026-11-26&to=2026-11-27')).toEqual([returned, reviewed].sort());
    expect(await list(`?member=${supervisor.id}&q=monday`)).toEqual([waiting, planned].sort());
    expect(await list(`?member=${outsider.id}`)).toEqual([]);
    const unplanned = (await a.api.post<{ id: string }>('/api/sessions', { title: 'Drop-in', kind: 'individual' })).body.id;
    const all = (await a.api.get<SessionView[]>('/api/sessions')).body;
    expect(all.find((s) => s.id === unplanned)?.date).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(all.find((s) => s.id === reviewed)?.date).toBe('2026-11-27T22:30:00.000Z');
    const bad = await a.api.get<{ error: { field: string } }>('/api/sessions?from=30.11.2026');
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('from');
    expect((await a.api.get('/api/sessions?status=archived')).status).toBe(400);
  });

  // A clinician walk: the supervisor's notice still said "waits for your co-signature" after they had co-signed.
  it('words a notice that asked for a signature or a co-signature by where the note stands now', async () => {
    const inbox = async (who: typeof a) => (await who.api.get<NoticesView>('/api/notices')).body.notices;
    const asked = (notices: NoticeView[], sessionId: string) => notices.filter((n) => n.sessionId === sessionId && (n.kind === 'cosign_waiting' || n.kind === 'signature_waiting'));
    const sNotices = await inbox(supervisor);
    expect(asked(sNotices, reviewed).map((n) => [n.now, n.text])).toEqual([
      ['cosigned', `“Friday group” was signed by both therapists for your co-signature (last signature by ${b.name}); it is co-signed now.`],
    ]);
    expect(asked(sNotices, returned).map((n) => n.now)).toEqual(['returned']);
    expect(asked(sNotices, waiting).map((n) => [n.now, n.text])).toEqual([
      ['waiting', `“Monday group” is signed by both therapists and waits for your co-signature (last signature by ${b.name}).`],
    ]);
    // Signed again after the return: both notices ask for what is asked again now.
    expect(asked(sNotices, resubmitted).map((n) => n.now)).toEqual(['waiting', 'waiting']);
    const bNotices = await inbox(b);
    expect(asked(bNotices, reviewed).map((n) => [n.now, n.text])).toEqual([
      ['cosigned', `“Friday group” waited for your signature (${a.name} had signed); it is co-signed now.`],
    ]);
    expect(asked(bNotices, halfSigned).map((n) => n.now)).toEqual(['waiting']);
    // Asked before a return, a notice says the note was returned since (the signature it told of is
    // gone with the return); the one of the new round stands on its own (walk, 4 Dec).
    expect(asked(bNotices, returned).map((n) => [n.now, n.text])).toEqual([
      ['returned', `“Thursday group” waited for your signature (${a.name} had signed); it was returned for revision since.`],
    ]);
    expect(asked(bNotices, waiting).map((n) => n.now)).toEqual(['signed']);
    // Notices that tell of something done keep their words.
    expect(bNotices.filter((n) => n.kind === 'cosigned').every((n) => n.now === null)).toBe(true);
  });

  it('puts a notice in the inbox of whoever must act next, and marks them read', async () => {
    const inbox = async (who: typeof a) => (await who.api.get<NoticesView>('/api/notices')).body;
    const bNotices = await inbox(b);
    const kinds = (view: NoticesView, sessionId: string) => view.notices.filter((n) => n.sessionId === sessionId).map((n) => n.kind).sort();
    expect(kinds(bNotices, halfSigned)).toEqual(['signature_waiting']);
    // B was told each time A had signed first, then of what the supervisor did.
    expect(kinds(bNotices, returned)).toEqual(['returned', 'signature_waiting']);
    expect(kinds(bNotices, reviewed)).toEqual(['cosigned', 'signature_waiting']);
    expect(bNotices.notices.find((n) => n.sessionId === reviewed)?.text).toBe(`${supervisor.name} co-signed “Friday group”.`);
    const sNotices = await inbox(supervisor);
    expect(kinds(sNotices, waiting)).toEqual(['cosign_waiting']);
    expect(kinds(sNotices, resubmitted)).toEqual(['cosign_waiting', 'cosign_waiting']);
    // Nobody is told of what they did themselves.
    expect(kinds(await inbox(a), halfSigned)).toEqual([]);
    // What someone has done answers the notice that asked it of them: B's signature, the
    // supervisor's co-signature and return. What still waits stays unread.
    const unreadKinds = (view: NoticesView, sessionId: string) => view.notices.filter((n) => n.sessionId === sessionId && !n.read).map((n) => n.kind).sort();
    expect(unreadKinds(bNotices, reviewed)).toEqual(['cosigned']);
    expect(unreadKinds(bNotices, halfSigned)).toEqual(['signature_waiting']);
    expect(unreadKinds(sNotices, reviewed)).toEqual([]);
    expect(unreadKinds(sNotices, returned)).toEqual([]);
    expect(unreadKinds(sNotices, waiting)).toEqual(['cosign_waiting']);
    expect(unreadKinds(sNotices, resubmitted)).toEqual(['cosign_waiting']);

    const first = bNotices.notices[0]!;
    expect((await b.api.post('/api/notices/read', { ids: [first.id] })).status).toBe(200);
    expect((await inbox(b)).unread).toBe(bNotices.unread - 1);
    expect((await supervisor.api.post('/api/notices/read', { ids: [first.id] })).body).toEqual({ changed: 0 });
    expect((await b.api.post('/api/notices/read', { ids: ['nope'] })).status).toBe(400);
    await b.api.post('/api/notices/read', {});
    expect((await inbox(b)).unread).toBe(0);

    // Someone removed from a session no longer sees its notices (nor its title).
    const carol = await createPerson(admin.api, 'clinician', 'Carol Therapist');
    const gone = await signedSession({ a, b: carol, supervisor }, 'Removed later');
    expect(kinds(await inbox(carol), gone)).toEqual(['signature_waiting']);
    await returnNote(supervisor.api, gone, 'Please add the plan.');
    expect(kinds(await inbox(carol), gone)).toEqual(['returned', 'signature_waiting']);
    await a.api.request('DELETE', `/api/sessions/${gone}/members/${carol.id}`, {});
    expect(kinds(await inbox(carol), gone)).toEqual([]);
  });

  // A clinician walk: B's edit left A's signature on an older note, B signed, and B's notice said
  // "you have signed it since" as though nothing waited any more.
  it('tells one who signed after their own change that the one who asked must sign again', async () => {
    const changed = await pairSession(clinic, 'Saturday group');
    await step(a.api, changed, 'start');
    await step(a.api, changed, 'end');
    await step(a.api, changed, 'sign');
    const writer = connectClient(server.baseUrl, changed, b.api.cookie);
    await expect.poll(() => writer.provider.synced).toBe(true);
    appendParagraph(writer.doc, 'M1 phoned after the session.');
    await expect.poll(() => writer.isSaved()).toBe(true);
    writer.destroy();
    await step(b.api, changed, 'sign');

    const asked = async (who: typeof a) =>
      (await who.api.get<NoticesView>('/api/notices')).body.notices.filter((n) => n.sessionId === changed && n.kind === 'signature_waiting').map((n) => [n.now, n.text]);
    expect(await asked(b)).toEqual([['resign', `“Saturday group” waited for your signature (${a.name} had signed); you signed it after it changed, so it waits for ${a.name} to sign it again.`]]);
    // A had signed already: the notice says the note changed after that (walk, 4 Dec, M1).
    expect(await asked(a)).toEqual([['waiting', `“Saturday group” changed after you signed it: ${b.name} has signed it as it is now, and it waits for your signature again.`]]);
    // A signs the note as it is now: both notices say it is signed.
    await step(a.api, changed, 'sign');
    expect((await asked(b)).map(([now]) => now)).toEqual(['signed']);
    expect((await asked(a)).map(([now]) => now)).toEqual(['signed']);
  });
});
