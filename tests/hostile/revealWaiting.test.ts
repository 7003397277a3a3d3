/**
 * A blind session's reveal waited for every therapist, a therapist made an admin or deactivated
 * too, who cannot press Reveal (`can()` refuses them): the pair's observations stayed private until
 * the end of the session, and A was told to wait for someone who could never come. The reveal now
 * waits for those who may still take part, as signing does, and names the others, in its answer
 * and in its audit record.
 */
import { describe, expect, it } from 'vitest';
import type { AuditLogRow } from '../../shared/domain/auditWords';
import { createPerson, createSession, expectStatus, type Person } from '../helpers/api';
import { privateObservationOnALine, storedObservationCount } from '../helpers/blindNote';
import { startClinic } from '../helpers/clinic';
import { pairSession } from '../helpers/desk';

type Pressed = { revealed: boolean; waitingFor?: string[]; notWaitedFor?: string[]; message?: string };

describe('the blind reveal waits only for those who may still press it', async () => {
  const { server, clinic } = await startClinic();
  const press = (p: Person, id: string) => p.api.post<Pressed>(`/api/sessions/${id}/blind/reveal`);
  /** A started blind session of `people` (A first), each of whom kept one observation private. */
  const blindStarted = async (id: string, authors: Person[]) => {
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/blind`, { enabled: true }), 200, 'blind');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    for (const author of authors) await privateObservationOnALine(server.store, author, id);
  };
  /** A started blind session of A and B with Cam, a third therapist, who kept one observation private. */
  const camKeptOnePrivate = async () => {
    const cam = await createPerson(clinic.admin.api, 'clinician', 'Cam Therapist');
    const id = await createSession(clinic, 'individual');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: cam.id, role: 'therapist' }), 201, 'third therapist');
    await blindStarted(id, [cam]);
    return { cam, id };
  };
  const revealRecord = async (id: string) => {
    const rows = (await expectStatus(clinic.admin.api.get<{ rows: AuditLogRow[] }>(`/api/audit/log?sessionId=${id}&action=blind_revealed`), 200, 'log')).rows;
    const [raw] = (await expectStatus(clinic.admin.api.get<{ detail: Record<string, unknown> }[]>(`/api/audit?sessionId=${id}&action=blind_revealed`), 200, 'audit'));
    return { detail: raw?.detail, words: rows.map((r) => r.detail) };
  };

  for (const [what, patch] of [['made an admin', { role: 'admin' }], ['deactivated', { active: false }]] as const) {
    it(`reveals at the press of the one therapist left when the co-therapist was ${what}, naming them`, async () => {
      const cam = await createPerson(clinic.admin.api, 'clinician', 'Cam Therapist');
      const id = await pairSession({ a: clinic.a, b: cam, supervisor: clinic.supervisor }, 'Blind pair', { kind: 'individual' });
      await blindStarted(id, [clinic.a, cam]);
      await expectStatus(clinic.admin.api.patch(`/api/users/${cam.id}`, patch), 200, 'change Cam’s account');
      const pressed = await press(clinic.a, id);
      expect([pressed.status, pressed.body.revealed]).toEqual([200, true]);
      expect(await storedObservationCount(server.store, id)).toBe(2);
      const record = await revealRecord(id);
      expect(record.detail).toMatchObject({ trigger: 'both_pressed', notWaitedFor: [cam.id], merged: 2 });
      expect(record.words[0]).toContain('not waited for (account changed): Cam Therapist');
    });
  }

  it('does not wait for an author an admin took off the session, who cannot press it, and names them', async () => {
    const { cam, id } = await camKeptOnePrivate();
    await expectStatus(clinic.admin.api.request('DELETE', `/api/sessions/${id}/members/${cam.id}`, { reason: 'left the team' }), 204, 'Cam taken off');
    // Attack, 6 Dec: A was told 'Waiting for Cam Therapist to press Reveal too', and Cam's press answered 403.
    expect((await press(cam, id)).status).toBe(403);
    const first = await press(clinic.b, id);
    expect(first.body).toMatchObject({ revealed: false, waitingFor: [clinic.a.name], notWaitedFor: [cam.name] });
    expect(first.body.message).toContain('It does not wait for Cam Therapist: they were taken off the session, so they cannot press it.');
    expect((await press(clinic.a, id)).body.revealed).toBe(true);
    expect(await storedObservationCount(server.store, id)).toBe(1);
    const record = await revealRecord(id);
    expect(record.detail).toMatchObject({ trigger: 'both_pressed', takenOff: [cam.id], merged: 1 });
    expect(record.detail).not.toHaveProperty('notWaitedFor');
    expect(record.words[0]).toContain('not waited for (taken off the session): Cam Therapist');
  });

  it('waits for a therapist who may still press, names the one it does not wait for, and waits for them again once they may', async () => {
    const { cam, id } = await camKeptOnePrivate();
    await expectStatus(clinic.admin.api.patch(`/api/users/${cam.id}`, { role: 'admin' }), 200, 'Cam an admin');
    const first = await press(clinic.a, id);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ revealed: false, waitingFor: [clinic.b.name], notWaitedFor: [cam.name] });
    expect(first.body.message).toContain('It does not wait for Cam Therapist: their account was made an admin or deactivated');
    // Cam a clinician again: the reveal waits for Cam's press too, as signing would.
    await expectStatus(clinic.admin.api.patch(`/api/users/${cam.id}`, { role: 'clinician' }), 200, 'Cam a clinician again');
    const second = await press(clinic.b, id);
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ waitingFor: [cam.name], notWaitedFor: [] });
    expect(await storedObservationCount(server.store, id)).toBe(0);
    expect((await press(cam, id)).status).toBe(200);
    expect(await storedObservationCount(server.store, id)).toBe(1);
    expect((await revealRecord(id)).detail).not.toHaveProperty('notWaitedFor');
  });
});
