import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createClinic, createPerson, type Person } from '../helpers/api';
import { connectClient, appendParagraph, type TestClient } from '../helpers/connectClient';
import { startServerProcess, tempDir } from '../helpers/startTestServer';
import { seeded } from '../helpers/typist';

/**
 * Load and soak (not part of `npm test`): SESSIONS sessions, each with two writers typing at about
 * five keys a second and a reader, for SECONDS, against one server process on loopback. Reports
 * sessions held, edits per second, end-to-end latency percentiles (content-neutral: the time from
 * a keystroke until the other writer's document holds that writer's clock), errors, and the
 * server's memory at start, at peak and after every session closed.
 */
const SESSIONS = Number(process.env.TANDEM_SOAK_SESSIONS ?? 60);
const SECONDS = Number(process.env.TANDEM_SOAK_SECONDS ?? 60);

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

describe('load and soak', () => {
  it(`holds ${SESSIONS} sessions for ${SECONDS} s with nothing lost`, async () => {
    // Every client of the load comes from this machine's one address: the bound per address is the process's.
    const server = await startServerProcess({ dataDir: tempDir(), env: { TANDEM_UNLOAD_DELAY_MS: '0', TANDEM_MAX_CONNECTIONS_PER_ADDRESS: String(1e9), TANDEM_MAX_NOTES_PER_ACCOUNT: String(1e9) } });
    const pid = server.child.pid!;
    const clinic = await createClinic(server.baseUrl);
    const writers: Person[] = [clinic.a, clinic.b];
    const rssStart = rssOf(pid);
    const random = seeded(7);
    const latencies: number[] = [];
    let edits = 0;
    let errors = 0;
    let finished = false;
    const rooms: { a: TestClient; b: TestClient; reader: TestClient }[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const { id } = (await clinic.a.api.post<{ id: string }>('/api/sessions', { title: `Soak ${i}`, kind: 'group' })).body;
      await clinic.a.api.post(`/api/sessions/${id}/members`, { userId: clinic.b.id, role: 'therapist' });
      await clinic.a.api.post(`/api/sessions/${id}/members`, { userId: clinic.supervisor.id, role: 'supervisor' });
      rooms.push({
        a: connectClient(server.baseUrl, id, writers[0]!.api.cookie),
        b: connectClient(server.baseUrl, id, writers[1]!.api.cookie),
        reader: connectClient(server.baseUrl, id, clinic.supervisor.api.cookie),
      });
    }
    await expect.poll(() => rooms.every((r) => r.a.provider.synced && r.b.provider.synced && r.reader.provider.synced), { timeout: 60_000 }).toBe(true);
    for (const r of rooms) {
      // A close the server initiated or a dropped connection during the run is an error; our own teardown is not.
      for (const c of [r.a, r.b, r.reader]) c.provider.on('connection-close', (event) => void (event && !finished && errors++));
      appendParagraph(r.a.doc, '');
      appendParagraph(r.b.doc, '');
    }

    // Each writer types into its own paragraph; the other writer's doc tells when a key arrived.
    const timers: NodeJS.Timeout[] = [];
    let peakRss = rssStart;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(pid))), 500);
    for (const r of rooms) {
      for (const [from, to] of [[r.a, r.b], [r.b, r.a]] as const) {
        const sentAt = new Map<number, number>();
        to.doc.on('update', () => {
          const have = Y.getState(to.doc.store, from.doc.clientID);
          for (const [clock, at] of sentAt) if (clock <= have) (latencies.push(performance.now() - at), sentAt.delete(clock));
        });
        const typeKey = () => {
          const para = from.doc.getXmlFragment('note').toArray().at(-1) as Y.XmlElement;
          const text = (para.get(0) as Y.XmlText | undefined) ?? (para.insert(0, [new Y.XmlText()]), para.get(0) as Y.XmlText);
          text.insert(text.length, String.fromCharCode(97 + Math.floor(random() * 26)));
          sentAt.set(Y.getState(from.doc.store, from.doc.clientID), performance.now());
          edits++;
          // Poisson arrivals around 5 keys/s.
          timers.push(setTimeout(typeKey, -Math.log(1 - random()) * 200));
        };
        timers.push(setTimeout(typeKey, random() * 200));
      }
    }
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    for (const t of timers) clearTimeout(t);
    const elapsed = (performance.now() - started) / 1000;
    await expect.poll(() => rooms.every((r) => r.a.isSaved() && r.b.isSaved() && r.a.text() === r.b.text() && r.reader.text() === r.a.text()), { timeout: 60_000 }).toBe(true);
    clearInterval(sampler);
    const rssLoaded = rssOf(pid);
    finished = true;
    for (const r of rooms) for (const c of [r.a, r.b, r.reader]) c.destroy();
    await expect.poll(async () => (await fetch(`${server.baseUrl}/healthz`)).ok).toBe(true);
    // Give the server time to unload every note and collect garbage before reading memory.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const rssEnd = rssOf(pid);
    const sorted = latencies.sort((x, y) => x - y);
    const report = {
      sessions: SESSIONS,
      seconds: Math.round(elapsed),
      editsPerSecond: Math.round(edits / elapsed),
      latencyMs: { p50: +pct(sorted, 50).toFixed(2), p99: +pct(sorted, 99).toFixed(2), max: +(sorted.at(-1) ?? 0).toFixed(2), samples: sorted.length },
      errors,
      rssMiB: { start: +(rssStart / 2 ** 20).toFixed(1), peak: +(peakRss / 2 ** 20).toFixed(1), loaded: +(rssLoaded / 2 ** 20).toFixed(1), afterClose: +(rssEnd / 2 ** 20).toFixed(1) },
    };
    console.log(`SOAK REPORT ${JSON.stringify(report)}`);
    expect(errors).toBe(0);
    await createPerson(clinic.admin.api, 'clinician', 'After Soak');
  }, 30 * 60_000);
});
