import * as encoding from 'lib0/encoding';
import { expect, it } from 'vitest';
import { MessageType } from '../../shared/protocol/messageType';
import { createClinic, createSession, type Person } from '../helpers/api';
import { connectClient, type TestClient } from '../helpers/connectClient';
import { openRaw } from '../helpers/rawSocket';
import { describeWith, Postgres, Redis } from '../helpers/services';
import type { ServerProcess } from '../helpers/startTestServer';
import { startCluster } from './cluster';

/** An awareness frame as a hostile client would write it: any ids, clocks and states. */
function presenceFrame(entries: { id: number; clock: number; state: unknown }[]): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(inner, e.id);
    encoding.writeVarUint(inner, e.clock);
    encoding.writeVarString(inner, JSON.stringify(e.state));
  }
  const out = encoding.createEncoder();
  encoding.writeVarUint(out, MessageType.Awareness);
  encoding.writeVarUint8Array(out, encoding.toUint8Array(inner));
  return encoding.toUint8Array(out);
}

const nameOf = (viewer: TestClient, id: number) => (viewer.provider.awareness.getStates().get(id) as { user?: { name?: string } } | undefined)?.user?.name ?? null;

/**
 * Each process refuses a socket's claim on an awareness id that another connection announced. A
 * claim made on another process than the owner's must be refused too: the server owns identity,
 * presence included, on every process.
 */
describeWith([Postgres, Redis], 'presence ids claimed across processes', async () => {
  const cluster = await startCluster(2);
  const [p1, p2] = cluster.servers as [ServerProcess, ServerProcess];
  const clinic = await createClinic(p1.baseUrl);

  /** The supervisor, on `server`, claims A's id, then announces an id of its own as a marker. */
  async function claim(server: ServerProcess, sessionId: string, aId: number, clock: number, supervisor: Person, marker: number): Promise<void> {
    const raw = await openRaw(server.baseUrl, sessionId, { origin: new URL(server.baseUrl).origin, cookie: supervisor.api.cookie! });
    raw.ws.send(presenceFrame([{ id: aId, clock: clock + 1_000_000, state: { cursor: null } }]));
    // Sent after the claims on the same socket: whoever sees it has been sent the claims too.
    raw.ws.send(presenceFrame([{ id: marker, clock: 1, state: { cursor: null } }]));
  }

  it('keeps a therapist’s id theirs when a supervisor on the other process claims it', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(p1.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(p1.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    a.provider.awareness.setLocalStateField('cursor', null);
    const aId = a.provider.awareness.clientID;
    await expect.poll(() => nameOf(b, aId)).toBe('Alex Therapist');

    const marker = 2 ** 30 + 7;
    await claim(p2, sessionId, aId, a.provider.awareness.meta.get(aId)!.clock, clinic.supervisor, marker);
    await expect.poll(() => nameOf(b, marker)).toBe('Sam Supervisor');
    // The id is still A's, and A's own state was not replaced (it is not stamped
    // in A's own view: the server stamps what it relays).
    expect([nameOf(b, aId), nameOf(a, aId)]).toEqual(['Alex Therapist', null]);
  });
});
