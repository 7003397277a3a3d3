import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { createClinic, createSession, type Clinic } from '../helpers/api';
import { appendParagraph } from '../helpers/connectClient';
import { craftFrom, updateOf } from '../helpers/craft';
import { openRaw, updateFrame } from '../helpers/rawSocket';
import { describeWith, Postgres, rawPostgres, Redis } from '../helpers/services';
import type { ServerProcess } from '../helpers/startTestServer';
import { connect, startCluster, storedNoteText } from './cluster';

/** A version of the note written under Yjs client id `client`: one paragraph per line of `lines`, from clock 0. */
function versionUnder(client: number, lines: string[]): Uint8Array {
  const doc = craftFrom(Y.encodeStateAsUpdate(new Y.Doc()), client);
  return updateOf(doc, () => lines.forEach((line) => appendParagraph(doc, line)));
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

  /** B reads on p1, the supervisor on p2; resolves with what each shows once both agree with storage. */
  async function readersAgree(sessionId: string, expected: (text: string) => boolean): Promise<string> {
    const onP1 = connect(p1.baseUrl, sessionId, clinic.b.api.cookie);
    const onP2 = connect(p2.baseUrl, sessionId, clinic.supervisor.api.cookie);
    await expect.poll(async () => {
      const stored = await storedNoteText(cluster.databaseUrl, sessionId);
      return expected(stored) && onP1.text() === stored && onP2.text() === stored;
    }, { timeout: 30_000 }).toBe(true);
    return onP1.text();
  }

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

  it('takes clocks over from a grant whose content never came (its process died before storing it)', async () => {
    const sessionId = await createSession(clinic);
    const client = 0x1dead;
    // What a process leaves behind that was granted these clocks and was killed before its commit.
    await rawPostgres(cluster.databaseUrl, `INSERT INTO client_clocks (session_id, client_id, next_clock, owner) VALUES ('${sessionId}', ${client}, 1, 'a killed process')`);
    await sendFrom(p2, sessionId, clinic.a.api.cookie!, versionUnder(client, ['sent again after the crash']));
    expect(await readersAgree(sessionId, (t) => t.includes('sent again after the crash'))).toContain('sent again after the crash');
  });
});
