/**
 * A comment edited after others answered it: the exports showed the new words under the time it was
 * first written, with nothing saying it was edited (attack, 6 Dec). The supervisor's "Good catch"
 * became "You missed the risk indicators" under the first time, and the therapist's reply "Thanks,
 * agreed" read as agreeing to it. The label now dates the edit, as the review page does.
 */
import { extractText } from 'unpdf';
import { describe, expect, it } from 'vitest';
import type { CommentView } from '../../shared/domain/review';
import { expectStatus, type Person } from '../helpers/api';
import { lineToComment } from '../helpers/desk';
import { startClinic } from '../helpers/clinic';

describe('an edited comment in the exports', async () => {
  const { server, clinic } = await startClinic();
  const download = async (who: Person, path: string) => Buffer.from(await (await fetch(server.baseUrl + path, { headers: { cookie: who.api.cookie! } })).arrayBuffer());
  const labels = (md: string) => [...md.matchAll(/<kbd>(.*?)<\/kbd>/g)].map((m) => m[1]!);

  it('dates the edit of a comment and of a reply in the label, and leaves unedited ones without', async () => {
    const { id, comment } = await lineToComment(server.baseUrl, clinic, 'M1 was quiet today');
    const root = await comment('Good catch');
    const reply = await expectStatus(clinic.a.api.post<CommentView>(`/api/sessions/${id}/comments`, { parentId: root.id, body: 'Thanks, agreed' }), 201, 'reply');
    await expectStatus(clinic.b.api.post<CommentView>(`/api/sessions/${id}/comments`, { parentId: root.id, body: 'Noted' }), 201, 'reply by B');
    await expectStatus(clinic.supervisor.api.patch(`/api/sessions/${id}/comments/${root.id}`, { body: 'You missed the risk indicators' }), 200, 'edit comment');
    await expectStatus(clinic.a.api.patch(`/api/sessions/${id}/comments/${reply.id}`, { body: 'Thanks, agreed; see addendum' }), 200, 'edit reply');

    const md = (await download(clinic.supervisor, `/api/sessions/${id}/export.md`)).toString('utf8');
    const heads = labels(md).filter((l) => [clinic.supervisor.name, clinic.a.name, clinic.b.name].some((n) => l.startsWith(`${n}, `)));
    expect(heads.filter((l) => l.startsWith(`${clinic.supervisor.name}, `))).toEqual([expect.stringMatching(/, edited \d{4}-\d{2}-\d{2} \d{2}:\d{2}/)]);
    expect(heads.filter((l) => l.startsWith(`${clinic.a.name}, `) && !l.includes('after the start'))).toEqual([expect.stringMatching(/, edited /)]);
    expect(heads.filter((l) => l.startsWith(`${clinic.b.name}, `)).every((l) => !l.includes('edited'))).toBe(true);

    const { text } = await extractText(new Uint8Array(await download(clinic.supervisor, `/api/sessions/${id}/export.pdf`)), { mergePages: true });
    expect(text.match(/edited \d{4}-\d{2}-\d{2}/g)).toHaveLength(2);
  });
});
