/**
 * The server owns time: a risk record's "last saved" time is when the server received it (its
 * receipt stamp), never the `at` its writer's device put in it. The group note's review said so,
 * but the member note derived from it at the end carried the record without its stamp, and its
 * review and Markdown export showed the device's time: B's raw socket saved M1's risk record
 * claiming 1 Jan 2020, and M1's member note read "last saved by B, 1 Jan 2020" (attack, 6 Dec).
 */
import { describe, expect, it } from 'vitest';
import type { ReviewView } from '../../shared/domain/review';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { connectClient, liveGroupWithLine } from '../helpers/connectClient';

const CLAIMED = Date.UTC(2020, 0, 1, 9, 0, 0);

describe('a member note’s risk record', async () => {
  const { server, clinic } = await startClinic();

  it('shows when the server received it, not the time its writer’s device claimed', async () => {
    const { id, a } = await liveGroupWithLine(server.baseUrl, clinic, 'M1 said she does not feel safe at home.');
    const b = connectClient(server.baseUrl, id, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced).toBe(true);
    const before = Date.now();
    sessionDoc(b.doc).risk.set('M1', { assessment: 'Low; no plan or intent.', plan: 'Call the crisis line if it changes.', by: clinic.b.id, at: CLAIMED });
    await expect.poll(() => b.isSaved()).toBe(true);
    a.destroy();
    b.destroy();

    const groupReview = await expectStatus(clinic.a.api.get<ReviewView>(`/api/sessions/${id}/review`), 200, 'group review');
    expect(Date.parse(groupReview.risk.find((r) => r.member === 'M1')!.at)).toBeGreaterThanOrEqual(before);

    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    const entry = await expectStatus(clinic.a.api.get<{ noteSessionId: string | null }>(`/api/sessions/${id}/member-notes/M1`), 200, 'member note');
    const noteId = entry.noteSessionId!;
    const review = await expectStatus(clinic.a.api.get<ReviewView>(`/api/sessions/${noteId}/review`), 200, 'member note review');
    const risk = review.risk.find((r) => r.member === 'M1')!;
    expect(risk).toMatchObject({ by: clinic.b.id, assessment: 'Low; no plan or intent.' });
    expect(Date.parse(risk.at)).toBeGreaterThanOrEqual(before);

    const md = await fetch(`${server.baseUrl}/api/sessions/${noteId}/export.md`, { headers: { cookie: clinic.a.api.cookie! } });
    expect(md.status).toBe(200);
    expect(await md.text()).not.toMatch(/2020/);
  });
});
