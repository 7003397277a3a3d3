import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MessageType } from '../../shared/protocol/messageType';
import { awarenessStatesOf, caretAt } from '../helpers/awareness';
import { createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { openRaw, updateFrame } from '../helpers/rawSocket';
import { startClinic } from '../helpers/clinic';

describe('live sync between co-therapists', async () => {
  const { server, clinic } = await startClinic();

  it('starts a new note from its template, written once by the server', async () => {
    const sessionId = await createSession(clinic, 'group');
    const [a, b] = [connectClient(server.baseUrl, sessionId, clinic.a.api.cookie), connectClient(server.baseUrl, sessionId, clinic.b.api.cookie)];
    await expect.poll(() => a.text()).toContain('Attendance');
    await expect.poll(() => b.text()).toBe(a.text());
    expect(a.text().match(/Attendance/g)).toHaveLength(1);
  });

  it('converges two writers, and a late joiner gets the whole state', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    appendParagraph(a.doc, 'M2 went quiet when her father came up');
    appendParagraph(b.doc, 'Group agreed on the plan');
    await expect.poll(() => a.text()).toContain('Group agreed on the plan');
    await expect.poll(() => b.text()).toContain('M2 went quiet');
    expect(b.text()).toBe(a.text());
    const late = connectClient(server.baseUrl, sessionId, clinic.supervisor.api.cookie);
    await expect.poll(() => late.text()).toBe(a.text());
  });

  it('shows each client the other (with the server-attested name) and removes a client that leaves', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    a.provider.awareness.setLocalStateField('user', { name: 'Somebody Else', color: '#000000' });
    const cursor = caretAt(a.doc.clientID, 3);
    a.provider.awareness.setLocalStateField('cursor', cursor);
    await expect.poll(() => awarenessStatesOf(b).find((s) => s.user?.accountId === clinic.a.id)?.cursor).toEqual(cursor);
    const seen = awarenessStatesOf(b).find((s) => s.user?.accountId === clinic.a.id);
    expect(seen?.user).toMatchObject({ name: clinic.a.name, role: 'therapist' });
    a.provider.disconnect();
    await expect.poll(() => awarenessStatesOf(b).some((s) => s.user?.accountId === clinic.a.id)).toBe(false);
  });

  it('confirms saves: a client sees "saved" only once its edits are stored', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, 'stored?');
    expect(a.isSaved()).toBe(false);
    await expect.poll(() => a.isSaved()).toBe(true);
    const stored = await server.store.docs.readLog(sessionId);
    expect(stored.length).toBeGreaterThanOrEqual(2);
  });

  it('counts a deletion as unsaved until the server stored it', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, 'to be removed');
    await expect.poll(() => a.isSaved()).toBe(true);
    const note = a.doc.getXmlFragment('note');
    note.delete(note.length - 1, 1);
    expect(a.isSaved()).toBe(false);
    await expect.poll(() => a.isSaved()).toBe(true);
    const other = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => other.provider.synced && other.isSaved()).toBe(true);
    expect(other.text()).not.toContain('to be removed');
  });

  it('delivers edits that waited for a co-therapist\'s missing ones to everyone, the sender included', async () => {
    // After a crash, a client may send edits built on a co-therapist's edits the server never
    // stored. They wait until the co-therapist sends those again; then both must reach everyone.
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    const byA = new Y.Doc();
    Y.applyUpdate(byA, Y.encodeStateAsUpdate(a.doc));
    const start = Y.encodeStateVector(byA);
    appendParagraph(byA, 'A wrote this before the crash');
    const byB = new Y.Doc();
    Y.applyUpdate(byB, Y.encodeStateAsUpdate(byA));
    appendParagraph(byB, 'B answered it');

    const b = await openRaw(server.baseUrl, sessionId, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    const answered = new Promise<void>((resolve) =>
      b.ws.on('message', (data: Buffer) => {
        const d = decoding.createDecoder(new Uint8Array(data));
        if (decoding.readVarUint(d) === MessageType.Sync && decoding.readVarUint(d) === syncProtocol.messageYjsSyncStep2) resolve();
      }),
    );
    b.ws.send(updateFrame(Y.encodeStateAsUpdate(byB, Y.encodeStateVector(byA))));
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, MessageType.Sync);
    syncProtocol.writeSyncStep1(step1, new Y.Doc());
    b.ws.send(encoding.toUint8Array(step1));
    await answered;
    expect(a.text()).not.toContain('B answered it');

    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(byA, start));
    await expect.poll(() => a.text()).toContain('B answered it');
    await expect.poll(() => a.isSaved()).toBe(true);
    const bindings = await server.store.bindings.forSession(sessionId);
    expect(bindings.get(byA.clientID)).toBe(clinic.a.id);
    expect(bindings.get(byB.clientID)).toBe(clinic.b.id);
  });

  it('merges a client that edited offline with edits made meanwhile', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    a.provider.disconnect();
    appendParagraph(a.doc, 'written while offline');
    appendParagraph(b.doc, 'written online meanwhile');
    await expect.poll(() => b.isSaved()).toBe(true);
    a.provider.connect();
    await expect.poll(() => a.text()).toContain('written online meanwhile');
    await expect.poll(() => b.text()).toContain('written while offline');
    await expect.poll(() => a.isSaved()).toBe(true);
    expect(a.text()).toBe(b.text());
  });
});
