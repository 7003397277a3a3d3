/**
 * A reply belongs to its comment thread. Replies sent by hand to a reply (the page only ever replies
 * to a thread) were in no thread (attack, 6 Dec): the review page, the thread's size and its notices
 * left them out, while the Markdown export nested them under the reply, so a therapist's words stood
 * in the exported record that the supervisor never saw on the review page.
 */
import { describe, expect, it } from 'vitest';
import type { CommentView } from '../../shared/domain/review';
import type { ThreadView } from '../../shared/domain/supervisor';
import { expectStatus } from '../helpers/api';
import { lineToComment } from '../helpers/desk';
import { startClinic } from '../helpers/clinic';

describe('a reply to a reply', async () => {
  const { server, clinic } = await startClinic();

  /** A session with the supervisor's comment on its line and A's reply to it. */
  async function thread() {
    const { id, comment } = await lineToComment(server.baseUrl, clinic, 'M1 was quiet today');
    const root = await comment('Why quiet?');
    const reply = await expectStatus(clinic.a.api.post<CommentView>(`/api/sessions/${id}/comments`, { parentId: root.id, body: 'She had a hard week' }), 201, 'reply');
    return { id, root, reply };
  }

  it('joins the thread of the comment it answers, counted and shown there', async () => {
    const { id, root, reply } = await thread();
    for (const [who, words] of [[clinic.b, 'I saw it too'], [clinic.supervisor, 'Thanks, noted']] as const) {
      const made = await expectStatus(who.api.post<CommentView>(`/api/sessions/${id}/comments`, { parentId: reply.id, body: words }), 201, `reply by ${who.name}`);
      expect(made.parentId).toBe(root.id);
    }
    const comments = (await clinic.supervisor.api.get<CommentView[]>(`/api/sessions/${id}/comments`)).body;
    expect(comments.filter((c) => c.parentId === root.id).map((c) => c.body)).toEqual(['She had a hard week', 'I saw it too', 'Thanks, noted']);
    const threads = (await clinic.supervisor.api.get<ThreadView[]>(`/api/sessions/${id}/threads`)).body;
    expect(threads.find((t) => t.rootId === root.id)?.size).toBe(4);
  });

  it('is refused when the thread’s comment was deleted, as a reply to it is', async () => {
    const { id, root, reply } = await thread();
    await expectStatus(clinic.supervisor.api.delete(`/api/sessions/${id}/comments/${root.id}`), 204, 'delete root');
    const res = await clinic.b.api.post(`/api/sessions/${id}/comments`, { parentId: reply.id, body: 'Still here' });
    expect(res.status).toBe(404);
    expect((await clinic.b.api.get<CommentView[]>(`/api/sessions/${id}/comments`)).body.map((c) => c.body)).not.toContain('Still here');
  });
});
