import { describe, expect, it } from 'vitest';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { runAdversary, type AdversaryFigures } from '../helpers/adversary';
import { createClinic, createSession, type Clinic } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { startCluster } from '../scaleout/cluster';
import type { ServerProcess } from '../helpers/startTestServer';
import { startClinic } from '../helpers/clinic';

const SEED = Number(process.env.TANDEM_FUZZ_SEED ?? 131313);
/** Runs per phase; `npm run test:soak` raises it. */
const RUNS = Number(process.env.TANDEM_ADVERSARY_RUNS ?? 40);

const post = (who: Clinic['a'], id: string, step: string) => who.api.post(`/api/sessions/${id}/${step}`, {});

/**
 * The whole life of a note under attack: live (A writes and tags, B tampers), ended (A's late line
 * is labelled), signed by both (nothing changes, whatever B sends).
 */
async function attackWholeSession(aBaseUrl: string, bBaseUrl: string, clinic: Clinic): Promise<AdversaryFigures[]> {
  const sessionId = await createSession(clinic);
  await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/group-members`, { labels: ['M1', 'M2'] });
  await post(clinic.a, sessionId, 'start');
  const clients = { a: new Set<number>(), b: new Set<number>() };
  const live = await runAdversary({ aBaseUrl, bBaseUrl, clinic, sessionId, runs: RUNS, seed: SEED, phase: 'live', clients });

  expect((await post(clinic.a, sessionId, 'end')).status).toBe(200);
  const a = connectClient(aBaseUrl, sessionId, clinic.a.api.cookie);
  await expect.poll(() => a.provider.synced).toBe(true);
  clients.a.add(a.doc.clientID);
  appendParagraph(a.doc, 'written after the end');
  await expect.poll(() => a.isSaved()).toBe(true);
  const labels = () => Array.from(sessionDoc(a.doc).lateEntries.values());
  await expect.poll(() => labels().some((l) => l.client === a.doc.clientID && l.accountId === clinic.a.id)).toBe(true);
  expect(labels().every((l) => l.accountId === clinic.a.id)).toBe(true);

  expect((await post(clinic.a, sessionId, 'sign')).status).toBe(200);
  expect((await clinic.b.api.post<{ locked: boolean }>(`/api/sessions/${sessionId}/sign`, {})).body.locked).toBe(true);
  const locked = await runAdversary({ aBaseUrl, bBaseUrl, clinic, sessionId, runs: Math.ceil(RUNS / 2), seed: SEED + 1, phase: 'locked', clients });
  expect(locked.refused).toBeGreaterThan(0);
  expect((await clinic.a.api.get<{ matches: boolean }>(`/api/sessions/${sessionId}/verify`)).body.matches).toBe(true);
  return [live, locked];
}

function report(where: string, figures: AdversaryFigures[]): void {
  const sum = figures.reduce((s, f) => ({ runs: s.runs + f.runs, updates: s.updates + f.updates, refused: s.refused + f.refused, breaks: s.breaks + f.breaks }));
  console.info(`adversary (${where}, seed ${SEED}): ${sum.runs} runs, ${sum.updates} tampered updates, ${sum.refused} refusals, ${sum.breaks} invariant breaks`);
}

describe('a property-based adversary with a valid login (SQLite)', async () => {
  const { server, clinic } = await startClinic();

  it('never breaks authorship, removal, time, late-entry or lock invariants', async () => {
    report('SQLite', await attackWholeSession(server.baseUrl, server.baseUrl, clinic));
  }, 240_000);
});

describeWith([Postgres, Redis], 'a property-based adversary across two processes (PostgreSQL + Redis)', async () => {
  const cluster = await startCluster(2);
  const [p1, p2] = cluster.servers as [ServerProcess, ServerProcess];
  const clinic = await createClinic(p1.baseUrl);

  it('never breaks the invariants when A and B are on different processes', async () => {
    report('PostgreSQL + Redis', await attackWholeSession(p1.baseUrl, p2.baseUrl, clinic));
  }, 240_000);
});
