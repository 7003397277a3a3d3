import { expect, it } from 'vitest';
import { createClinic, createSession } from '../helpers/api';
import type { ServerProcess } from '../helpers/startTestServer';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { connectClient } from '../helpers/connectClient';
import { missingLines, startBalancer, startCluster, storedNoteText, typeSteadily } from './cluster';

describeWith([Postgres, Redis], 'a server process killed with SIGKILL while a therapist types', () => {
  it('moves the client to the other process: every edit confirmed as saved is stored, and both clients converge', async () => {
    const cluster = await startCluster(2);
    const [p1, p2] = cluster.servers as [ServerProcess, ServerProcess];
    // Behind one address, as behind any load balancer: new connections go to p1 while it lives.
    const balancer = await startBalancer([p1.port, p2.port]);
    const clinic = await createClinic(balancer.baseUrl);
    const sessionId = await createSession(clinic);
    const a = connectClient(balancer.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);

    const typing = typeSteadily(a, 'line');
    await expect.poll(() => typing.confirmed.size, { timeout: 10_000 }).toBeGreaterThan(20);
    await p1.kill('SIGKILL');
    const confirmedBeforeKill = Array.from(typing.confirmed);
    const typedBeforeKill = typing.typed.length;

    // Nothing a client was told is saved may be missing, whichever process told it.
    expect(missingLines(confirmedBeforeKill, await storedNoteText(cluster.databaseUrl, sessionId))).toEqual([]);

    // The provider reconnects through the balancer, to p2, and keeps typing there.
    await expect.poll(() => a.closes.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => a.provider.wsconnected && a.provider.synced, { timeout: 10_000 }).toBe(true);
    await expect.poll(() => typing.typed.length, { timeout: 5_000 }).toBeGreaterThan(typedBeforeKill + 20);
    typing.stop();

    await expect.poll(() => b.text() === a.text(), { timeout: 10_000 }).toBe(true);
    expect(missingLines(typing.typed, a.text())).toEqual([]);
    await expect.poll(() => a.isSaved(), { timeout: 10_000 }).toBe(true);
    const stored = await storedNoteText(cluster.databaseUrl, sessionId);
    expect(missingLines(typing.typed, stored)).toEqual([]);
    expect(stored).toBe(a.text());
  });
});
