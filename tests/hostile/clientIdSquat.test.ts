import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { createSession } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, connectClient, serverText } from '../helpers/connectClient';
import { craftFrom, roundTrip, updateOf } from '../helpers/craft';
import { openRaw, updateFrame } from '../helpers/rawSocket';

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
