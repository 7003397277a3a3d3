/**
 * One account's changes to a note, sent without a pause (attack, 6 Dec): 16 sockets of one
 * therapist sent one-letter changes nonstop, 15,000 a second relayed to the co-therapist's page,
 * which fell 40 s behind and was dropped for not answering pings. Past TANDEM_MAX_CHANGES_PER_10S
 * (lowered here) changes are refused as `judging_busy`, which the page sends again later as one.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, liveSession } from '../helpers/connectClient';
import { startClinic } from '../helpers/clinic';
import { metricValue } from '../helpers/metrics';
import { updateFrame } from '../helpers/rawSocket';

const PER_WINDOW = 40;

const lettersIn = (doc: Y.Doc) => (doc.getXmlFragment('note').toString().match(/x/g) ?? []).length;

describe('one account sending changes to a note without a pause', async () => {
  const { server, clinic } = await startClinic({ env: { TANDEM_MAX_CHANGES_PER_10S: String(PER_WINDOW) } });

  it('has the bound’s worth applied and relayed, refuses the rest as passing, and takes them once sent again as one change', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    const text = new Y.XmlText();
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [text]);
    a.doc.getXmlFragment('note').push([paragraph]);
    const letters = 3 * PER_WINDOW;
    for (let i = 0; i < letters; i++) text.insert(i, 'x');
    await expect.poll(() => a.notices.some((n) => n.type === 'refused' && n.code === 'judging_busy')).toBe(true);
    await expect.poll(() => metricValue(server.baseUrl, 'tandem_updates_refused_total{code="judging_busy"}')).toBeGreaterThan(0);
    // The paragraph's own change came first, and counts too.
    await expect.poll(() => lettersIn(b.doc)).toBe(PER_WINDOW - 1);
    // Another account's changes to the note are not counted against A's.
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText('Blair writes on.')]);
    b.doc.getXmlFragment('note').push([p]);
    await expect.poll(() => a.doc.getXmlFragment('note').toString()).toContain('Blair writes on.');
    expect(lettersIn(b.doc)).toBe(PER_WINDOW - 1);
    // The page sends what the server lacks again, as one change, until the window has passed
    // (client/collab/refusalRetry.ts, with backoff); then all of it goes in.
    await expect
      .poll(() => {
        a.provider.ws!.send(updateFrame(Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc))));
        return lettersIn(b.doc);
      }, { timeout: 60_000, interval: 1_000 })
      .toBe(letters);
    const reader = connectClient(server.baseUrl, id, clinic.supervisor.api.cookie);
    await expect.poll(() => reader.doc.getXmlFragment('note').toString()).toBe(a.doc.getXmlFragment('note').toString());
    reader.destroy();
  });
});
