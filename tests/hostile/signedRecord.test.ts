/**
 * The record a therapist signs holds the group's attendance and member labels (its exports list
 * them), which the note's digest does not cover. Attack, 6 Dec: after A signed with "M1 present,
 * M2 present", B set M2 late and added a member ZZ who was never there, then signed: the note
 * locked under both signatures and its record said "M1 present, M2 late, ZZ present", which A
 * never saw (verify: matches). A change to either now voids the signatures given before it, and
 * one racing the lock is stored before it (and the lock is not made) or not at all.
 */
import { describe, expect, it } from 'vitest';
import { signatureStates } from '../../client/features/lifecycle/signatureRound';
import type { Store } from '../../server/persistence/ports';
import type { ReviewView } from '../../shared/domain/review';
import { createClinic, expectStatus, type Clinic } from '../helpers/api';
import { liveGroupWithLine } from '../helpers/connectClient';
import { startClinic } from '../helpers/clinic';
import { startTestServer, type TestServer } from '../helpers/startTestServer';

interface Signed {
  locked: boolean;
  waitingFor: string[];
}

/** An ended group session with M1 and M2 present, signed by A. */
async function signedByA(server: TestServer, clinic: Clinic): Promise<string> {
  const { id, a } = await liveGroupWithLine(server.baseUrl, clinic, 'The group talked about sleep');
  a.destroy();
  await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`, { attendance: { M1: 'present', M2: 'present' } }), 200, 'end');
  const signed = await expectStatus(clinic.a.api.post<Signed>(`/api/sessions/${id}/sign`), 200, 'A signs');
  expect(signed.locked).toBe(false);
  return id;
}

describe('attendance and member labels changed after a signature', async () => {
  const { server, clinic } = await startClinic();

  it('does not lock the note under a signature given to other attendance', async () => {
    const id = await signedByA(server, clinic);
    await expectStatus(clinic.b.api.request('PUT', `/api/sessions/${id}/attendance`, { attendance: { M2: 'late' } }), 200, 'attendance');
    const b = await expectStatus(clinic.b.api.post<Signed & { digest: string }>(`/api/sessions/${id}/sign`), 200, 'B signs');
    expect(b).toMatchObject({ locked: false, waitingFor: [clinic.a.id] });
    // A's page says so: her signature reads as one of an earlier version, B's as current.
    const review = await expectStatus(clinic.a.api.get<ReviewView>(`/api/sessions/${id}/review`), 200, 'review');
    const states = signatureStates(review, [clinic.a.id, clinic.b.id], b.digest);
    expect([states.get(clinic.a.id)?.kind, states.get(clinic.b.id)?.kind]).toEqual(['stale', 'current']);
    // A reads the record as it stands now and signs it: then it locks.
    expect(await expectStatus(clinic.a.api.get<string>(`/api/sessions/${id}/export.md`), 200, 'export')).toContain('M2 late');
    expect(await expectStatus(clinic.a.api.post<Signed>(`/api/sessions/${id}/sign`), 200, 'A signs again')).toMatchObject({ locked: true });
  });

  it('does not lock the note under a signature given to other member labels', async () => {
    const id = await signedByA(server, clinic);
    await expectStatus(clinic.b.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1', 'M2', 'ZZ'] }), 200, 'labels');
    expect(await expectStatus(clinic.b.api.post<Signed>(`/api/sessions/${id}/sign`), 200, 'B signs')).toMatchObject({ locked: false, waitingFor: [clinic.a.id] });
  });

  it('keeps the signatures when a save changes nothing', async () => {
    const id = await signedByA(server, clinic);
    await expectStatus(clinic.b.api.request('PUT', `/api/sessions/${id}/attendance`, { attendance: { M2: 'present' } }), 200, 'attendance');
    await expectStatus(clinic.b.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1', 'M2'] }), 200, 'labels');
    expect(await expectStatus(clinic.b.api.post<Signed>(`/api/sessions/${id}/sign`), 200, 'B signs')).toMatchObject({ locked: true });
  });
});

describe('attendance racing the last signature', async () => {
  // Hooks run inside the store's commit: before an attendance change is stored, and before a lock.
  let beforeAttendance: (() => Promise<void>) | null = null;
  let beforeLock: (() => Promise<void>) | null = null;
  const server = await startTestServer({
    decorateStore: (store: Store): Store => ({
      ...store,
      commit: async (writes) => {
        if (writes.some((w) => w.kind === 'attendance')) await beforeAttendance?.();
        if (writes.some((w) => w.kind === 'session' && w.patch.status === 'signed')) await beforeLock?.();
        return store.commit(writes);
      },
    }),
  });
  const clinic = await createClinic(server.baseUrl);
  const exported = (id: string) => expectStatus(clinic.a.api.get<string>(`/api/sessions/${id}/export.md`), 200, 'export');

  it('does not store a change read before the lock and stored after it', async () => {
    const id = await signedByA(server, clinic);
    let locked!: () => void;
    const lockDone = new Promise<void>((resolve) => (locked = resolve));
    beforeAttendance = () => lockDone;
    const save = clinic.b.api.request('PUT', `/api/sessions/${id}/attendance`, { attendance: { M2: 'late' } });
    expect(await expectStatus(clinic.b.api.post<Signed>(`/api/sessions/${id}/sign`), 200, 'B signs')).toMatchObject({ locked: true });
    beforeAttendance = null;
    locked();
    const res = await save;
    expect([res.status, (res.body as { error?: { code: string } }).error?.code]).toEqual([409, 'session_locked']);
    expect(await exported(id)).toContain('M1 present, M2 present');
  });

  it('does not lock under a signature the change stored while it locked made void', async () => {
    const id = await signedByA(server, clinic);
    beforeLock = async () => {
      beforeLock = null;
      await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/attendance`, { attendance: { M2: 'late' } }), 200, 'attendance');
    };
    const res = await clinic.b.api.post(`/api/sessions/${id}/sign`);
    expect(res.status).toBe(409);
    // A and B sign the record as it stands now.
    await expectStatus(clinic.b.api.post(`/api/sessions/${id}/sign`), 200, 'B signs again');
    expect(await expectStatus(clinic.a.api.post<Signed>(`/api/sessions/${id}/sign`), 200, 'A signs again')).toMatchObject({ locked: true });
    expect(await exported(id)).toContain('M1 present, M2 late');
  });
});
