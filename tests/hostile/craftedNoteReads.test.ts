/**
 * A note a member crafted to be costly to read (one paragraph of tens of thousands of formatting
 * runs: every run a Yjs item and a format item) is accepted, as any long note is. Reading it
 * whole (review, replay, export, digest, concordance, the risk gate) took seconds on the event
 * loop: five reviews at once kept `/healthz` waiting 12.7 s (attack, 2 Dec). Each such read now
 * runs on the note-reading thread, and the server keeps answering while it does.
 */
import { describe, expect, it } from 'vitest';
import { READINGS_PER_ACCOUNT } from '../../server/review/readingAdmission';
import { createSession, type ApiResponse } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { formattedRuns } from '../helpers/craft';
import { healthOf } from '../helpers/health';

/** Formatting runs in the crafted paragraph: enough that reading it takes a core for about half a second here. */
const RUNS = 40_000;

/**
 * Health checks the server answers, one after another, while the reading is made: a count, not a
 * time. Made on the event loop, a reading let 1 to 10 be answered around it; made off it, from 89
 * (the risk gate, the quickest reading, on a loaded machine, 3 Dec) to 2,800.
 */
const ANSWERED_MEANWHILE = 30;

describe('reading a crafted note whole', async () => {
  const { server, clinic } = await startClinic();
  const id = await createSession(clinic);
  await server.store.docs.append(id, [{ at: Date.now(), accountId: clinic.a.id, data: formattedRuns(RUNS) }]);

  /**
   * Asks `/healthz` one request after another until all of `reads` have answered, or until
   * ANSWERED_MEANWHILE have been (more proves nothing more, and each costs both sides CPU the
   * reading needs); how many it answered meanwhile.
   */
  async function answeredDuring(reads: Promise<ApiResponse>[]): Promise<{ responses: ApiResponse[]; answered: number }> {
    let settled = false;
    const all = Promise.all(reads).finally(() => (settled = true));
    let answered = 0;
    while (!settled && answered < ANSWERED_MEANWHILE) if ((await healthOf(server.baseUrl)).status === 200) answered++;
    return { responses: await all, answered };
  }

  it.each([
    ['the review', `/api/sessions/${id}/review`],
    ['the replay', `/api/sessions/${id}/replay?at=${Date.now() + 60_000}`],
    ['the Markdown export', `/api/sessions/${id}/export.md`],
    ['the concordance', `/api/sessions/${id}/concordance`],
    ['the digest check', `/api/sessions/${id}/verify`],
    ['the risk gate', `/api/sessions/${id}/sign-check`],
  ])('%s is made while the server goes on answering', async (_what, path) => {
    const { responses, answered } = await answeredDuring([clinic.supervisor.api.get(path)]);
    expect(responses[0]!.status).toBe(200);
    // Read on the event loop, it held every other request until it was done.
    expect(answered).toBeGreaterThanOrEqual(ANSWERED_MEANWHILE);
  });

  it(`${READINGS_PER_ACCOUNT + 2} reviews at once from one member: ${READINGS_PER_ACCOUNT} are made, the rest refused`, async () => {
    // A shorter crafted note: each review still takes long enough that all of them overlap.
    const shorter = await createSession(clinic);
    await server.store.docs.append(shorter, [{ at: Date.now(), accountId: clinic.a.id, data: formattedRuns(RUNS / 4) }]);
    const responses = await Promise.all(Array.from({ length: READINGS_PER_ACCOUNT + 2 }, () => clinic.b.api.get(`/api/sessions/${shorter}/review`)));
    expect(responses.map((r) => r.status).sort()).toEqual([...Array<number>(READINGS_PER_ACCOUNT).fill(200), 429, 429]);
    expect(responses.find((r) => r.status === 429)?.body).toMatchObject({ error: { code: 'reading_busy' } });
    for (const response of responses.filter((r) => r.status === 200)) {
      const review = response.body as { blocks: { runs: { text: string }[] }[] };
      expect(review.blocks.map((b) => b.runs.map((r) => r.text).join('')).join('\n')).toContain('ab'.repeat(RUNS / 4));
    }
  });
});
