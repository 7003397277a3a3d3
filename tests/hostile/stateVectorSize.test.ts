import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { MessageType } from '../../shared/protocol/messageType';
import { createSession } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { roundTrip } from '../helpers/craft';
import { openRaw } from '../helpers/rawSocket';

// Attack, 2 Dec: a sync step 1 naming 1.5 million made-up clients (9 MB) took 1.6-2.1 s of the
// event loop to answer, from a read-only supervisor too. Past the note's clients and a margin,
// it is refused unread and the socket closed as for any malformed frame.
describe('a sync step 1 naming far more clients than the note has', async () => {
  const { server, clinic } = await startClinic();

  it('closes that socket and answers the next one as before', async () => {
    const sessionId = await createSession(clinic);
    const raw = await openRaw(server.baseUrl, sessionId, { cookie: clinic.supervisor.api.cookie!, origin: server.baseUrl });
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(new Map(Array.from({ length: 5_000 }, (_, i) => [i + 1, 1] as [number, number]))));
    raw.ws.send(encoding.toUint8Array(e));
    expect((await raw.closed).code).toBe(CloseCode.BadMessage);
    const next = await openRaw(server.baseUrl, sessionId, { cookie: clinic.supervisor.api.cookie!, origin: server.baseUrl });
    await roundTrip(next);
    next.ws.close();
  }, 60_000);
});
