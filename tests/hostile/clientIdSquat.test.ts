import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { Store } from '../../server/persistence/ports';
import { createSession } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, connectClient, serverText } from '../helpers/connectClient';
import { craftFrom, roundTrip, updateOf } from '../helpers/craft';
import { openRaw, updateFrame, upgradeStatus } from '../helpers/rawSocket';

/** One GC range of `len` clocks under `client` from clock 0, no deletions: it shows nothing, but takes those clocks. */
function gcRange(client: number, len: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, 0);
  encoding.writeUint8(e, 0);
  encoding.writeVarUint(e, len);
  encoding.writeVarUint(e, 0);
  return encoding.toUint8Array(e);
}

/**
 * A page announces its Yjs client id in presence before its first edit. A co-therapist who reads
 * it there and writes under it first took the clocks the page's offline edits needed: those were
 * then dropped as already known, while "Saved" covered them (attack2, 1 Dec). The id stays B's
 * after the note was unloaded, as after a restart: the announcement is kept in storage.
 */
describe('a co-therapist writing under the client id the other therapist’s page announced', async () => {
  const { server, clinic } = await startClinic();

  const squats: { name: string; build(state: Uint8Array, victim: number): Uint8Array }[] = [
    { name: 'a GC range', build: (_state, victim) => gcRange(victim, 1_000_000) },
    {
      name: 'a paragraph',
      build: (state, victim) => {
        const doc: Y.Doc = craftFrom(state, victim);
        return updateOf(doc, () => appendParagraph(doc, 'written under B’s id by A'));
      },
    },
  ];

  // The note either stays loaded (A stays in it) or is unloaded once everyone left, and loaded
  // again from storage for A's squat: the id must be B's either way.
  const moments = [
    { name: 'while A stays in the note', unload: false },
    { name: 'after everyone left and the note was unloaded', unload: true },
  ];

  for (const squat of squats) {
    for (const moment of moments) {
      it(`sets ${squat.name} aside ${moment.name}, and B's edits written offline are stored when B reconnects`, async () => {
        const sessionId = await createSession(clinic);
        const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
        const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
        await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
        b.provider.awareness.setLocalStateField('user', { name: 'Blair' });
        const victim = b.doc.clientID;
        // A learns B's id from presence, then B's network drops (its presence goes) and B writes on.
        await expect.poll(() => a.provider.awareness.getStates().has(victim)).toBe(true);
        b.provider.disconnect();
        await expect.poll(() => a.provider.awareness.getStates().has(victim), { timeout: 40_000 }).toBe(false);
        for (let i = 0; i < 3; i++) appendParagraph(b.doc, `B offline line ${i}`);
        if (moment.unload) {
          a.destroy();
          await expect.poll(() => server.collab.loaded(sessionId), { timeout: 20_000 }).toBeUndefined();
        }

        const raw = await openRaw(server.baseUrl, sessionId, { cookie: clinic.a.api.cookie!, origin: server.baseUrl });
        raw.ws.send(updateFrame(squat.build(await roundTrip(raw), victim)));
        await expect.poll(() => raw.notices.map((n) => n.type === 'refused' && n.code)).toContain('client_id_taken');

        b.provider.connect();
        await expect.poll(() => b.isSaved() && b.doc.clientID === victim).toBe(true);
        const stored = await serverText(server.baseUrl, sessionId, clinic.supervisor.api.cookie);
        for (let i = 0; i < 3; i++) expect(stored).toContain(`B offline line ${i}`);
        expect(stored).not.toContain('written under B’s id by A');
        const reader = moment.unload ? connectClient(server.baseUrl, sessionId, clinic.a.api.cookie) : a;
        await expect.poll(() => reader.text()).toBe(b.text());
        reader.destroy();
        b.destroy();
        raw.ws.close();
      });
    }
  }
});

/**
 * With storage failing as B's page announced its id (and Redis away, so no other process heard
 * it), the one try was lost: the other process's storage knew nothing of the id, and A bound it
 * there first (re-check, 4 Dec). The announcement is tried again until stored: once storage is
 * back, the id is B's in storage too, and A's squat after an unload is set aside.
 */
describe('an announcement storage refused at first', async () => {
  const failing = { left: 2, tries: 0 };
  const { server, clinic } = await startClinic({
    decorateStore: (store: Store) => ({
      ...store,
      bindings: {
        ...store.bindings,
        announce: (...args: Parameters<Store['bindings']['announce']>) => {
          failing.tries += 1;
          if (failing.left <= 0) return store.bindings.announce(...args);
          failing.left -= 1;
          return Promise.reject(new Error('database or disk is full'));
        },
      },
    }),
  });

  it('is stored once storage takes it, so the id stays B’s after the note is unloaded', async () => {
    const sessionId = await createSession(clinic);
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced).toBe(true);
    b.provider.awareness.setLocalStateField('user', { name: 'Blair' });
    const victim = b.doc.clientID;
    await expect.poll(() => server.store.bindings.announced(sessionId), { timeout: 20_000 }).toEqual(new Map([[victim, clinic.b.id]]));
    expect(failing.tries).toBe(3);

    b.destroy();
    await expect.poll(() => server.collab.loaded(sessionId), { timeout: 20_000 }).toBeUndefined();
    const raw = await openRaw(server.baseUrl, sessionId, { cookie: clinic.a.api.cookie!, origin: server.baseUrl });
    const forged: Y.Doc = craftFrom(await roundTrip(raw), victim);
    raw.ws.send(updateFrame(updateOf(forged, () => appendParagraph(forged, 'written under B’s id by A'))));
    await expect.poll(() => raw.notices.map((n) => n.type === 'refused' && n.code)).toContain('client_id_taken');
    expect(await serverText(server.baseUrl, sessionId, clinic.supervisor.api.cookie)).not.toContain('written under B’s id by A');
    raw.ws.close();
  });
});

/**
 * A page names the client ids its device wrote under as it connects (shared/protocol/deviceClients.ts):
 * those another account holds are named back in a refusal before any of the note is sent, and a
 * malformed list is refused at the upgrade.
 */
describe('the client ids a page names as it connects', async () => {
  const { server, clinic } = await startClinic();

  it('are answered, before the note, with those another account holds', async () => {
    const sessionId = await createSession(clinic);
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced).toBe(true);
    appendParagraph(b.doc, 'B’s words bind B’s id');
    await expect.poll(() => b.isSaved()).toBe(true);
    const bId = b.doc.clientID;
    const unused = (bId + 1) % 2 ** 32;

    const a = await openRaw(server.baseUrl, `${sessionId}?ids=${unused}.${bId}`, { cookie: clinic.a.api.cookie!, origin: server.baseUrl });
    await expect.poll(() => a.notices.some((n) => n.type === 'access')).toBe(true);
    expect(a.notices.slice(0, 3).map((n) => n.type)).toEqual(['hello', 'refused', 'access']);
    expect(a.notices[1]).toMatchObject({ code: 'client_id_taken', clients: [bId] });

    const own = await openRaw(server.baseUrl, `${sessionId}?ids=${bId}`, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    await expect.poll(() => own.notices.some((n) => n.type === 'access')).toBe(true);
    expect(own.notices.filter((n) => n.type === 'refused')).toEqual([]);
    for (const raw of [a, own]) raw.ws.close();
    b.destroy();
  });

  it('are refused with 400 when malformed', async () => {
    const sessionId = await createSession(clinic);
    const headers = { cookie: clinic.a.api.cookie!, origin: server.baseUrl };
    const many = Array.from({ length: 257 }, (_, i) => i + 1).join('.');
    for (const ids of ['abc', '1..2', '-1', '4294967296', '01', many]) {
      expect(await upgradeStatus(server.baseUrl, `/sync/${sessionId}?ids=${ids}`, headers), ids.slice(0, 20)).toBe(400);
    }
    expect(await upgradeStatus(server.baseUrl, `/sync/${sessionId}?ids=0.4294967295`, headers)).toBe(101);
    // Judged only for a member: anyone else learns what they would without it.
    expect(await upgradeStatus(server.baseUrl, `/sync/${sessionId}?ids=abc`, { origin: server.baseUrl })).toBe(401);
    expect(await upgradeStatus(server.baseUrl, `/sync/${sessionId}?ids=abc`, { cookie: clinic.outsider.api.cookie!, origin: server.baseUrl })).toBe(403);
  });
});
