/**
 * Attack, 6 Dec: Yjs integrates an item whose first clocks the note has already from the first
 * clock it lacks, right after the sender's own item before it, whatever origin the item names.
 * The gate judged such an item at the origin it named: 18 letters naming an origin inside the
 * co-therapist's line, overlapping a clock of the sender's own empty paragraph at the top of the
 * note, were judged as words in her line and stood as bare text outside every paragraph, for
 * every page and every later reader. Raw updates, not the UI.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { encodeParts } from '../../shared/protocol/updateParts';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';
import { createSession, type Person } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph } from '../helpers/connectClient';
import { craftFrom, roundTrip, updateOf } from '../helpers/craft';
import { openRaw, updateFrame, type RawSocket } from '../helpers/rawSocket';

const A = 9_950_001;

describe('an item that repeats clocks the note has already', async () => {
  const { server, clinic } = await startClinic();
  const open = (id: string, who: Person) => openRaw(server.baseUrl, id, { cookie: who.api.cookie!, origin: server.baseUrl });
  const refusals = (raw: RawSocket) => raw.notices.filter((n) => n.type === 'refused');
  /** The note's top-level nodes as every reader gets them. */
  const topLevel = async (raw: RawSocket) => craftFrom(await roundTrip(raw)).getXmlFragment(NOTE_FIELD).toArray();
  /** The first letter of the paragraph whose words include `words`. */
  const firstLetter = (doc: Y.Doc, words: string): Y.ID => {
    const p = doc.getXmlFragment(NOTE_FIELD).toArray().find((n) => n instanceof Y.XmlElement && n.toString().includes(words)) as Y.XmlElement;
    return (p.get(0) as Y.XmlText)._start!.id;
  };

  it('is judged where Yjs puts it, after the sender’s own item, and refused when it names a place elsewhere', async () => {
    const id = await createSession(clinic);
    const b = await open(id, clinic.b);
    const theirs = craftFrom(await roundTrip(b));
    b.ws.send(updateFrame(updateOf(theirs, () => appendParagraph(theirs, 'Client denies risk'))));
    const a = await open(id, clinic.a);
    const mine = craftFrom(await roundTrip(b), A);
    a.ws.send(updateFrame(updateOf(mine, () => mine.getXmlFragment(NOTE_FIELD).push([new Y.XmlElement('paragraph')]))));
    const before = (await topLevel(a)).map(String);
    expect(refusals(a)).toEqual([]);

    const inHerLine = firstLetter(mine, 'Client denies risk');
    const item = new Y.Item(Y.createID(A, 0), null, Y.createID(inHerLine.client, inHerLine.clock + 5), null, null, null, null, new Y.ContentString('PBARE TEXT AT ROOT'));
    a.ws.send(updateFrame(encodeParts(new Map([[A, [item]]]), { clients: new Map() })));
    const after = await topLevel(a);
    expect(refusals(a)).toMatchObject([{ code: 'invalid_content' }]);
    expect(after.map(String)).toEqual(before);
    expect(after.every((node) => node instanceof Y.XmlElement)).toBe(true);
  });

  it('takes the rest of a change whose start the server has, after the words it has', async () => {
    const id = await createSession(clinic);
    const a = await open(id, clinic.a);
    const mine = craftFrom(await roundTrip(a), A);
    const sent = Y.encodeStateVector(mine);
    a.ws.send(updateFrame(updateOf(mine, () => appendParagraph(mine, 'M1 arrived'))));
    await roundTrip(a);
    // Typed on: Yjs merges it into the item the server has the start of, and a page sending again
    // what it is unsure of sends that item whole, from its first clock.
    const text = mine.getXmlFragment(NOTE_FIELD).toArray().map((n) => (n as Y.XmlElement).get(0)).find((t) => t instanceof Y.XmlText && t.toString() === 'M1 arrived') as Y.XmlText;
    text.insert(text.length, ' late and sat by the door.');
    a.ws.send(updateFrame(Y.encodeStateAsUpdate(mine, sent)));
    const texts = (await topLevel(a)).map(String);
    expect(refusals(a)).toEqual([]);
    expect(texts).toContain('<paragraph>M1 arrived late and sat by the door.</paragraph>');
  });
});
