import { describe, expect, it } from 'vitest';
import { awarenessStatesOf } from '../helpers/awareness';
import { createClinic, createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { startTestServer } from '../helpers/startTestServer';

describe('live sync between co-therapists', async () => {
  const server = await startTestServer();
  const clinic = await createClinic(server.baseUrl);

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
    a.provider.awareness.setLocalStateField('cursor', { anchor: 1, head: 3 });
    await expect.poll(() => awarenessStatesOf(b).find((s) => s.user?.accountId === clinic.a.id)?.cursor).toEqual({ anchor: 1, head: 3 });
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
