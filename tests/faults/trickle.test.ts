import { expect, it } from 'vitest';
import { createSession } from '../helpers/api';
import { connectClient } from '../helpers/connectClient';
import { healthOf } from '../helpers/health';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { isRunning, lastWords } from '../helpers/startTestServer';
import { missingLines, storedNoteText, typeSteadily } from '../scaleout/cluster';
import { proxiedProcess } from './proxied';
import { sharing, twoTypingTherapists } from './redisTyping';

// Operator fault test, 6 Dec: a link that delivers one byte at a time (every protocol message split
// at every byte, both ways). Tried on PostgreSQL: held, no change. On Redis the run was not
// conclusive (docs/reliability.md); run again 6 Dec (below): held, no change.
describeWith([Postgres, Redis], 'A link that delivers its bytes one at a time', () => {
  it('PostgreSQL: every line typed is saved and stored, logins and /healthz answer', async () => {
    const { p1, proxy, clinic, databaseUrl } = await proxiedProcess('databaseUrl');
    proxy.trickle();
    const sessionId = await createSession(clinic);
    const a = connectClient(p1.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced, { timeout: 60_000 }).toBe(true);
    const typing = typeSteadily(a, 'a', 100);
    await expect.poll(() => typing.typed.length, { timeout: 60_000 }).toBeGreaterThan(30);
    typing.stop();
    await expect.poll(() => a.isSaved(), { timeout: 120_000, message: lastWords([p1]) }).toBe(true);
    expect(missingLines(typing.typed, await storedNoteText(databaseUrl, sessionId))).toEqual([]);
    expect((await clinic.b.api.get('/api/sessions')).status).toBe(200);
    expect(await healthOf(p1.baseUrl)).toMatchObject({ store: 'up' });
    proxy.heal();
    expect(isRunning(p1)).toBe(true);
  }, 240_000);

  // Attack, 6 Dec: under load the trickle can hold a PING past its 2 s timeout: an outage, told to
  // A's page; each recovery's catch-up brought the next (redisRelapse.test.ts has the kind).
  it('Redis, one process\'s links: whatever pages are told meanwhile, they are told "back" once it heals, and nothing is lost', async () => {
    const t = await twoTypingTherapists();
    t.proxy.trickle();
    const from = t.typedCount();
    // Several hundred lines each way through the trickle (at 40 and 50 ms a line, about 20 s).
    await expect.poll(() => t.typedCount(), { timeout: 120_000 }).toBeGreaterThan(from + 300);
    const told = sharing(t.a).filter(Boolean).length;
    t.proxy.heal();
    for (const page of [t.a, t.b]) await expect.poll(() => sharing(page).at(-1) ?? false, { timeout: 60_000, message: lastWords([t.p1, t.p2]) }).toBe(false);
    for (const p of [t.p1, t.p2]) await expect.poll(() => healthOf(p.baseUrl), { timeout: 60_000 }).toMatchObject({ status: 200, redis: 'up' });
    await t.hearEachOther('after the trickle');
    await t.converged();
    console.info(`[figures] Redis trickle: A's page told "interrupted" ${told} times in ${t.typedCount() - from} lines each`);
  }, 240_000);
});
