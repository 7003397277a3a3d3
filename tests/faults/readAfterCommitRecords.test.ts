import { expect, it } from 'vitest';
import type { DebriefFieldView } from '../../shared/domain/debrief';
import type { ProcessNoteView } from '../../shared/domain/processNote';
import { createPerson, createSession, type ApiClient, type Clinic } from '../helpers/api';
import { failAtCommit } from '../helpers/commitFaults';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { proxiedPair } from './proxiedPair';

type Audited = { action: string; sessionId: string | null; detail: Record<string, unknown> };
const audited = async (clinic: Clinic, action: string, query = '') =>
  (await clinic.admin.api.get<Audited[]>(`/api/audit?action=${action}&limit=100${query}`)).body;
const field = async (api: ApiClient, id: string, name: string) =>
  (await api.get<{ fields: DebriefFieldView[] }>(`/api/sessions/${id}/debrief`)).body.fields.find((f) => f.field === name);

// The kind the fault attack of 7 Dec found: a change stored, then a read for its answer lost with its
// connection (reset just after the COMMIT's answer) answered 503 "could not do this" though the
// change stood, and the retry was refused or made it twice. Here: a debrief save, the codebook's
// tags made and changed, an account deactivated, a keeper's steps on process notes.
describeWith([Postgres, Redis], 'a read after a stored record change fails: the answer is the change as made, on two processes', async () => {
  const { proxy, clinic, on2, stillWell } = await proxiedPair();

  it('a debrief save, the debrief read again for its answer lost: answered with the field as saved, its earlier words kept', async () => {
    const id = await createSession(clinic);
    const save = (body: string, baseVersion: number) => clinic.a.api.request<DebriefFieldView>('PUT', `/api/sessions/${id}/debrief/disagreements`, { body, baseVersion });
    expect((await save('We differed on M1’s silence', 0)).status).toBe(200);

    const cut = failAtCommit(proxy, 'debrief_saved', { at: /learning_debrief_versions/ });
    const saved = await save('We differed on M1’s silence, and on M2’s lateness', 1);
    expect(cut.hit()).toBe(true);
    const asSaved = {
      field: 'disagreements', body: 'We differed on M1’s silence, and on M2’s lateness', version: 2, updatedBy: clinic.a.id, canEdit: true,
      earlier: [expect.objectContaining({ version: 1, body: 'We differed on M1’s silence', savedBy: clinic.a.id })],
    };
    expect(saved).toMatchObject({ status: 200, body: asSaved });
    expect(await field(on2(clinic.b), id, 'disagreements')).toMatchObject({ ...asSaved, updatedAt: saved.body.updatedAt });
    expect((await audited(clinic, 'debrief_saved', `&sessionId=${id}`)).filter((e) => e.detail.version === 2)).toHaveLength(1);
    await stillWell();
  }, 60_000);

  it('a tag made, then renamed, the codebook read again after each lost: answered as made, the other process lists it', async () => {
    type Tag = { id: string; name: string; color: string; description: string; retired: boolean };
    const listed = async () => (await on2(clinic.supervisor).get<Tag[]>('/api/tags')).body;
    const made = failAtCommit(proxy, 'tag_created', { at: /FROM tags/ });
    const created = await clinic.admin.api.post<Tag>('/api/tags', { name: 'Rupture', color: '#8a4a4a', description: 'a break in the alliance' });
    expect(made.hit()).toBe(true);
    const tag = { name: 'Rupture', color: '#8a4a4a', description: 'a break in the alliance', retired: false };
    expect(created).toMatchObject({ status: 201, body: tag });
    expect((await listed()).find((t) => t.id === created.body.id)).toEqual({ ...tag, id: created.body.id });
    expect((await audited(clinic, 'tag_created')).filter((e) => e.detail.tagId === created.body.id)).toHaveLength(1);

    const renamed = failAtCommit(proxy, 'tag_updated', { at: /FROM tags/ });
    const changed = await clinic.admin.api.patch<Tag>(`/api/tags/${created.body.id}`, { name: 'Rupture and repair' });
    expect(renamed.hit()).toBe(true);
    expect(changed).toMatchObject({ status: 200, body: { ...tag, name: 'Rupture and repair' } });
    expect((await listed()).find((t) => t.id === created.body.id)?.name).toBe('Rupture and repair');
    expect((await audited(clinic, 'tag_updated')).filter((e) => e.detail.tagId === created.body.id)).toHaveLength(1);
    await stillWell();
  }, 60_000);

  it('an account deactivated, the first query after its COMMIT lost: answered inactive, its logins ended on both processes', async () => {
    const leaving = await createPerson(clinic.admin.api, 'clinician', 'Leaving Clinician');
    expect((await on2(leaving).get('/api/me')).status).toBe(200);
    // Its logins were ended in a query of their own after the change (now in its unit of work).
    const cut = failAtCommit(proxy, 'account_updated', { at: 'next query' });
    const changed = await clinic.admin.api.patch<{ id: string; active: boolean }>(`/api/users/${leaving.id}`, { active: false });
    expect(cut.hit()).toBe(true);
    expect(changed).toMatchObject({ status: 200, body: { id: leaving.id, name: 'Leaving Clinician', role: 'clinician', active: false } });
    expect((await on2(clinic.admin).get<{ id: string; active: boolean }[]>('/api/users')).body.find((u) => u.id === leaving.id)?.active).toBe(false);
    expect((await on2(leaving).get('/api/me')).status).toBe(401);
    expect((await leaving.api.get('/api/me')).status).toBe(401);
    expect((await audited(clinic, 'account_updated')).filter((e) => e.detail.accountId === leaving.id)).toHaveLength(1);
    await stillWell();
  }, 60_000);

  it('process notes made, shared at an ask, asked to be removed, the ask withdrawn, kept longer, the view read after each lost: answered as the step left them', async () => {
    const id = await createSession(clinic);
    const note = `/api/sessions/${id}/process-note`;
    const onB = async () => (await on2(clinic.b).get<ProcessNoteView>(note)).body;
    const once = async (action: string) => expect((await audited(clinic, action, `&sessionId=${id}`)).length).toBe(1);
    // The view was read after the COMMIT; now what it is made of is read before it, and the next
    // query is whom to tell (after the answer) or the notices (retried).
    // A step's action is named in the reads of the asks too: its audit record's detail marks its commit.
    const lost = (marker: string, at: 'next query' | RegExp = 'next query') => failAtCommit(proxy, marker, { at });
    const stepOf = (pid: string) => `{"processSessionId":"${pid}"`;

    let cut = lost('process_note_created');
    const made = await clinic.a.api.post<ProcessNoteView>(note, { retainDays: 30 });
    await expect.poll(() => cut.hit()).toBe(true);
    expect(made).toMatchObject({ status: 201, body: { retainDays: 30, otherKeepers: [clinic.b.name], shareAsked: null, removalAsked: null, sharedAt: null } });
    expect(await onB()).toEqual({ ...made.body, otherKeepers: [clinic.a.name] });
    await once('process_note_created');

    const step = stepOf(made.body.processSessionId);
    cut = lost(step);
    const asked = await clinic.a.api.post<ProcessNoteView>(`${note}/share`);
    await expect.poll(() => cut.hit()).toBe(true);
    expect(asked).toMatchObject({ status: 200, body: { sharedAt: null, shareAsked: { byMe: true, waitsForMe: false, waitingFor: [clinic.b.name] } } });
    expect((await onB()).shareAsked).toMatchObject({ byName: clinic.a.name, byMe: false, waitsForMe: true, at: asked.body.shareAsked?.at });
    await once('process_note_share_asked');

    cut = lost(step);
    const shared = await clinic.b.api.post<ProcessNoteView>(`${note}/share`);
    await expect.poll(() => cut.hit()).toBe(true);
    expect(shared).toMatchObject({ status: 200, body: { sharedBy: clinic.b.name, shareAsked: null, unsharedSupervisors: 0 } });
    expect(await onB()).toEqual(shared.body);
    await once('process_note_shared');

    // Whom to tell of an ask to remove them (the notices) comes before the view: the view's read is struck.
    cut = lost(step, /FROM audit_log/);
    const removal = await clinic.a.api.request<ProcessNoteView>('DELETE', note);
    cut.stop();
    expect(removal).toMatchObject({ status: 202, body: { removalAsked: { byMe: true, waitingFor: [clinic.b.name] } } });
    expect((await onB()).removalAsked).toMatchObject({ byName: clinic.a.name, waitsForMe: true });
    await once('process_note_removal_asked');

    cut = lost(step, /FROM audit_log/);
    const withdrawn = await clinic.a.api.request<ProcessNoteView>('DELETE', `${note}/removal-ask`);
    cut.stop();
    expect(withdrawn).toMatchObject({ status: 200, body: { removalAsked: null, sharedBy: clinic.b.name, retainDays: 30 } });
    expect((await onB()).removalAsked).toBeNull();
    await once('process_note_removal_withdrawn');

    cut = lost(step);
    const longer = await clinic.a.api.request<ProcessNoteView>('PUT', `${note}/retention`, { retainDays: 60 });
    await expect.poll(() => cut.hit()).toBe(true);
    expect(longer).toMatchObject({ status: 200, body: { retainDays: 60, retentionAsked: null, removesAt: expect.any(String) } });
    expect(await onB()).toEqual({ ...longer.body, otherKeepers: [clinic.a.name] });
    await once('process_note_retention_changed');
    await stillWell();
  }, 60_000);
});
