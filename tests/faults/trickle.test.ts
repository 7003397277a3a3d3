import { expect, it } from 'vitest';
import { createSession } from '../helpers/api';
import { connectClient } from '../helpers/connectClient';
import { healthOf } from '../helpers/health';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { isRunning, lastWords } from '../helpers/startTestServer';
import { missingLines, storedNoteText, typeSteadily } from '../scaleout/cluster';
import { proxiedProcess } from './proxied';

// Operator fault test, 6 Dec: a link that delivers one byte at a time (every protocol message split
// at every byte, both ways). Tried on PostgreSQL: held, no change. (On Redis the run was not
// conclusive: see docs/reliability.md.)
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
});
