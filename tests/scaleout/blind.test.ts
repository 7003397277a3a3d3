import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { createClinic, createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { findText, tagSpan } from '../helpers/noteOps';
import type { ServerProcess } from '../helpers/startTestServer';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { startCluster } from './cluster';

describeWith([Postgres, Redis], 'blind mode across two server processes', async () => {
  const cluster = await startCluster(2);
  const [p1, p2] = cluster.servers as [ServerProcess, ServerProcess];
  const clinic = await createClinic(p1.baseUrl);

  it('a setting made on one process holds on the other at once, and so does the reveal', async () => {
    const sessionId = await createSession(clinic);
    expect((await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/group-members`, { labels: ['M1'] })).status).toBe(200);
    const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced).toBe(true);
    appendParagraph(b.doc, 'M1 went quiet');
    await expect.poll(() => b.isSaved()).toBe(true);

    // Set on p1: B's copy on p2 is told to reconnect, and p2 then refuses observations in the note.
    expect((await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/blind`, { enabled: true })).status).toBe(200);
    await expect.poll(() => b.closes.some((c) => c.code === CloseCode.AccessChanged)).toBe(true);
    await expect.poll(() => b.provider.synced && b.provider.wsconnected).toBe(true);
    tagSpan(b.doc, 'went quiet', { authorId: clinic.b.id, tags: ['affect'], member: 'M1' });
    await expect.poll(() => b.notices.some((n) => n.type === 'refused' && n.code === 'blind_private')).toBe(true);
    // The refused copy goes, as the page's reload drops it: kept, it offers its tag again at every
    // reconnect, and once the reveal lets it in, B2 below found two observations where the test
    // counts one, whenever B's reconnect came first (a loaded machine, 5 Dec).
    b.destroy();

    // Kept privately through p1, revealed through p1: the merged observation reaches a copy on p2,
    // and p2 takes observations in the note again.
    const watcher = connectClient(p2.baseUrl, sessionId, clinic.supervisor.api.cookie);
    await expect.poll(() => watcher.provider.synced).toBe(true);
    const { text, index } = findText(watcher.doc, 'went quiet');
    const at = (i: number, assoc: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, i, assoc))).toString('base64');
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/start`)).status).toBe(200);
    const mine = await clinic.b.api.post<{ id: string }>(`/api/sessions/${sessionId}/blind/observations`, { tags: ['affect'], member: 'M1', forCoTherapist: false, anchor: { kind: 'span', from: at(index, 0), to: at(index + 10, -1) } });
    expect(mine.status).toBe(201);
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/blind/reveal`)).status).toBe(202);
    expect((await clinic.b.api.post(`/api/sessions/${sessionId}/blind/reveal`)).status).toBe(200);
    await expect.poll(() => sessionDoc(watcher.doc).observations.get(mine.body.id)?.authorId).toBe(clinic.b.id);

    const b2 = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b2.provider.synced && sessionDoc(b2.doc).observations.size === 1).toBe(true);
    const after = tagSpan(b2.doc, 'M1', { authorId: clinic.b.id, tags: ['nonverbal'], member: 'M1' });
    await expect.poll(() => b2.isSaved()).toBe(true);
    expect(b2.notices.filter((n) => n.type === 'refused')).toEqual([]);
    const a = connectClient(p1.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => sessionDoc(a.doc).observations.get(after.id)?.authorId).toBe(clinic.b.id);
  });
});
