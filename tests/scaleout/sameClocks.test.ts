import * as encoding from 'lib0/encoding';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { createClinic, createSession, type Clinic } from '../helpers/api';
import { appendParagraph } from '../helpers/connectClient';
import { craftFrom, updateOf } from '../helpers/craft';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy';
import { healthOf } from '../helpers/health';
import { openRaw, updateFrame } from '../helpers/rawSocket';
import { describeWith, Postgres, rawPostgres, Redis } from '../helpers/services';
import type { ServerProcess } from '../helpers/startTestServer';
import { connect, startCluster, storedNoteText, type Cluster } from './cluster';

/** A version of the note written under Yjs client id `client`: one paragraph per line of `lines`, from clock 0. */
function versionUnder(client: number, lines: string[]): Uint8Array {
  const doc = craftFrom(Y.encodeStateAsUpdate(new Y.Doc()), client);
  return updateOf(doc, () => lines.forEach((line) => appendParagraph(doc, line)));
}

/**
 * What B reading on the first process and the supervisor reading on the second show, once both
 * show what storage has and `expected` holds for it.
 */
async function agreeing(cluster: Cluster, clinic: Clinic, sessionId: string, expected: (text: string) => boolean): Promise<string> {
  const [p1, p2] = cluster.servers as [ServerProcess, ServerProcess];
  const onP1 = connect(p1.baseUrl, sessionId, clinic.b.api.cookie);
  const onP2 = connect(p2.baseUrl, sessionId, clinic.supervisor.api.cookie);
  let stored = '';
  await expect.poll(async () => {
    stored = await storedNoteText(cluster.databaseUrl, sessionId);
    return expected(stored) && onP1.text() === stored && onP2.text() === stored;
  }, { timeout: 30_000 }).toBe(true);
  return stored;
}

/** Sends `update` from a raw socket of `person` on `server`. */
async function sendFrom(server: ServerProcess, sessionId: string, cookie: string, update: Uint8Array): Promise<void> {
  const raw = await openRaw(server.baseUrl, sessionId, { origin: new URL(server.baseUrl).origin, cookie });
  raw.ws.send(updateFrame(update));
}

/**
 * A Yjs document drops an item whose client id and clock it already has, whatever its content. A
 * member's raw socket that sent one version of its edits to one process and another version, under
 * the same client id and clocks, to the other made each process keep its own and drop the other's
 * from fan-out: the clinicians on each read, and could sign, different notes (attack3, 1 Dec). Every
 * process now has the clocks granted in the shared store before its content goes in, so one
 * version is the note everywhere and in storage.
 */
describeWith([Postgres, Redis], 'one Yjs client id and clock, two versions, two processes', async () => {
  const cluster = await startCluster(2);
  const [p1, p2] = cluster.servers as [ServerProcess, ServerProcess];
  const clinic: Clinic = await createClinic(p1.baseUrl);

  const readersAgree = (sessionId: string, expected: (text: string) => boolean) => agreeing(cluster, clinic, sessionId, expected);

  it('keeps one version on both processes and in storage', async () => {
    const sessionId = await createSession(clinic);
    const client = 0x2bad_c0de;
    const one = 'version one: mood stable';
    const two = 'version two: risk noted';
    // Readers on both processes first, so each process has the note loaded when the versions come.
    const watchers = [connect(p1.baseUrl, sessionId, clinic.b.api.cookie), connect(p2.baseUrl, sessionId, clinic.supervisor.api.cookie)];
    await expect.poll(() => watchers.every((w) => w.provider.synced)).toBe(true);
    await Promise.all([sendFrom(p1, sessionId, clinic.a.api.cookie!, versionUnder(client, [one])), sendFrom(p2, sessionId, clinic.a.api.cookie!, versionUnder(client, [two]))]);

    const text = await readersAgree(sessionId, (t) => t.includes(one) || t.includes(two));
    expect(text.includes(one) && text.includes(two)).toBe(false);
    for (const w of watchers) await expect.poll(() => w.text()).toBe(text);
  });

  it('keeps versions of different lengths the same everywhere: the longer one’s clocks past the shorter are taken in once', async () => {
    const sessionId = await createSession(clinic);
    const client = 0x3bad_c0de;
    const watchers = [connect(p1.baseUrl, sessionId, clinic.b.api.cookie), connect(p2.baseUrl, sessionId, clinic.supervisor.api.cookie)];
    await expect.poll(() => watchers.every((w) => w.provider.synced)).toBe(true);
    await Promise.all([
      sendFrom(p1, sessionId, clinic.a.api.cookie!, versionUnder(client, ['short'])),
      sendFrom(p2, sessionId, clinic.a.api.cookie!, versionUnder(client, ['a much longer second version', 'with a second line'])),
    ]);
    // What Yjs makes of the longer version's last clocks depends on which version came first; that
    // it is the same on both processes and in storage is the point.
    const text = await readersAgree(sessionId, (t) => t.includes('with a second line'));
    for (const w of watchers) await expect.poll(() => w.text()).toBe(text);
  });

  it('takes in a version whose sender left while its clocks were claimed, so no grant is left without content (attack4)', async () => {
    const sessionId = await createSession(clinic);
    const client = 0x5bad_c0de;
    const watchers = [connect(p1.baseUrl, sessionId, clinic.b.api.cookie), connect(p2.baseUrl, sessionId, clinic.supervisor.api.cookie)];
    await expect.poll(() => watchers.every((w) => w.provider.synced)).toBe(true);
    const raw = await openRaw(p1.baseUrl, sessionId, { origin: new URL(p1.baseUrl).origin, cookie: clinic.a.api.cookie! });
    raw.ws.send(updateFrame(versionUnder(client, ['version ONE: no concerns today'])));
    raw.ws.close();
    await expect.poll(() => watchers[0]!.text()).toContain('version ONE');
    await sendFrom(p2, sessionId, clinic.a.api.cookie!, versionUnder(client, ['version TWO: disclosed self-harm']));
    await sendFrom(p1, sessionId, clinic.a.api.cookie!, versionUnder(client, ['version ONE: no concerns today']));
    const text = await readersAgree(sessionId, (t) => t.includes('version ONE'));
    expect(text).not.toContain('version TWO');
  });

  it('takes clocks over from a grant whose content never came (its process died before storing it)', async () => {
    const sessionId = await createSession(clinic);
    const client = 0x1dead;
    // What a process leaves behind that was granted these clocks and was killed before its commit.
    await rawPostgres(cluster.databaseUrl, `INSERT INTO client_clocks (session_id, client_id, next_clock, owner) VALUES ('${sessionId}', ${client}, 1, 'a killed process')`);
    await sendFrom(p2, sessionId, clinic.a.api.cookie!, versionUnder(client, ['sent again after the crash']));
    expect(await readersAgree(sessionId, (t) => t.includes('sent again after the crash'))).toContain('sent again after the crash');
  });
});

/** One GC struct: clocks [0, len) of `client`, nothing visible (it takes the clocks, and deletes whatever had them). */
function gcRange(client: number, len: number): Uint8Array {
  const e = encoding.createEncoder();
  for (const n of [1, 1, client, 0]) encoding.writeVarUint(e, n);
  encoding.writeUint8(e, 0);
  encoding.writeVarUint(e, len);
  encoding.writeVarUint(e, 0);
  return encoding.toUint8Array(e);
}

/**
 * The same, while one process cannot reach Redis (attack4, 1 Dec): a process that misses fan-out
 * must neither take over clocks whose content another process stored, nor take in a client id
 * another account wrote under, however stale its own view.
 */
describeWith([Postgres, Redis], 'one Yjs client id, two processes, one of them cut off from Redis', async () => {
  const redisLinks: FaultProxy[] = [];
  const cluster = await startCluster(2, {
    via: async (urls, i) => {
      const proxy = await startFaultProxy(urls.redisUrl);
      redisLinks[i] = proxy;
      return { ...urls, redisUrl: proxy.url };
    },
  });
  const [p1, p2] = cluster.servers as [ServerProcess, ServerProcess];
  const clinic: Clinic = await createClinic(p1.baseUrl);
  /** Cuts process `i` off Redis, once it says so itself (until then it may still hear the other). */
  const cutOff = async (i: number) => {
    redisLinks[i]!.cut();
    await expect.poll(async () => (await healthOf(cluster.servers[i]!.baseUrl)).redis, { timeout: 15_000 }).not.toBe('up');
  };
  /** Times `server` logged that clocks of a client id were refused. */
  const refusals = (server: ServerProcess) => server.output.filter((line) => line.includes('clocks of a Yjs client id were refused')).length;
  /** Times `server` logged that it set aside items written under another's client id. */
  const setAside = (server: ServerProcess) => server.output.filter((line) => line.includes('foreign items set aside')).length;

  it('keeps the version a process stored while it could not publish it, on both processes', async () => {
    const sessionId = await createSession(clinic);
    const onP1 = connect(p1.baseUrl, sessionId, clinic.b.api.cookie);
    const onP2 = connect(p2.baseUrl, sessionId, clinic.supervisor.api.cookie);
    await expect.poll(() => onP1.provider.synced && onP2.provider.synced).toBe(true);
    await cutOff(0);
    const client = 0x4a110c;
    await sendFrom(p1, sessionId, clinic.a.api.cookie!, versionUnder(client, ['version ONE: client is calm']));
    await expect.poll(() => storedNoteText(cluster.databaseUrl, sessionId), { timeout: 30_000 }).toContain('version ONE');
    const before = refusals(p2);
    await sendFrom(p2, sessionId, clinic.a.api.cookie!, versionUnder(client, ['version TWO: client at risk!']));
    // p2 is refused, waits, reads the store, and takes ONE from there: it never takes the clocks over.
    await expect.poll(() => onP2.text(), { timeout: 30_000 }).toContain('version ONE');
    expect(refusals(p2)).toBeGreaterThan(before);
    redisLinks[0]!.heal();
    const text = await agreeing(cluster, clinic, sessionId, (t) => t.includes('version ONE'));
    expect(text).not.toContain('version TWO');
  });

  it('takes in nothing under the other therapist’s client id on the process that missed their writing it', async () => {
    const sessionId = await createSession(clinic);
    const b = await openRaw(p2.baseUrl, sessionId, { origin: new URL(p2.baseUrl).origin, cookie: clinic.b.api.cookie! });
    await cutOff(1);
    const a = connect(p1.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, 'A line 1: before the attack');
    await expect.poll(() => a.isSaved()).toBe(true);
    // B read A's id from presence; p2 heard neither A's presence nor A's writing.
    const before = refusals(p2) + setAside(p2);
    b.ws.send(updateFrame(gcRange(a.doc.clientID, 1_000_000)));
    // The store refuses the clocks (the id is A's), or p2 already knew whose id it is and set the
    // update aside; either way p2 says so before Redis is back.
    await expect.poll(() => refusals(p2) + setAside(p2) - before, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    redisLinks[1]!.heal();
    appendParagraph(a.doc, 'A line 2: typed after the attack');
    await expect.poll(() => a.isSaved(), { timeout: 30_000 }).toBe(true);
    const text = await agreeing(cluster, clinic, sessionId, (t) => t.includes('A line 2'));
    expect(text).toContain('A line 1: before the attack');
  });
});
