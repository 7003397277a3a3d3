import { expect, it } from 'vitest';
import type { CommentView } from '../../shared/domain/review';
import { ApiClient, createClinic, createSession, expectStatus } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { openLiveStream } from '../helpers/liveStream';
import { tagSpan } from '../helpers/noteOps';
import type { ServerProcess } from '../helpers/startTestServer';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { startCluster } from './cluster';

describeWith([Postgres, Redis], 'live comment threads across server processes', async () => {
  const cluster = await startCluster(2);
  const [p1, p2] = cluster.servers as [ServerProcess, ServerProcess];
  const clinic = await createClinic(p1.baseUrl);

  it('tells a page open on the other process of a comment and its notice, and nobody else', async () => {
    const sessionId = await createSession(clinic);
    await clinic.a.api.post(`/api/sessions/${sessionId}/start`);
    const writer = connectClient(p1.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => writer.provider.synced).toBe(true);
    appendParagraph(writer.doc, 'M1 laughed at school');
    const obs = tagSpan(writer.doc, 'laughed', { authorId: clinic.a.id, tags: ['affect'] });
    await expect.poll(() => writer.isSaved()).toBe(true);

    const onP2 = (cookie: string | null) => Object.assign(new ApiClient(p2.baseUrl), { cookie });
    const bPage = openLiveStream(onP2(clinic.b.api.cookie));
    const outsiderPage = openLiveStream(onP2(clinic.outsider.api.cookie));
    await expect.poll(() => bPage.open() && outsiderPage.open()).toBe(true);
    await expectStatus(
      clinic.supervisor.api.post<CommentView>(`/api/sessions/${sessionId}/comments`, { anchor: { type: 'observation', observationId: obs.id }, body: 'Say more?' }),
      201,
      'comment on p1',
    );
    await expect.poll(() => bPage.events).toContainEqual({ type: 'comments', sessionId });
    await expect.poll(() => bPage.events).toContainEqual({ type: 'notices' });
    expect(outsiderPage.events).toEqual([]);
  });
  it('tells every open page, on both processes, that the codebook changed (a renamed tag showed its old name: walk, 4 Dec)', async () => {
    const tag = await expectStatus(clinic.admin.api.post<{ id: string }>('/api/tags', { name: 'Shame', color: '#8a4b08', description: '' }), 201, 'new tag');
    const onP2 = Object.assign(new ApiClient(p2.baseUrl), { cookie: clinic.b.api.cookie });
    const pages = [openLiveStream(clinic.a.api), openLiveStream(onP2)];
    await expect.poll(() => pages.every((p) => p.open())).toBe(true);
    await expectStatus(clinic.admin.api.patch(`/api/tags/${tag.id}`, { name: 'Shame / guilt' }), 200, 'rename on p1');
    for (const page of pages) await expect.poll(() => page.events).toContainEqual({ type: 'codebook' });
  });
});
