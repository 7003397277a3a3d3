import { expect, it } from 'vitest';
import { ApiClient, createClinic, createSession } from '../helpers/api';
import { connectClient } from '../helpers/connectClient';
import { startServerProcess } from '../helpers/startTestServer';
import { storedText } from '../helpers/storedNote';
import { seeded, startTyping } from '../helpers/typist';

// Ten in the suite (each restarts a server process: a third of a minute of a core per file for
// twenty); `npm run test:soak` runs a hundred.
const ROUNDS = Number(process.env.TANDEM_FAULT_ROUNDS ?? 10);
const SEED = Number(process.env.TANDEM_FAULT_SEED ?? 20261124);

/** Where a run keeps its data: a data dir, and for PostgreSQL a fresh schema's URL. */
export type Storage = () => Promise<{ dataDir: string; databaseUrl?: string }>;

/**
 * The kill -9 rounds (killRestart.test.ts on SQLite, killRestartPostgres.test.ts on PostgreSQL):
 * one file per store, so the two long runs (each restarts a server process once a round) go to the
 * suite's two workers side by side instead of one after the other in one file.
 */
export function killRounds(where: Storage): void {
  it(`loses no confirmed edit over ${ROUNDS} rounds, and both clients converge each time`, async () => {
    const random = seeded(SEED);
    const storage = await where();
    const env: Record<string, string> = storage.databaseUrl ? { DATABASE_URL: storage.databaseUrl } : {};
    let server = await startServerProcess({ dataDir: storage.dataDir, env });
    const port = server.port;
    const clinic = await createClinic(server.baseUrl);
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    const confirmed = new Set<string>();

    for (let round = 0; round < ROUNDS; round++) {
      await expect.poll(() => a.provider.synced && b.provider.synced, { timeout: 15_000, message: `round ${round}: clients did not reconnect` }).toBe(true);
      const ta = startTyping(a, `r${round}a`, 3);
      const tb = startTyping(b, `r${round}b`, 4);
      // Kill at a random moment of the typing (seeded, so a failure can be replayed).
      const killAfter = 50 + Math.floor(random() * 400);
      // A bound for a typist that stopped, not a pace: a starved machine ran 150 lines past 5 s.
      await expect.poll(() => ta.written.length * 3 >= killAfter, { timeout: 60_000, interval: 5 }).toBe(true);
      await server.kill('SIGKILL');
      ta.stop();
      tb.stop();
      for (const line of [...ta.confirmed, ...tb.confirmed]) confirmed.add(line);

      const onDisk = await storedText(storage, sessionId);
      const lost = [...ta.confirmed, ...tb.confirmed].filter((line) => !onDisk.split('\n').includes(line));
      expect(lost, `round ${round}: confirmed lines missing from storage`).toEqual([]);

      server = await startServerProcess({ dataDir: storage.dataDir, env, port });
      await expect
        .poll(() => a.isSaved() && b.isSaved() && a.text() === b.text(), { timeout: 15_000, message: `round ${round}: clients did not converge after restart` })
        .toBe(true)
        .catch((err: unknown) => {
          console.log(JSON.stringify({ a: a.isSaved(), b: b.isSaved(), same: a.text() === b.text(), an: a.notices.slice(-3), bn: b.notices.slice(-3), ac: a.closes.slice(-3), out: server.output.slice(-8) }));
          throw err;
        });
    }
    // Nothing either of them wrote is missing at the end, confirmed or not: the clients kept it.
    const finalText = a.text().split('\n');
    for (const line of confirmed) expect(finalText).toContain(line);
    const reader = new ApiClient(server.baseUrl);
    expect((await reader.post('/api/auth/login', { email: clinic.b.email, password: clinic.b.password })).status).toBe(200);
    const fresh = connectClient(server.baseUrl, sessionId, reader.cookie);
    await expect.poll(() => fresh.text() === a.text(), { timeout: 10_000 }).toBe(true);
  }, 240_000);
}
