import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';
import { createClinic, createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import type { ServerProcess } from '../helpers/startTestServer';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { startCluster, storedNoteText } from './cluster';

const FOUR_MB = 4 * 1024 * 1024;
/** Building, sending, judging and storing 4 MB takes seconds on a loaded machine; the test waits. */
const TEST_TIMEOUT_MS = 240_000;
/** How long the co-therapist keeps typing at most: far longer than the paste takes when it goes in. */
const TYPING_LIMIT_MS = 120_000;

describeWith([Postgres, Redis], 'a big update while the note changes through another process', async () => {
  const cluster = await startCluster(2);
  const [p1, p2] = cluster.servers as [ServerProcess, ServerProcess];
  const clinic = await createClinic(p1.baseUrl);

  it('goes in while the co-therapist on the other process keeps typing (it is not judged again for ever)', async () => {
    const sessionId = await createSession(clinic);
    const paster = connectClient(p1.baseUrl, sessionId, clinic.a.api.cookie);
    const typist = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => paster.provider.synced && typist.provider.synced).toBe(true);

    // One local transaction: the stock provider sends it as one frame, judged off the event loop.
    paster.doc.transact(() => {
      paster.doc.getXmlFragment(NOTE_FIELD).push(Array.from({ length: Math.ceil(FOUR_MB / 200) }, (_, i) => {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText(`pasted ${i} `.padEnd(200, 'pasted text '))]);
        return p;
      }));
    });
    // Every key reaches p1 through Redis while p1 judges the paste: the note changes under it.
    const typingStarted = Date.now();
    let keys = 0;
    while (!paster.isSaved() && Date.now() - typingStarted < TYPING_LIMIT_MS) {
      appendParagraph(typist.doc, `key ${keys++}`);
      // A typist's pace, not a wait for a result: the loop's condition is the result.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(paster.isSaved()).toBe(true);
    // It went in because p1 held the other process's keys back for one judgement, still off the
    // loop: judged in line instead, a paste this size held the loop seconds (operator fault test, 3 Dec).
    expect(p1.output.join('\n')).toContain("other processes' changes to it wait for the next judgement");
    expect(p1.output.join('\n')).not.toContain('judging it in line');

    await expect.poll(() => typist.isSaved(), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => typist.text() === paster.text(), { timeout: 60_000 }).toBe(true);
    const lines = paster.text().split('\n');
    expect(lines.filter((l) => l.startsWith('pasted '))).toHaveLength(Math.ceil(FOUR_MB / 200));
    expect(lines.filter((l) => l.startsWith('key '))).toHaveLength(keys);
    await expect.poll(() => storedNoteText(cluster.databaseUrl, sessionId), { timeout: 60_000 }).toBe(paster.text());
  }, TEST_TIMEOUT_MS);
});
