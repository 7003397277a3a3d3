/**
 * The live event stream (`/api/events`) a page holds open checks at each event and heartbeat that
 * its login still holds. That check counted as use (attack, 6 Dec): every heartbeat and event
 * refreshed the login's idle clock, so a tab left open on a session kept its login alive, and its
 * stream and cookie working, until the absolute timeout; so did the page's own polls. Being told of
 * changes is not use, nor is asking for them; typing and requests a person makes are.
 */
import { describe, expect, it } from 'vitest';
import { createClinic, expectStatus } from '../helpers/api';
import { BACKGROUND_HEADER } from '../../shared/protocol/background';
import { lineToComment } from '../helpers/desk';
import { openLiveStream } from '../helpers/liveStream';
import { startTestServer } from '../helpers/startTestServer';

/** Above the 5 s between stored touches of a login (auth/logins.ts), so that a refresh would show. */
const IDLE_MINUTES = 0.15;
const IDLE_MS = IDLE_MINUTES * 60_000;
/** How often the stream is sent an event (and a marked poll made) while a case watches. */
const EVENT_EVERY_MS = 250;

describe('the live event stream and the idle timeout', async () => {
  const server = await startTestServer({ env: { TANDEM_IDLE_TIMEOUT_MINUTES: String(IDLE_MINUTES) } });

  /** A fresh clinic's session with a supervisor's comment on its line; A has been idle since. */
  async function watched() {
    const clinic = await createClinic(server.baseUrl);
    const { id, comment: post } = await lineToComment(server.baseUrl, clinic, 'M1 was quiet today');
    const comment = await post('Why quiet?');
    const stream = openLiveStream(clinic.a.api);
    await expect.poll(() => stream.open()).toBe(true);
    /**
     * Until `ms` have passed, the supervisor reads the thread again and again: each read is an event
     * on A's stream. Paced at one every EVENT_EVERY_MS, well inside the 5 s between stored touches,
     * so every touch an event could make still falls in the window; back to back, the eight cases
     * made 52.7 + 11.3 CPU-s of requests and events (the suite's longest file, 82 s).
     */
    const eventsFor = async (ms: number, alongside: () => Promise<unknown> = async () => undefined) => {
      const until = Date.now() + ms;
      while (Date.now() < until && stream.open()) {
        const seen = stream.events.length;
        const paced = new Promise((resolve) => setTimeout(resolve, EVENT_EVERY_MS));
        await expectStatus(clinic.supervisor.api.post(`/api/sessions/${id}/comments/${comment.id}/read`), 204, 'thread read');
        await alongside();
        await expect.poll(() => stream.events.length > seen || !stream.open()).toBe(true);
        await paced;
      }
    };
    return { clinic, id, stream, eventsFor };
  }

  it('ends a login whose only activity is its open stream, and the stream with it', async () => {
    const { clinic, stream, eventsFor } = await watched();
    await eventsFor(2 * IDLE_MS);
    expect((await clinic.a.api.get('/api/me')).status).toBe(401);
    await expect.poll(() => stream.ended()).toBe(true);
  });

  it('keeps the stream of a login in use open past the idle timeout', async () => {
    const { clinic, stream, eventsFor } = await watched();
    // The person works meanwhile (each request is use): the stream goes on.
    await eventsFor(2 * IDLE_MS, () => expectStatus(clinic.a.api.get('/api/me'), 200, 'me'));
    expect(stream.open()).toBe(true);
  });

  // A page's own polls (the access list every 30 s, the sign check while the note awaits signatures;
  // the note page's signed record and digest, a blind session's Reveal poll) refreshed the idle clock
  // too: a page left open kept its login.
  it.each(['access', 'sign-check', 'review?page=note', 'verify', 'blind', 'blind/observations'])('does not count the page’s marked polls of %s as use', async (path) => {
    const { clinic, id, stream, eventsFor } = await watched();
    const poll = () => clinic.a.api.request('GET', `/api/sessions/${id}/${path}`, undefined, { [BACKGROUND_HEADER]: '1' });
    await eventsFor(2 * IDLE_MS, poll);
    expect((await poll()).status).toBe(401);
    expect((await clinic.a.api.get('/api/me')).status).toBe(401);
    await expect.poll(() => stream.ended()).toBe(true);
  });
});
