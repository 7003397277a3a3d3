/**
 * A therapist made an admin (or deactivated) keeps their membership, for who wrote what, but may
 * no longer sign (`can()` refuses them). Before (attack, 6 Dec) signing still waited for them, so
 * the co-therapists could never lock the note. Now the sign rule, the session's members as the sign
 * panel reads them (`holdsRole`), the sign notice and the queue all wait for those who may sign.
 */
import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../shared/domain/session';
import type { QueueView } from '../../shared/domain/supervisor';
import { createPerson, createSession, expectStatus, type Person } from '../helpers/api';
import { startClinic } from '../helpers/clinic';

describe('signing after a therapist’s account changed', async () => {
  const { clinic } = await startClinic();
  type Signed = { locked: boolean; waitingFor: string[] };
  const sign = (p: Person, id: string) => expectStatus(p.api.post<Signed>(`/api/sessions/${id}/sign`), 200, `${p.name} signs`);
  /** An ended session of A, B and the supervisor, with `extra` as a third therapist whose account is then changed by `patch`. */
  const endedWith = async (extra: Person, patch: { role?: string; active?: boolean }) => {
    const id = await createSession(clinic, 'individual');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: extra.id, role: 'therapist' }), 201, 'add a third therapist');
    for (const step of ['start', 'end']) await expectStatus(clinic.a.api.post(`/api/sessions/${id}/${step}`), 200, step);
    await expectStatus(clinic.admin.api.patch(`/api/users/${extra.id}`, patch), 200, 'change the account');
    return id;
  };
  /** The Markdown export's Signatures section, as A reads it. */
  const exported = async (id: string) => {
    const res = await clinic.a.api.get<string>(`/api/sessions/${id}/export.md`);
    expect(res.status).toBe(200);
    // The PDF is drawn from the same tree (reviewDocument.ts); it is made as well.
    expect((await clinic.a.api.get(`/api/sessions/${id}/export.pdf`)).status).toBe(200);
    const md = res.body;
    return md.slice(md.indexOf('## Signatures'), md.indexOf('## Addenda'));
  };
  const holds = async (id: string) =>
    Object.fromEntries((await expectStatus(clinic.a.api.get<SessionView>(`/api/sessions/${id}`), 200, 'session')).members.map((m) => [m.userId, m.holdsRole]));

  for (const [what, patch] of [['made an admin', { role: 'admin' }], ['deactivated', { active: false }]] as const) {
    it(`locks once the therapists who may sign have signed, not waiting for one ${what}`, async () => {
      const cam = await createPerson(clinic.admin.api, 'clinician', 'Cam Therapist');
      const id = await endedWith(cam, patch);
      expect(await holds(id)).toEqual({ [clinic.a.id]: true, [clinic.b.id]: true, [cam.id]: false, [clinic.supervisor.id]: true });
      expect(await sign(clinic.a, id)).toEqual(expect.objectContaining({ locked: false, waitingFor: [clinic.b.id] }));
      const queue = await expectStatus(clinic.b.api.get<QueueView>('/api/queue'), 200, 'queue');
      expect(queue.items.find((i) => i.sessionId === id)?.waitingFor.map((p) => p.id)).toEqual([clinic.b.id]);
      // The exports wait for the same people, and say why not for Cam.
      const before = await exported(id);
      expect(before).toContain('Waiting for the signature of Blair Therapist');
      expect(before).toContain('Not signed by Cam Therapist: their account can no longer sign');
      expect(before).not.toContain('Waiting for the signature of Cam');
      expect(await sign(clinic.b, id)).toEqual(expect.objectContaining({ locked: true, waitingFor: [] }));
      const after = await exported(id);
      expect(after).toContain('Not signed by Cam Therapist: their account could not sign when the note was locked');
      expect(after).not.toContain('Waiting for');
      // Cam is still a member of the record (the review says who wrote what).
      expect(Object.keys(await holds(id))).toContain(cam.id);
    });
  }

  it('waits for the therapist again once their account fits again, before the note locks', async () => {
    const cam = await createPerson(clinic.admin.api, 'clinician', 'Cam Therapist');
    const id = await endedWith(cam, { role: 'admin' });
    expect((await sign(clinic.a, id)).waitingFor).toEqual([clinic.b.id]);
    await expectStatus(clinic.admin.api.patch(`/api/users/${cam.id}`, { role: 'clinician' }), 200, 'Cam a clinician again');
    expect((await sign(clinic.b, id)).waitingFor).toEqual([cam.id]);
    expect(await sign(cam, id)).toEqual(expect.objectContaining({ locked: true }));
  });
});
