/**
 * A label taken off after the end while an observation naming it came in (attack, 7 Dec): the
 * removal judged the stored note (M2 named nowhere), A's observation of M2 arrived before the
 * removal was stored, the write gate took it on the labels the note still held, and the removal
 * answered 200: the note named a member the group no longer had. The store here holds the
 * removal's commit until the observation has had its answer, so the window is always open.
 */
import { describe, expect, it } from 'vitest';
import { createClinic, createSession, expectStatus } from '../helpers/api';
import { startTestServer } from '../helpers/startTestServer';
import { connectClient } from '../helpers/connectClient';
import { tagLine } from '../helpers/noteOps';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import type { Store } from '../../server/persistence/ports';

describe('a label leaving while an observation names it', async () => {
  let hold: { reached: () => void; released: Promise<void> } | null = null;
  const holdingLabelCommits = (store: Store): Store => {
    const commit = store.commit.bind(store);
    store.commit = async (writes) => {
      const h = hold;
      if (h && writes.some((w) => w.kind === 'session' && 'groupMembers' in w.patch)) {
        hold = null;
        h.reached();
        await h.released;
      }
      return commit(writes);
    };
    return store;
  };
  const server = await startTestServer({ decorateStore: holdingLabelCommits });
  const clinic = await createClinic(server.baseUrl);
  const { a, b } = clinic;
  const labelsTo = (id: string, labels: string[]) => b.api.request('PUT', `/api/sessions/${id}/group-members`, { labels });

  it('refuses the observation once the removal is being judged, and the note does not name the label gone', async () => {
    const id = await createSession(clinic);
    await expectStatus(labelsTo(id, ['M1']), 200, 'labels');
    await expectStatus(a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    await expectStatus(a.api.post(`/api/sessions/${id}/end`, {}), 200, 'end');
    await expectStatus(labelsTo(id, ['M1', 'M2']), 200, 'M2 added late, named nowhere');
    const page = connectClient(server.baseUrl, id, a.api.cookie);
    await expect.poll(() => page.provider.synced, { timeout: 10_000 }).toBe(true);

    let release!: () => void;
    const atCommit = new Promise<void>((reached) => (hold = { reached, released: new Promise<void>((r) => (release = r)) }));
    const removal = labelsTo(id, ['M1']);
    await atCommit;
    tagLine(page.doc, 'M2', ' went quiet', { authorId: a.id, tags: ['nonverbal'], member: 'M2' });
    await expect.poll(() => page.isSaved() || page.notices.some((n) => n.type === 'refused'), { timeout: 10_000 }).toBe(true);
    release();
    expect((await removal).status).toBe(200);
    page.destroy();

    const reader = connectClient(server.baseUrl, id, b.api.cookie);
    await expect.poll(() => reader.provider.synced, { timeout: 10_000 }).toBe(true);
    const named = [...sessionDoc(reader.doc).observations.values()].filter((o) => o.member === 'M2').length;
    reader.destroy();
    const labels = (await expectStatus(a.api.get<{ groupMembers: string[] }>(`/api/sessions/${id}`), 200, 'session')).groupMembers;
    expect({ labels, named }).toEqual({ labels: ['M1'], named: 0 });
  });

  it('takes observations of a label again once its removal was refused', async () => {
    const id = await createSession(clinic);
    await expectStatus(labelsTo(id, ['M1', 'M2']), 200, 'labels');
    await expectStatus(a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    await expectStatus(a.api.post(`/api/sessions/${id}/end`, { attendance: { M2: 'absent' } }), 200, 'end');
    const page = connectClient(server.baseUrl, id, a.api.cookie);
    await expect.poll(() => page.provider.synced, { timeout: 10_000 }).toBe(true);
    expect((await labelsTo(id, ['M1'])).status).toBe(409);
    tagLine(page.doc, 'M2', ' phoned in later', { authorId: a.id, tags: ['follow-up'], member: 'M2' });
    await expect.poll(() => page.isSaved(), { timeout: 10_000 }).toBe(true);
    expect(page.notices.filter((n) => n.type === 'refused')).toEqual([]);
    page.destroy();
  });
});
