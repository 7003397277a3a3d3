import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { MessageType } from '../../shared/protocol/messageType';
import { MAX_ANNOUNCED_PER_ACCOUNT } from '../../server/collab/presence';
import { createSession } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { connectClient } from '../helpers/connectClient';
import { roundTrip } from '../helpers/craft';
import { openRaw } from '../helpers/rawSocket';

/** An awareness frame announcing `ids`, each with an empty state, as a page's first presence. */
function announcing(ids: number[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Awareness);
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, ids.length);
  for (const id of ids) {
    encoding.writeVarUint(update, id);
    encoding.writeVarUint(update, 1);
    encoding.writeVarString(update, '{}');
  }
  encoding.writeVarUint8Array(e, encoding.toUint8Array(update));
  return encoding.toUint8Array(e);
}

/**
 * Each Yjs client id a page announces in presence is reserved for its account and kept in storage
 * (clientIdSquat.test.ts). A member reconnecting in a loop, with new ids each time, grew the kept
 * announcements without end: 1,204 rows for one note after 300 reconnects (attack5, 1 Dec).
 */
describe('a member announcing new presence ids over and over', async () => {
  const { server, clinic } = await startClinic();

  it('has at most MAX_ANNOUNCED_PER_ACCOUNT of them kept, and is still shown', async () => {
    const sessionId = await createSession(clinic, 'group');
    const perSocket = 4;
    let next = 1_000_000;
    for (let i = 0; i < MAX_ANNOUNCED_PER_ACCOUNT / perSocket + 5; i++) {
      const raw = await openRaw(server.baseUrl, sessionId, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
      raw.ws.send(announcing(Array.from({ length: perSocket }, () => next++)));
      // A sync round trip after it: the server has taken the presence frame sent before.
      await roundTrip(raw);
      raw.ws.close();
      await raw.closed;
    }
    const kept = () => server.store.bindings.announced(sessionId).then((m) => [...m.values()].filter((a) => a === clinic.b.id).length);
    await expect.poll(kept).toBe(MAX_ANNOUNCED_PER_ACCOUNT);

    // A page past the bound still shows in presence: only its id is not reserved.
    const raw = await openRaw(server.baseUrl, sessionId, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    const late = next++;
    raw.ws.send(announcing([late]));
    await roundTrip(raw);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.awareness.getStates().has(late)).toBe(true);
    raw.ws.close();
  }, 120_000);
});
