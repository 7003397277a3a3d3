/**
 * A keeper's ask on process notes counts only while their account may act (processNoteAsks.ts).
 * When an admin deactivated a keeper who had asked to remove the notes, the other keeper's page went
 * on showing the ask, waiting for them, until a reload: nobody told the notes' open pages that the
 * account had changed (left in the 46th session's notes).
 */
import { describe, expect, it } from 'vitest';
import type { ProcessNoteView } from '../../shared/domain/processNote';
import { createSession, expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { openLiveStream } from '../helpers/liveStream';

describe('a keeper of process notes whose account an admin changes', async () => {
  const { clinic } = await startClinic();

  it('tells the other keeper’s open pages, whose view no longer shows the ask; and again once the account is back', async () => {
    const id = await createSession(clinic);
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/process-note`, {}), 201, 'process notes');
    await expectStatus(clinic.a.api.delete(`/api/sessions/${id}/process-note`), 202, 'A asks to remove them');
    const view = async () => (await expectStatus(clinic.b.api.get<ProcessNoteView | null>(`/api/sessions/${id}/process-note`), 200, 'B’s view'))!;
    expect((await view()).removalAsked).toMatchObject({ byName: clinic.a.name, waitsForMe: true });

    const page = openLiveStream(clinic.b.api);
    await expect.poll(() => page.open()).toBe(true);
    const told = () => page.events.filter((e) => e.type === 'session' && e.sessionId === id).length;
    await expectStatus(clinic.admin.api.patch(`/api/users/${clinic.a.id}`, { active: false }), 200, 'A deactivated');
    await expect.poll(told).toBe(1);
    expect((await view()).removalAsked).toBeNull();

    await expectStatus(clinic.admin.api.patch(`/api/users/${clinic.a.id}`, { active: true }), 200, 'A back');
    await expect.poll(told).toBe(2);
    expect((await view()).removalAsked).toMatchObject({ byName: clinic.a.name, waitsForMe: true });
  });
});
