import { describe, expect, it } from 'vitest';
import type { ReviewView } from '../../shared/domain/review';
import { OBSERVATION_MARK, OBSERVATIONS } from '../../shared/ydoc/sessionDoc';
import { randomUUID } from 'node:crypto';
import { observationIdFor } from '../../shared/domain/observationIds';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, liveSession, type TestClient } from '../helpers/connectClient';
import * as Y from 'yjs';
import { typeAfter } from '../helpers/editorEdit';
import { findText, tagLine, tagSpan } from '../helpers/noteOps';

const FIRST = 'Member seemed sad today';
const SECOND = 'and withdrawn at the end.';

// Attack, 6 Dec: an observation's quote is read over every line it is in, but the extents record
// compared only the lines an update touched. With A's span over two paragraphs, B typed " X" inside
// its first part (record: "was sad today", the first part alone), " Y" inside its second, then took
// her own " X" out: the first part read "sad today" again, equal to the recorded "was", and the
// record was taken off though the observation still quoted B's " Y".
describe('a change of the other’s observation that is in two lines', async () => {
  const { server, clinic } = await startClinic({ env: { TANDEM_TIMEZONE: 'UTC' } });
  const review = async (id: string) => (await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${id}/review`)).body;
  /** Observation `obsId` as the review of session `id` shows it. */
  const observationIn = async (id: string, obsId: string) => (await review(id)).observations.find((x) => x.id === obsId)!;
  const settled = (...clients: TestClient[]) => expect.poll(() => clients.every((c) => c.isSaved())).toBe(true);

  /** A's span over "sad today" in one paragraph and "and withdrawn" in the next (a selection across both). */
  const spanInTwoLines = async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    appendParagraph(a.doc, FIRST);
    appendParagraph(a.doc, SECOND);
    const obs = tagSpan(a.doc, 'sad today', { authorId: clinic.a.id, tags: ['affect'] });
    const { text, index } = findText(a.doc, 'and withdrawn');
    text.format(index, 'and withdrawn'.length, { [OBSERVATION_MARK]: { id: obs.id } });
    await expect.poll(() => b.text().includes(SECOND)).toBe(true);
    await settled(a);
    const was = (await review(id)).observations.find((o) => o.id === obs.id)!.quote;
    return { id, a, b, obs, was };
  };

  /** B's " Y" in the second part is in the quote, and the record says B changed it from all it quoted as tagged. */
  const expectRecorded = async ({ id, a, b, obs, was }: Awaited<ReturnType<typeof spanInTwoLines>>) => {
    const o = await observationIn(id, obs.id);
    expect(o.quote).toBe('sad todayand Y withdrawn');
    expect(o.extentChanged).toMatchObject({ by: clinic.b.id, was });
    a.destroy();
    b.destroy();
  };

  it('records what the whole observation quoted, not the changed line’s part', async () => {
    const note = await spanInTwoLines();
    const b = note.b;
    expect(note.was).toBe('sad todayand withdrawn');
    typeAfter(b.doc, 'and', ' Y');
    await settled(b);
    await expectRecorded(note);
  });

  it('keeps the record when one of two changed parts is put back', async () => {
    const note = await spanInTwoLines();
    const b = note.b;
    typeAfter(b.doc, 'sad', ' X');
    await settled(b);
    typeAfter(b.doc, 'and', ' Y');
    await settled(b);
    const { text, index } = findText(b.doc, ' X');
    text.delete(index, 2);
    await settled(b);
    await expectRecorded(note);
  });

  // Attack, 6 Dec: a tagged line's words end at the next tagged line's marker. Blair's tagged line
  // "Mood — flat today." had Alex's marker put before it in the same paragraph ("Affect — tearful. ");
  // Blair then took her record off (her own observation: allowed) and left its mark, and Alex's
  // observation quoted "tearful. Mood — flat today." with nothing recorded (no line was touched).
  it('records the other’s tagged line read on through a marker whose record its author took off', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    const hers = tagLine(b.doc, 'Mood — ', 'flat today.', { authorId: clinic.b.id, tags: ['affect'] });
    await expect.poll(() => a.text().includes('flat today.')).toBe(true);
    const his = { id: observationIdFor(clinic.a.id, randomUUID()), tags: ['affect'], authorId: clinic.a.id, createdAt: Date.now(), kind: 'line' as const, member: null, forCoTherapist: false };
    a.doc.transact(() => {
      const { text, index } = findText(a.doc, 'Mood — ');
      text.insert(index, 'Affect — ', { [OBSERVATION_MARK]: { id: his.id } });
      text.insert(index + 'Affect — '.length, 'tearful. ', { [OBSERVATION_MARK]: null });
      a.doc.getMap(OBSERVATIONS).set(his.id, his);
    });
    await settled(a);
    await expect.poll(() => b.text().includes('tearful.')).toBe(true);
    expect((await observationIn(id, his.id)).quote).toBe('tearful.');
    b.doc.getMap(OBSERVATIONS).delete(hers.id);
    await settled(b);
    const o = await observationIn(id, his.id);
    expect(o.quote).toBe('tearful. Mood — flat today.');
    expect(o.extentChanged).toMatchObject({ by: clinic.b.id, was: 'tearful.' });
    a.destroy();
    b.destroy();
  });

  // Attack, 6 Dec: the lines an observation is in are kept per note from the lines each update
  // touches; a line an update creates is no touched line to Yjs (a new type is not "changed"), so
  // the second half of A's span after B's Enter inside it (a raw client's new paragraph) was not
  // read: the split was recorded as a change of what it quoted though it quoted the same words.
  it('reads a part put in a new line by a split as part of what it quoted', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    appendParagraph(a.doc, 'Member seemed sad today and withdrawn at the end.');
    appendParagraph(a.doc, 'Other words.');
    const obs = tagSpan(a.doc, 'sad today and withdrawn', { authorId: clinic.a.id, tags: ['affect'] });
    await expect.poll(() => b.text().includes('Other words.')).toBe(true);
    await settled(a);
    typeAfter(b.doc, 'Other', ' kind');
    await settled(b);
    // Enter inside the span, as a raw client writes it: the second half a new paragraph, its words marked again.
    b.doc.transact(() => {
      const { text, index } = findText(b.doc, 'and withdrawn at the end.');
      text.delete(index, 'and withdrawn at the end.'.length);
      const half = new Y.XmlText();
      const line = new Y.XmlElement('paragraph');
      line.insert(0, [half]);
      const paragraph = text.parent as Y.XmlElement;
      const note = paragraph.parent as Y.XmlFragment;
      note.insert(note.toArray().indexOf(paragraph) + 1, [line]);
      half.insert(0, 'and withdrawn', { [OBSERVATION_MARK]: { id: obs.id } });
      half.insert('and withdrawn'.length, ' at the end.', { [OBSERVATION_MARK]: null });
    });
    await settled(b);
    // It quotes the same words: nothing to record.
    expect(await observationIn(id, obs.id)).toMatchObject({ quote: 'sad today and withdrawn', extentChanged: null });
    typeAfter(b.doc, 'sad', ' X');
    await settled(b);
    const o = await observationIn(id, obs.id);
    expect(o.quote).toBe('sad X today and withdrawn');
    expect(o.extentChanged).toMatchObject({ by: clinic.b.id, was: 'sad today and withdrawn' });
    a.destroy();
    b.destroy();
  });
});
