/**
 * A member's risk record (assessment and safety plan) is the two therapists' together: either may
 * rewrite it in their own name, but a co-therapist's bare delete erased the other's record, and
 * the review then showed neither the record nor who removed it (attack, 2 Dec). The test is raw
 * updates from the stock client, not the UI (which never deletes one).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeParts } from '../../shared/protocol/updateParts';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { craftFrom, roundTrip, updateOf } from '../helpers/craft';
import { openRaw, updateFrame } from '../helpers/rawSocket';
import { createSession, expectStatus, type Person } from '../helpers/api';
import { connectClient } from '../helpers/connectClient';
import { startClinic } from '../helpers/clinic';

describe('a risk record another therapist wrote', async () => {
  const { server, clinic } = await startClinic();

  const record = (by: Person, assessment: string) => ({ assessment, plan: 'Safety plan reviewed; call Thursday', by: by.id, at: Date.now() });

  /** A group session with M1 and M2, and each therapist connected. */
  async function groupSession() {
    const id = await createSession(clinic);
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1', 'M2'] }), 200, 'labels');
    const a = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    const b = connectClient(server.baseUrl, id, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    return { id, a, b };
  }

  /** The risk records as the server holds them (read by a client that connects now). */
  async function storedRisk(id: string): Promise<Record<string, { assessment: string; by: string }>> {
    const reader = connectClient(server.baseUrl, id, clinic.supervisor.api.cookie);
    await expect.poll(() => reader.provider.synced).toBe(true);
    const risk = sessionDoc(reader.doc).risk.toJSON() as Record<string, { assessment: string; by: string }>;
    reader.destroy();
    return risk;
  }

  it('cannot be deleted by the co-therapist; it stays, for the other therapist and in storage', async () => {
    const { id, a, b } = await groupSession();
    sessionDoc(a.doc).risk.set('M1', record(clinic.a, 'A: moderate risk, passive ideation'));
    await expect.poll(() => a.isSaved()).toBe(true);
    await expect.poll(() => sessionDoc(b.doc).risk.has('M1')).toBe(true);

    sessionDoc(b.doc).risk.delete('M1');
    await expect.poll(() => b.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'not_yours' });
    expect((await storedRisk(id)).M1).toMatchObject({ assessment: 'A: moderate risk, passive ideation', by: clinic.a.id });
    expect(sessionDoc(a.doc).risk.get('M1')).toMatchObject({ by: clinic.a.id });
  });

  // The delete rode with a write of the key made beside A's value (no origin, a low client id):
  // Yjs puts such a write before A's value and drops it at once, so the update was a bare delete,
  // and was taken in as a rewrite (attack, 5 Dec).
  it('cannot be erased by a delete riding with a write that Yjs drops at once', async () => {
    const { id, a } = await groupSession();
    sessionDoc(a.doc).risk.set('M1', record(clinic.a, 'A: high risk, plan discussed'));
    await expect.poll(() => a.isSaved()).toBe(true);

    // Sent raw: B's stock client would drop the write itself before sending (Yjs frees a value
    // deleted in its own transaction), and the server would see a bare delete.
    const raw = await openRaw(server.baseUrl, id, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    const copy = craftFrom(await roundTrip(raw));
    const beside = new Y.Doc();
    beside.clientID = 1;
    const write = updateOf(beside, () => sessionDoc(beside).risk.set('M1', record(clinic.b, '')));
    const erase = updateOf(copy, () => sessionDoc(copy).risk.delete('M1'));
    raw.ws.send(updateFrame(Y.mergeUpdates([write, erase])));
    await expect.poll(() => raw.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'not_yours' });
    expect((await storedRisk(id)).M1).toMatchObject({ assessment: 'A: high risk, plan discussed', by: clinic.a.id });
    expect(sessionDoc(a.doc).risk.get('M1')).toMatchObject({ by: clinic.a.id });
  });

  // Attack, 6 Dec: one update wrote B's record right after A's (a rewrite, as Yjs places it) and
  // deleted that very new value in its own delete set: A's record went with the write, B's with
  // the deletion, and the key stood empty.
  it('cannot be erased by a write of the key that the same update deletes', async () => {
    const { id, a } = await groupSession();
    sessionDoc(a.doc).risk.set('M1', record(clinic.a, 'A: passive ideation, no plan'));
    await expect.poll(() => a.isSaved()).toBe(true);

    const raw = await openRaw(server.baseUrl, id, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    const copy = craftFrom(await roundTrip(raw), 900_000_001);
    const written = updateOf(copy, () => sessionDoc(copy).risk.set('M1', record(clinic.b, 'B: low')));
    const own = (sessionDoc(copy).risk as unknown as { _map: Map<string, Y.Item> })._map.get('M1')!;
    // The write's structs, with a delete set of its own new value only (none of A's record).
    const { structs } = Y.decodeUpdate(written);
    const ds = Y.createDeleteSet();
    ds.clients.set(own.id.client, [{ clock: own.id.clock, len: own.length }]);
    raw.ws.send(updateFrame(encodeParts(new Map([[own.id.client, structs]]), ds)));
    await expect.poll(() => raw.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'not_yours' });
    expect((await storedRisk(id)).M1).toMatchObject({ assessment: 'A: passive ideation, no plan', by: clinic.a.id });
    expect(sessionDoc(a.doc).risk.get('M1')).toMatchObject({ by: clinic.a.id });
  });

  it('can be rewritten by the co-therapist in their own name, and then removed only by them', async () => {
    const { id, a, b } = await groupSession();
    sessionDoc(a.doc).risk.set('M2', record(clinic.a, 'A: low risk'));
    await expect.poll(() => a.isSaved()).toBe(true);
    await expect.poll(() => sessionDoc(b.doc).risk.has('M2')).toBe(true);

    // A rewrite replaces A's value: allowed, and now attributed to B.
    sessionDoc(b.doc).risk.set('M2', record(clinic.b, 'B: moderate risk after the break'));
    await expect.poll(() => b.isSaved()).toBe(true);
    expect((await storedRisk(id)).M2).toMatchObject({ assessment: 'B: moderate risk after the break', by: clinic.b.id });

    // Now the record is B's: A's bare delete is refused, B's own goes through.
    await expect.poll(() => sessionDoc(a.doc).risk.get('M2')).toMatchObject({ by: clinic.b.id });
    sessionDoc(a.doc).risk.delete('M2');
    await expect.poll(() => a.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'not_yours' });
    expect((await storedRisk(id)).M2).toMatchObject({ by: clinic.b.id });

    sessionDoc(b.doc).risk.delete('M2');
    await expect.poll(() => b.isSaved()).toBe(true);
    expect(await storedRisk(id)).toEqual({});
    expect(b.notices.filter((n) => n.type === 'refused')).toEqual([]);
  });

  // Attack, 6 Dec (h4): a part left blank in the co-therapist's name passed unchecked, so B erased
  // A's assessment with a save naming A as its writer; the review read "Assessment (Alex
  // Therapist):" over a blank, hiding that B had cleared it.
  it('cannot be blanked by the co-therapist in its writer’s name', async () => {
    const { id, a } = await groupSession();
    sessionDoc(a.doc).risk.set('M1', record(clinic.a, 'A: high risk, passive ideation'));
    sessionDoc(a.doc).risk.set('M2', { ...record(clinic.a, ''), plan: '' });
    await expect.poll(() => a.isSaved()).toBe(true);
    // Each attempt from a page of its own: a refused page's later edits are refused with it.
    const page = async () => {
      const b = connectClient(server.baseUrl, id, clinic.b.api.cookie);
      await expect.poll(() => b.provider.synced).toBe(true);
      return b;
    };
    for (const blank of [' ', '']) {
      const b = await page();
      sessionDoc(b.doc).risk.set('M1', { ...record(clinic.b, blank), assessmentBy: clinic.a.id });
      await expect.poll(() => b.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'wrong_author' });
    }
    expect((await storedRisk(id)).M1).toMatchObject({ assessment: 'A: high risk, passive ideation', by: clinic.a.id });
    // A part she left blank stays hers to leave blank: saving beside it in her name is taken.
    const b = await page();
    sessionDoc(b.doc).risk.set('M2', { ...record(clinic.b, ''), assessmentBy: clinic.a.id, plan: 'B: call Friday' });
    await expect.poll(() => b.isSaved()).toBe(true);
    expect((await storedRisk(id)).M2).toMatchObject({ plan: 'B: call Friday', by: clinic.b.id, assessmentBy: clinic.a.id });
    expect(b.notices.filter((n) => n.type === 'refused')).toEqual([]);
  });
});
