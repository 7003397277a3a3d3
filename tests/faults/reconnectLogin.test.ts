import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { createClinic, createSession, expectStatus, type Clinic, type Person } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { deferCleanup } from '../helpers/services';
import { startTestServer } from '../helpers/startTestServer';

/** Three seconds; the server checks open sockets' logins every quarter of it. */
const IDLE_MINUTES = 0.05;
const IDLE_MS = IDLE_MINUTES * 60_000;

/**
 * A clinic made on a server whose logins end 3 s after they begin (a request touches a login only
 * once it is 5 s old): on a starved machine the admin's login ended before the fourth account was
 * made (401). Each attempt logs the admin in anew; any other failure is the test's.
 */
async function clinicOn(baseUrl: string): Promise<Clinic> {
  for (;;) {
    try {
      return await createClinic(baseUrl);
    } catch (err) {
      if (!/got 401/.test(String(err))) throw err;
    }
  }
}

/** Logs `person` in anew, so the 3 s start now (their login from the clinic's making may be over). */
async function logInAgain(person: Person): Promise<void> {
  await expectStatus(person.api.post('/api/auth/login', { email: person.email, password: person.password }), 200, `login ${person.name}`);
}

describe('idle logoff for a therapist whose client keeps reconnecting', async () => {
  const server = await startTestServer({ env: { TANDEM_IDLE_TIMEOUT_MINUTES: String(IDLE_MINUTES) } });
  const clinic = await clinicOn(server.baseUrl);

  it('ends a login that is only reconnected, never used', async () => {
    await logInAgain(clinic.a);
    const sessionId = await createSession(clinic);
    await logInAgain(clinic.a);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    // Like the browser client: presence announced anew after every reconnect (a new awareness clock).
    const awareness = a.provider.awareness;
    a.provider.on('sync', (synced) => {
      if (synced) awareness.setLocalState({ ...awareness.getLocalState(), cursor: null });
    });
    await expect.poll(() => a.provider.synced).toBe(true);
    // The server closes A's socket every second (as a flaky network would) and A comes back each time.
    const churn = setInterval(() => {
      server.collab.closeWhere((c) => c.principal.accountId === clinic.a.id, CloseCode.AccessChanged, 'network blip');
    }, 1_000);
    deferCleanup(() => clearInterval(churn));
    // Asking does not extend it: a request touches a login only once it is 5 s old, past this timeout.
    await expect.poll(async () => (await clinic.a.api.get('/api/me')).status, { timeout: 40_000 }).toBe(401);
    expect(a.closes.filter((c) => c.code === CloseCode.AccessChanged).length).toBeGreaterThan(1);
    await expect.poll(() => server.collab.connections((c) => c.principal.accountId === clinic.a.id).length).toBe(0);
  }, 60_000);

  it('keeps the login of a therapist who types', async () => {
    const fresh = await clinicOn(server.baseUrl);
    await logInAgain(fresh.a);
    const sessionId = await createSession(fresh);
    await logInAgain(fresh.b);
    const b = connectClient(server.baseUrl, sessionId, fresh.b.api.cookie);
    await expect.poll(() => b.provider.synced).toBe(true);
    const typing = setInterval(() => appendParagraph(b.doc, 'still here'), 300);
    deferCleanup(() => clearInterval(typing));
    // Twice the idle timeout: without typing counting as use, the login would have ended by now.
    const until = Date.now() + 2 * IDLE_MS;
    await expect.poll(() => Date.now() > until, { timeout: 4 * IDLE_MS }).toBe(true);
    clearInterval(typing);
    expect(b.closes.some((c) => c.code === CloseCode.Unauthorized)).toBe(false);
    expect((await fresh.b.api.get('/api/me')).status).toBe(200);
  }, 60_000);
});
