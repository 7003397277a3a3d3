import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ReviewBlock, ReviewRun, ReviewView } from '../../shared/domain/review';
import { expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, liveSession, serverText } from '../helpers/connectClient';
import { roundTrip } from '../helpers/craft';
import { openRaw, updateFrame } from '../helpers/rawSocket';

const runsOf = (blocks: ReviewBlock[]): ReviewRun[] => blocks.flatMap((b) => [...b.runs, ...runsOf(b.children)]);

/** A Yjs update (v1) with no structs that deletes `len` clocks of `client` from `clock` on. */
function deletionOnly(client: number, clock: number, len: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, clock);
  encoding.writeVarUint(e, len);
  return encoding.toUint8Array(e);
}

// Yjs keeps a deletion of clocks it does not have until they arrive. The server held such an update
// from B, naming A's next clocks, and applied it as A typed them: A's new words struck "deleted by B"
// as they were written, B never having seen them (attack, 2 Dec).
describe('a deletion of a co-therapist’s words that do not exist yet', async () => {
  const { server, clinic } = await startClinic();

  it('is refused at once, and the words typed later stay, nobody’s deletion', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    appendParagraph(a.doc, 'Alex wrote this.');
    await expect.poll(() => b.text().includes('Alex wrote this.')).toBe(true);
    const raw = await openRaw(server.baseUrl, id, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    await roundTrip(raw);
    const ahead = Y.getState(a.doc.store, a.doc.clientID);
    raw.ws.send(updateFrame(deletionOnly(a.doc.clientID, ahead, 10)));
    await expect.poll(() => raw.notices.map((n) => n.type === 'refused' && n.code)).toContain('deletes_unwritten');

    appendParagraph(a.doc, 'Typed after it, still here.');
    await expect.poll(() => a.isSaved()).toBe(true);
    expect(Y.getState(a.doc.store, a.doc.clientID)).toBeGreaterThan(ahead + 10);
    expect(a.text()).toContain('Typed after it, still here.');
    expect(await serverText(server.baseUrl, id, clinic.supervisor.api.cookie)).toContain('Typed after it, still here.');
    const review = await expectStatus(clinic.supervisor.api.get<ReviewView>(`/api/sessions/${id}/review`), 200, 'review');
    expect(runsOf(review.blocks).filter((r) => r.struck)).toEqual([]);
  });

  it('still lets a writer delete its own words in the update that writes them', async () => {
    const { id, a } = await liveSession(server.baseUrl, clinic);
    a.doc.transact(() => {
      appendParagraph(a.doc, 'Typo line');
      const note = a.doc.getXmlFragment('note');
      note.delete(note.length - 1, 1);
    });
    appendParagraph(a.doc, 'Kept line.');
    await expect.poll(() => a.isSaved()).toBe(true);
    expect(a.notices.filter((n) => n.type === 'refused')).toEqual([]);
    expect(await serverText(server.baseUrl, id, clinic.supervisor.api.cookie)).toContain('Kept line.');
  });
});
