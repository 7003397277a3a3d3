import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ReviewView } from '../../shared/domain/review';
import { createSession } from '../helpers/api';
import { connectClient } from '../helpers/connectClient';
import { readState, roundTrip } from '../helpers/craft';
import { appendPieces } from '../helpers/noteOps';
import { openRaw, updateFrame } from '../helpers/rawSocket';
import { startClinic } from '../helpers/clinic';

describe('member mentions in a group note', async () => {
  const { server, clinic } = await startClinic();

  async function group() {
    const sessionId = await createSession(clinic);
    expect((await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/group-members`, { labels: ['M1', 'M2', 'M3'] })).status).toBe(200);
    return sessionId;
  }

  const mentionsIn = (state: Uint8Array): string[] => {
    const { doc } = readState(state);
    const out: string[] = [];
    const walk = (el: Y.XmlFragment | Y.XmlElement) => el.toArray().forEach((c) => {
      if (c instanceof Y.XmlElement) {
        if (c.nodeName === 'mention') out.push(String(c.getAttribute('id')));
        walk(c);
      }
    });
    walk(doc.getXmlFragment('note'));
    return out;
  };

  it('stores a mention of a member as a node, and the review and export read it as @label', async () => {
    const sessionId = await group();
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendPieces(a.doc, ['Talked over ', { member: 'M2' }, ' twice']);
    await expect.poll(() => a.isSaved()).toBe(true);
    expect(a.notices.filter((n) => n.type === 'refused')).toEqual([]);
    const review = (await clinic.a.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body;
    const paragraph = review.blocks.find((b) => b.children.some((c) => c.type === 'mention'))!;
    expect(paragraph.children.map((c) => (c.type === 'mention' ? `@${String(c.attrs.id)}` : c.runs.map((r) => r.text).join('')))).toEqual(['Talked over ', '@M2', ' twice']);
    const md = (await clinic.a.api.get<string>(`/api/sessions/${sessionId}/export.md`)).body;
    expect(md).toContain('Talked over @M2 twice');
  });

  it('refuses a raw websocket mention of a label that is not a member of the group, and changes nothing', async () => {
    const sessionId = await group();
    const raw = await openRaw(server.baseUrl, sessionId, { cookie: clinic.a.api.cookie!, origin: server.baseUrl });
    await expect.poll(() => raw.notices.find((n) => n.type === 'access')).toMatchObject({ canWrite: true });
    const before = await roundTrip(raw);
    const forged = new Y.Doc();
    Y.applyUpdate(forged, before);
    const sv = Y.encodeStateVector(forged);
    appendPieces(forged, ['Said something to ', { member: 'ZZ' }]);
    raw.ws.send(updateFrame(Y.encodeStateAsUpdate(forged, sv)));
    await expect.poll(() => raw.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'unknown_member' });
    const after = await roundTrip(raw);
    expect(mentionsIn(after)).toEqual([]);
    expect(Y.encodeStateVector(readState(after).doc)).toEqual(Y.encodeStateVector(readState(before).doc));
    await expect.poll(async () => (await clinic.admin.api.get<{ action: string; actorId: string; detail: { code: string } }[]>(`/api/audit?sessionId=${sessionId}`)).body
      .filter((e) => e.action === 'write_refused').map((e) => [e.actorId, e.detail.code])).toEqual([[clinic.a.id, 'unknown_member']]);

    // A member's label goes through from a fresh copy.
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced).toBe(true);
    appendPieces(b.doc, ['Spoke with ', { member: 'M3' }]);
    await expect.poll(() => b.isSaved()).toBe(true);
    expect(mentionsIn(await roundTrip(raw))).toEqual(['M3']);
  });

  it('refuses a mention from the supervisor like any other write', async () => {
    const sessionId = await group();
    const raw = await openRaw(server.baseUrl, sessionId, { cookie: clinic.supervisor.api.cookie!, origin: server.baseUrl });
    await expect.poll(() => raw.notices.find((n) => n.type === 'access')).toMatchObject({ canWrite: false });
    const forged = new Y.Doc();
    appendPieces(forged, [{ member: 'M1' }]);
    raw.ws.send(updateFrame(Y.encodeStateAsUpdate(forged)));
    await expect.poll(() => raw.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'read_only' });
    expect(mentionsIn(await roundTrip(raw))).toEqual([]);
  });
});
