import { describe, expect, it } from 'vitest';
import { createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { metricValue } from '../helpers/metrics';
import { refuseWrites } from '../helpers/refuseWrites';
import { startClinic } from '../helpers/clinic';

/** Status and error code of a request, or 0 when it was not answered within `withinMs`. */
async function answer(url: string, cookie: string | null, withinMs = 30_000): Promise<{ status: number; code?: string }> {
  try {
    const res = await fetch(url, { headers: cookie ? { cookie } : {}, signal: AbortSignal.timeout(withinMs) });
    const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
    return { status: res.status, code: body.error?.code };
  } catch {
    return { status: 0 };
  }
}

describe('reading a note whose edits storage refuses (full disk, PostgreSQL down)', async () => {
  const { server, clinic } = await startClinic();

  // Operator fault test, 6 Dec: with the note's writes refused, the review, the exports and the
  // sign check waited for the note to be stored, that is for the whole outage (the page spun).
  it('answers 503 storage_unavailable at once instead of waiting for the outage to end, and reads it once stored', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, 'before the outage');
    await expect.poll(() => a.isSaved()).toBe(true);
    const restore = refuseWrites(server.dataDir, ['note']);
    appendParagraph(a.doc, 'written during the outage');
    await expect.poll(() => a.notices.some((n) => n.type === 'save-failed')).toBe(true);
    const review = `${server.baseUrl}/api/sessions/${sessionId}/review`;
    const supervisor = clinic.supervisor.api.cookie;
    expect(await answer(review, supervisor)).toEqual({ status: 503, code: 'storage_unavailable' });
    expect(await answer(`${server.baseUrl}/api/sessions/${sessionId}/export.md`, supervisor)).toEqual({ status: 503, code: 'storage_unavailable' });
    // A page asking again and again does not make the note's writes retry sooner than their backoff.
    const failedBefore = await metricValue(server.baseUrl, 'tandem_store_writes_failed_total');
    for (let i = 0; i < 12; i++) expect(await answer(review, supervisor)).toEqual({ status: 503, code: 'storage_unavailable' });
    expect(await metricValue(server.baseUrl, 'tandem_store_writes_failed_total')).toBeLessThan(failedBefore + 12);
    restore();
    await expect.poll(() => a.isSaved(), { timeout: 30_000 }).toBe(true);
    expect(await answer(review, supervisor)).toMatchObject({ status: 200 });
  });
});
