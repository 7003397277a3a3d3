import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../shared/domain/session';
import type { NoticesView, QueueView } from '../../shared/domain/supervisor';
import { createPerson, createSession, expectStatus, type Clinic, type Person } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, connectClient, liveGroupWithLine } from '../helpers/connectClient';

type Signed = { locked: boolean; waitingFor: string[] };

/** A note A and B signed (locked), to which an admin then added Lou as a therapist. */
async function lockedThenLouAdded(clinic: Clinic): Promise<{ late: Person; id: string }> {
  const late = await createPerson(clinic.admin.api, 'clinician', 'Lou Late');
  const id = await createSession(clinic, 'individual');
  for (const step of ['start', 'end']) await expectStatus(clinic.a.api.post(`/api/sessions/${id}/${step}`), 200, step);
  for (const p of [clinic.a, clinic.b]) await expectStatus(p.api.post(`/api/sessions/${id}/sign`), 200, `${p.name} signs`);
  await expectStatus(clinic.admin.api.post(`/api/sessions/${id}/members`, { userId: late.id, role: 'therapist', reason: 'covers for A from now on' }), 201, 'admin adds Lou');
  return { late, id };
}

// 6 Dec: A signed, then B (the only other therapist) was made an admin. The note then waited for
// nobody but A, who had signed: it stayed unlocked, A's queue said it waited for nobody, and
// nobody was told. It must not lock by itself (A's signature was given while B was waited for);
// A is told, and the queue names A, whose press locks it.
describe('a note that can lock after a co-therapist’s account changed', async () => {
  const { server, clinic } = await startClinic();
  const sign = (p: Person, id: string) => expectStatus(p.api.post<Signed>(`/api/sessions/${id}/sign`), 200, `${p.name} signs`);
  const status = async (id: string) => (await expectStatus(clinic.a.api.get<SessionView>(`/api/sessions/${id}`), 200, 'session')).status;
  const queued = async (p: Person, id: string) => (await expectStatus(p.api.get<QueueView>('/api/queue'), 200, 'queue')).items.find((i) => i.sessionId === id);
  const told = async (p: Person, id: string, kind = 'lock_waiting') => (await expectStatus(p.api.get<NoticesView>('/api/notices'), 200, 'inbox')).notices.filter((n) => n.sessionId === id && n.kind === kind);
  /** An ended session of A, `co` (a therapist) and the supervisor, signed by A. */
  const signedByA = async (co: Person) => {
    const id = await createSession(clinic, 'individual');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: co.id, role: 'therapist' }), 201, 'co-therapist');
    await expectStatus(clinic.a.api.delete(`/api/sessions/${id}/members/${clinic.b.id}`), 204, 'B off');
    for (const step of ['start', 'end']) await expectStatus(clinic.a.api.post(`/api/sessions/${id}/${step}`), 200, step);
    expect(await sign(clinic.a, id)).toMatchObject({ locked: false, waitingFor: [co.id] });
    return id;
  };

  for (const [what, patch, done] of [['made an admin', { role: 'admin' }, 'made Cory Cotherapist an admin'], ['deactivated', { active: false }, 'deactivated Cory Cotherapist’s account']] as const) {
    it(`tells the one who signed, when the co-therapist is ${what}, and locks only at their press`, async () => {
      const co = await createPerson(clinic.admin.api, 'clinician', 'Cory Cotherapist');
      const id = await signedByA(co);
      await expectStatus(clinic.admin.api.patch(`/api/users/${co.id}`, patch), 200, 'change the account');
      expect(await status(id)).toBe('ended');
      const [notice] = await told(clinic.a, id);
      expect(notice?.text).toContain('it locks when you press Sign again');
      // Whose account changed and how, by name: it said 'Ada Admin changed a co-therapist’s account or
      // took them off “Tuesday group”', and with three therapists A could not tell whom (walk, 6 Dec).
      expect(notice?.text).toBe(`Ada Admin ${done}, so they no longer sign “Tuesday group”: every signature it waits for is given, and it locks when you press Sign again (read it first).`);
      expect(notice?.read).toBe(false);
      expect((await queued(clinic.a, id))?.waitingFor.map((p) => p.id)).toEqual([clinic.a.id]);
      // The supervisor is not asked anything yet: there is nothing to co-sign.
      expect(await told(clinic.supervisor, id)).toEqual([]);
      expect(await sign(clinic.a, id)).toMatchObject({ locked: true, waitingFor: [] });
      expect(await status(id)).toBe('signed');
      // The notice no longer says to press Sign.
      expect((await told(clinic.a, id))[0]?.text).toBe(`“Tuesday group” was ready to lock after Ada Admin ${done}; it is locked now.`);
    });
  }

  // Walk, 7 Dec: Cory was made an admin, then a clinician again, and A's notice still said it
  // locked at A's press, though it waited for Cory's signature again.
  it('says a note told ready to lock waits again for one whose account changed back', async () => {
    const co = await createPerson(clinic.admin.api, 'clinician', 'Cory Cotherapist');
    const id = await signedByA(co);
    await expectStatus(clinic.admin.api.patch(`/api/users/${co.id}`, { role: 'admin' }), 200, 'Cory an admin');
    await expectStatus(clinic.admin.api.patch(`/api/users/${co.id}`, { role: 'clinician' }), 200, 'Cory a clinician again');
    expect((await told(clinic.a, id)).map((n) => n.text)).toEqual([
      'Ada Admin made Cory Cotherapist an admin; they can sign “Tuesday group” again now, so it is not ready to lock: it waits for Cory Cotherapist’s signature.',
    ]);
  });

  // Attack, 6 Dec: A signed, and an admin took the co-therapist off the note (with a reason): it
  // waited for nobody but A, and nobody was told (the queue alone named A).
  it('tells the one who signed when an admin takes the co-therapist off the note', async () => {
    const co = await createPerson(clinic.admin.api, 'clinician', 'Cory Cotherapist');
    const id = await signedByA(co);
    await expectStatus(clinic.admin.api.request('DELETE', `/api/sessions/${id}/members/${co.id}`, { reason: 'left the clinic' }), 204, 'admin takes Cory off');
    expect(await status(id)).toBe('ended');
    expect((await told(clinic.a, id)).map((n) => n.text)).toEqual([
      'Ada Admin took Cory Cotherapist off “Tuesday group”, so they no longer sign it: every signature it waits for is given, and it locks when you press Sign again (read it first).',
    ]);
  });

  // Attack, 6 Dec: A signed, Tam (a third therapist) wrote a line and signed it, Cory was made an
  // admin; both A and Tam were told the note "locks when you press Sign again", but Tam's press was
  // refused as already signed (A's signature is of the earlier version). Only one whose press locks it is told.
  it('tells only whose press locks it when the signatures are of different versions', async () => {
    const co = await createPerson(clinic.admin.api, 'clinician', 'Cory Cotherapist');
    const third = await createPerson(clinic.admin.api, 'clinician', 'Tam Third');
    const id = await signedByA(co);
    await expectStatus(clinic.admin.api.post(`/api/sessions/${id}/members`, { userId: third.id, role: 'therapist', reason: 'joins the pair' }), 201, 'third');
    const t = connectClient(server.baseUrl, id, third.api.cookie);
    await expect.poll(() => t.provider.synced).toBe(true);
    appendParagraph(t.doc, 'A line of Tam’s after A signed.');
    await expect.poll(() => t.isSaved()).toBe(true);
    t.destroy();
    expect((await sign(third, id)).waitingFor.sort()).toEqual([co.id, clinic.a.id].sort());
    await expectStatus(clinic.admin.api.patch(`/api/users/${co.id}`, { role: 'admin' }), 200, 'co an admin');
    expect(await told(third, id)).toEqual([]);
    expect((await told(clinic.a, id)).map((n) => n.kind)).toEqual(['lock_waiting']);
    expect(await sign(clinic.a, id)).toMatchObject({ locked: true });
  });

  it('tells nobody when the note still waits for someone, or the account could not sign before either', async () => {
    const co = await createPerson(clinic.admin.api, 'clinician', 'Cory Cotherapist');
    const third = await createPerson(clinic.admin.api, 'clinician', 'Tam Third');
    const id = await signedByA(co);
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: third.id, role: 'therapist' }), 201, 'third');
    await expectStatus(clinic.admin.api.patch(`/api/users/${co.id}`, { role: 'admin' }), 200, 'co an admin');
    expect(await told(clinic.a, id)).toEqual([]);
    expect((await queued(clinic.a, id))?.waitingFor.map((p) => p.id)).toEqual([third.id]);
  });

  // Leftover of 6 Dec: when no one press could lock the note after the change, nobody was told
  // anything; the therapists whose signature it lacks are now told what is left, in words.
  const leftWords = async (p: Person, id: string) => (await told(p, id, 'signatures_left')).map((n) => n.text);
  const left = (done: string, rest: string) =>
    `Ada Admin ${done}. It is not locked, and no one signature locks it now: it locks once you and ${rest} have each signed it as it stands (a signature of an earlier version no longer counts). Read it first.`;

  it('tells each therapist still to sign what is left when several must still sign', async () => {
    const co = await createPerson(clinic.admin.api, 'clinician', 'Cory Cotherapist');
    const id = await createSession(clinic, 'individual');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: co.id, role: 'therapist' }), 201, 'Cory');
    for (const step of ['start', 'end']) await expectStatus(clinic.a.api.post(`/api/sessions/${id}/${step}`), 200, step);
    await expectStatus(clinic.admin.api.patch(`/api/users/${co.id}`, { role: 'admin' }), 200, 'Cory an admin');
    const madeAdmin = 'made Cory Cotherapist an admin, so they no longer sign “Tuesday group”';
    expect(await leftWords(clinic.a, id)).toEqual([left(madeAdmin, clinic.b.name)]);
    expect(await leftWords(clinic.b, id)).toEqual([left(madeAdmin, clinic.a.name)]);
    expect(await told(clinic.a, id)).toEqual([]);
    // Changed back: the words name Cory among those it waits for, and say nothing that he no longer signs (walk, 6 Dec).
    await expectStatus(clinic.admin.api.patch(`/api/users/${co.id}`, { role: 'clinician' }), 200, 'Cory a clinician again');
    const [back] = await leftWords(clinic.a, id);
    expect(back).toMatch(/^Ada Admin made Cory Cotherapist an admin; they can sign “Tuesday group” again now\. It is not locked, and no one signature locks it now: it locks once you, .+ have each signed/);
    expect([back?.includes(clinic.b.name), back?.includes('no longer sign')]).toEqual([true, false]);
    await expectStatus(clinic.admin.api.patch(`/api/users/${co.id}`, { role: 'admin' }), 200, 'Cory an admin again');
    expect(await sign(clinic.a, id)).toMatchObject({ locked: false, waitingFor: [clinic.b.id] });
    expect(await sign(clinic.b, id)).toMatchObject({ locked: true });
    // One notice per change (Cory made an admin twice), each saying it is locked now.
    expect(await leftWords(clinic.a, id)).toEqual(Array(2).fill('Ada Admin made Cory Cotherapist an admin; “Tuesday group” is locked now.'));
  });

  it('tells the therapists whose signatures are of an earlier version than the note when an admin takes off the one who changed it', async () => {
    const co = await createPerson(clinic.admin.api, 'clinician', 'Cory Cotherapist');
    const id = await createSession(clinic, 'individual');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: co.id, role: 'therapist' }), 201, 'Cory');
    for (const step of ['start', 'end']) await expectStatus(clinic.a.api.post(`/api/sessions/${id}/${step}`), 200, step);
    for (const p of [clinic.a, clinic.b]) await sign(p, id);
    const c = connectClient(server.baseUrl, id, co.api.cookie);
    await expect.poll(() => c.provider.synced).toBe(true);
    appendParagraph(c.doc, 'A late line of Cory’s, after both signed.');
    await expect.poll(() => c.isSaved()).toBe(true);
    c.destroy();
    await expectStatus(clinic.admin.api.request('DELETE', `/api/sessions/${id}/members/${co.id}`, { reason: 'left the clinic' }), 204, 'admin takes Cory off');
    expect(await status(id)).toBe('ended');
    const tookOff = 'took Cory Cotherapist off “Tuesday group”, so they no longer sign it';
    expect(await leftWords(clinic.a, id)).toEqual([left(tookOff, clinic.b.name)]);
    expect(await leftWords(clinic.b, id)).toEqual([left(tookOff, clinic.a.name)]);
    expect(await told(clinic.a, id)).toEqual([]);
  });

  it('names in the queue a therapist whose signature was given before the attendance changed, as signing waits for them', async () => {
    const { id, a } = await liveGroupWithLine(server.baseUrl, clinic, 'The group talked about sleep');
    a.destroy();
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`, { attendance: { M1: 'present', M2: 'present' } }), 200, 'end');
    await sign(clinic.a, id);
    await expectStatus(clinic.b.api.request('PUT', `/api/sessions/${id}/attendance`, { attendance: { M2: 'late' } }), 200, 'attendance');
    expect((await queued(clinic.b, id))?.waitingFor.map((p) => p.id).sort()).toEqual([clinic.a.id, clinic.b.id].sort());
    expect(await sign(clinic.b, id)).toMatchObject({ waitingFor: [clinic.a.id] });
    expect((await queued(clinic.b, id))?.waitingFor.map((p) => p.id)).toEqual([clinic.a.id]);
  });
});

// Attack, 6 Dec: an admin made B an admin for a minute; A, alone waited for, signed and the note
// locked; B was made a clinician again. Only the audit log and the exports said so; B was not told.
describe('a note locked while a co-therapist could not sign', async () => {
  const { server, clinic } = await startClinic();
  const told = async (p: Person, id: string) => (await expectStatus(p.api.get<NoticesView>('/api/notices'), 200, 'inbox')).notices.filter((n) => n.sessionId === id);

  for (const [what, away, back] of [['made an admin', { role: 'admin' }, { role: 'clinician' }], ['deactivated', { active: false }, { active: true }]] as const) {
    it(`tells the co-therapist ${what} and back that it was locked without their signature`, async () => {
      const co = await createPerson(clinic.admin.api, 'clinician', 'Cory Cotherapist');
      const id = await createSession(clinic, 'individual');
      await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: co.id, role: 'therapist' }), 201, 'co-therapist');
      await expectStatus(clinic.a.api.delete(`/api/sessions/${id}/members/${clinic.b.id}`), 204, 'B off');
      for (const step of ['start', 'end']) await expectStatus(clinic.a.api.post(`/api/sessions/${id}/${step}`), 200, step);
      await expectStatus(clinic.admin.api.patch(`/api/users/${co.id}`, away), 200, 'away');
      expect(await expectStatus(clinic.a.api.post<Signed>(`/api/sessions/${id}/sign`), 200, 'A signs')).toMatchObject({ locked: true });
      await expectStatus(clinic.admin.api.patch(`/api/users/${co.id}`, back), 200, 'back');
      if ('active' in back) await expectStatus(co.api.post('/api/auth/login', { email: co.email, password: co.password }), 200, 'log in again');
      const notices = await told(co, id);
      expect(notices.map((n) => n.kind)).toEqual(['locked_without_you']);
      expect(notices[0]!.text).toContain('carries no signature of yours');
      // A signed; A is told nothing of it.
      expect((await told(clinic.a, id)).filter((n) => n.kind === 'locked_without_you')).toEqual([]);
    });
  }

  // Attack, 6 Dec: the notice judged a signature as signing counts none. B signed, A changed the
  // attendance (so B's signature no longer counted), B was made an admin, A's signature locked it:
  // B, made a clinician again, was not told. And one an admin added after the lock was told, made
  // an admin and back, that it "was locked while your account could not sign it": they were not a member.
  it('tells one whose signature was given before the attendance changed, as signing did not count it', async () => {
    const { id, a } = await liveGroupWithLine(server.baseUrl, clinic, 'The group talked about sleep');
    a.destroy();
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`, { attendance: { M1: 'present', M2: 'present' } }), 200, 'end');
    await expectStatus(clinic.b.api.post(`/api/sessions/${id}/sign`), 200, 'B signs');
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/attendance`, { attendance: { M2: 'late' } }), 200, 'attendance');
    await expectStatus(clinic.admin.api.patch(`/api/users/${clinic.b.id}`, { role: 'admin' }), 200, 'B an admin');
    try {
      expect(await expectStatus(clinic.a.api.post<Signed>(`/api/sessions/${id}/sign`), 200, 'A signs')).toMatchObject({ locked: true });
    } finally {
      await expectStatus(clinic.admin.api.patch(`/api/users/${clinic.b.id}`, { role: 'clinician' }), 200, 'B a clinician again');
    }
    expect((await told(clinic.b, id)).map((n) => n.kind)).toContain('locked_without_you');
    // The exports read B's signature as one of the note as locked: the digest is the same.
    const md = await expectStatus(clinic.a.api.get<string>(`/api/sessions/${id}/export.md`), 200, 'export');
    expect(md.split('\n').find((l) => l.includes(`Signed by ${clinic.b.name}`))).toContain('given before the attendance or labels last changed');
    expect(md.split('\n').find((l) => l.includes(`Signed by ${clinic.a.name}`))).not.toContain('before the attendance');
  });

  it('tells nothing of the sort to one added after the lock', async () => {
    const { late, id } = await lockedThenLouAdded(clinic);
    await expectStatus(clinic.admin.api.patch(`/api/users/${late.id}`, { role: 'admin' }), 200, 'Lou an admin');
    await expectStatus(clinic.admin.api.patch(`/api/users/${late.id}`, { role: 'clinician' }), 200, 'Lou a clinician again');
    expect((await told(late, id)).map((n) => n.kind)).not.toContain('locked_without_you');
  });
});

// Attack, 6 Dec: a therapist an admin added (with a reason) to a note already locked was named in
// both exports' Signatures as "Not signed by …: their account could not sign when the note was
// locked (role changed or deactivated)", a reason that is false: they were not a member then.
describe('a therapist added after the lock, in the exports', async () => {
  const { clinic } = await startClinic();
  it('says they were added after the note was locked, not that their account could not sign', async () => {
    const { id } = await lockedThenLouAdded(clinic);
    const md = await expectStatus(clinic.a.api.get<string>(`/api/sessions/${id}/export.md`), 200, 'export');
    const signatures = md.slice(md.indexOf('## Signatures'), md.indexOf('## Addenda'));
    expect(signatures).toContain('Not a signer: Lou Late was added after the note was locked');
    expect(signatures).not.toContain('could not sign');
    expect((await clinic.a.api.get(`/api/sessions/${id}/export.pdf`)).status).toBe(200);
  });
});

// Attack, 6 Dec: B signed, A wrote a line after it, B was made an admin, and A's signature locked
// the note. The exports listed "Signed by B … — digest …" beside A's as if B had signed what was
// locked: only the two digests, side by side, told otherwise.
describe('a signature given to an earlier version of a note locked without its signer', async () => {
  const { server, clinic } = await startClinic();
  it('is said to be of an earlier version, not of the note as locked', async () => {
    const co = await createPerson(clinic.admin.api, 'clinician', 'Cory Cotherapist');
    const id = await createSession(clinic, 'individual');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: co.id, role: 'therapist' }), 201, 'co-therapist');
    await expectStatus(clinic.a.api.delete(`/api/sessions/${id}/members/${clinic.b.id}`), 204, 'B off');
    for (const step of ['start', 'end']) await expectStatus(clinic.a.api.post(`/api/sessions/${id}/${step}`), 200, step);
    await expectStatus(co.api.post(`/api/sessions/${id}/sign`), 200, 'Cory signs');
    const a = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, 'A late line Cory never read.');
    await expect.poll(() => a.isSaved()).toBe(true);
    a.destroy();
    await expectStatus(clinic.admin.api.patch(`/api/users/${co.id}`, { role: 'admin' }), 200, 'Cory an admin');
    expect(await expectStatus(clinic.a.api.post<Signed>(`/api/sessions/${id}/sign`), 200, 'A signs')).toMatchObject({ locked: true });
    const md = await expectStatus(clinic.a.api.get<string>(`/api/sessions/${id}/export.md`), 200, 'export');
    const cory = md.split('\n').find((l) => l.includes('Signed by Cory Cotherapist'));
    expect(cory).toContain('an earlier version, not the note as locked');
    expect(md.split('\n').find((l) => l.includes('Signed by Alex Therapist'))).not.toContain('earlier version');
    expect((await clinic.a.api.get(`/api/sessions/${id}/export.pdf`)).status).toBe(200);
    // Made a clinician again, Cory is told the note was locked without a signature of theirs (theirs was of an earlier version).
    await expectStatus(clinic.admin.api.patch(`/api/users/${co.id}`, { role: 'clinician' }), 200, 'Cory a clinician again');
    const notices = (await expectStatus(co.api.get<NoticesView>('/api/notices'), 200, 'inbox')).notices.filter((n) => n.sessionId === id);
    expect(notices.map((n) => n.kind)).toEqual(['locked_without_you']);
  });
});
