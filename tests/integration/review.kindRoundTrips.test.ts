import { setBlockType, wrapIn } from '@tiptap/pm/commands';
import { liftListItem, wrapInList } from '@tiptap/pm/schema-list';
import type { EditorState, Transaction } from '@tiptap/pm/state';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ReviewBlock, ReviewRun, ReviewView } from '../../shared/domain/review';
import { expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, connectClient, liveSession } from '../helpers/connectClient';
import { craftFrom, roundTrip, updateOf } from '../helpers/craft';
import { commandAt, editAsEditor, schema, typeAfter } from '../helpers/editorEdit';
import { parseMarkdown, plain, section } from '../helpers/markdownTree';
import { topBlockOf } from '../helpers/noteOps';
import { openRaw, updateFrame, type RawSocket } from '../helpers/rawSocket';

const runsOf = (blocks: ReviewBlock[]): ReviewRun[] => blocks.flatMap((b) => [...b.runs, ...runsOf(b.children)]);
const heading = commandAt('Sleep', setBlockType(schema.nodes.heading!, { level: 2 }));
const paragraph = commandAt('Sleep', setBlockType(schema.nodes.paragraph!));
const listOn = (words: string) => commandAt(words, wrapInList(schema.nodes.bulletList!));
const listOff = (words: string) => commandAt(words, liftListItem(schema.nodes.listItem!));
const quote = (words: string) => commandAt(words, wrapIn(schema.nodes.blockquote!));

// Walk, 6 Dec: y-prosemirror writes each change of a line's kind as a new copy of its words, and
// the record labelled the last press of a button, after the words that copy held. Blair's heading
// made and unmade on Alex's line read "taken out of a heading by Blair" (Alex never wrote a
// heading), and a line she made a list, not a list, then a quote while he typed "twice" read
// "Tearful [made a quote, taken out of a bulleted list by …] twi [made a quote by …] ce.".
describe('a change of a line’s kind is labelled by what it made of the writer’s line, once, at the line’s end', async () => {
  const { server, clinic } = await startClinic({ env: { TANDEM_TIMEZONE: 'UTC' } });
  const review = async (id: string) => expectStatus(clinic.supervisor.api.get<ReviewView>(`/api/sessions/${id}/review`), 200, 'review');
  const settled = (...clients: { isSaved(): boolean }[]) => expect.poll(() => clients.every((c) => c.isSaved())).toBe(true);
  /** The Markdown export's lines of the note that hold `words`. */
  const exported = async (id: string, words: string) => {
    const res = await fetch(`${server.baseUrl}/api/sessions/${id}/export.md`, { headers: { cookie: clinic.supervisor.api.cookie! } });
    expect(res.status).toBe(200);
    return section(parseMarkdown(await res.text()), 'Note').map(plain).filter((line) => line.includes(words));
  };
  /** Each labelled run of the line holding `words`: its words and its label's changes and hand (A or B). */
  const labelled = async (id: string, words: RegExp) =>
    runsOf((await review(id)).blocks)
      .filter((r) => words.test(r.text) && r.formatted)
      .map((r) => [r.text, r.formatted!.changes.map((c) => `${c.mark} ${c.on ? 'on' : 'off'}`).join(', '), r.formatted!.by === clinic.a.id ? 'A' : 'B']);

  it('labels nothing where she makes his line a heading and straight back, or a list and out again; a chain names only the difference', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    // His line, written from two of his pages (a reload): the copies of it are cut differently each time.
    appendParagraph(a.doc, 'Sleep disturbance');
    await settled(a);
    const again = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    await expect.poll(() => again.provider.synced && again.text().includes('disturbance')).toBe(true);
    typeAfter(again.doc, 'Sleep disturbance', ' linked to relocation stress.');
    await expect.poll(() => b.text().includes('relocation stress.')).toBe(true);
    const line = 'Sleep disturbance linked to relocation stress.';
    const settle = () => settled(a, b, again);
    const steps: [string, (s: EditorState) => Transaction, string[]][] = [
      ['heading', heading, ['block:heading on']],
      ['and back', paragraph, []],
      ['list', listOn('Sleep'), ['block:bulletList on']],
      ['out again', listOff('Sleep'), []],
      ['heading again', heading, ['block:heading on']],
      ['a paragraph again', paragraph, []],
      ['a list, out, then a quote', listOn('Sleep'), ['block:bulletList on']],
      ['', listOff('Sleep'), []],
      ['', quote('Sleep'), ['block:blockquote on']],
    ];
    for (const [name, edit, labels] of steps) {
      editAsEditor(b.doc, edit);
      await settle();
      const runs = await labelled(id, /Sleep|relocation/);
      expect({ name, labels: [...new Set(runs.map(([, change, by]) => `${change} by ${by}`))] }).toEqual({ name, labels: labels.map((l) => `${l} by B`) });
    }
    expect(await exported(id, 'Sleep')).toEqual([expect.stringMatching(new RegExp(`^<kbd>AT</kbd> ${line.replace(/\./g, '\\.')} <kbd>made a quote by Blair Therapist, [^<]+</kbd>$`))]);
    // He takes his line out of her quote himself: it reads as he wrote it, and her heading and round trips left nothing.
    await expect.poll(() => topBlockOf(a.doc, 'Sleep').nodeName).toBe('blockquote');
    editAsEditor(a.doc, commandAt('Sleep', (state, dispatch) => (dispatch ? (dispatch(state.tr.lift(state.selection.$from.blockRange()!, 0)), true) : true)));
    await settle();
    expect(await labelled(id, /Sleep|relocation/)).toEqual([]);
    expect(await exported(id, 'Sleep')).toEqual([`<kbd>AT</kbd> ${line}`]);
    again.destroy();
    a.destroy();
    b.destroy();
  });

  const send = async (raw: RawSocket, update: Uint8Array) => {
    raw.ws.send(updateFrame(update));
    // The server reads a socket's frames in order: once it answers, the update has been judged.
    await roundTrip(raw);
  };

  it('keeps a word typed while she changes the line’s kind whole, with the line’s kind labels at its end', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    appendParagraph(a.doc, 'Fidgeting, eye contact brief.');
    await expect.poll(() => a.isSaved() && b.text().includes('brief.')).toBe(true);
    // Each one's page, with what reaches it when: his letters are on their way while she presses her buttons.
    const rawA = await openRaw(server.baseUrl, id, { cookie: clinic.a.api.cookie!, origin: server.baseUrl });
    const rawB = await openRaw(server.baseUrl, id, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    const his = craftFrom(await roundTrip(rawA), 81_001);
    const hers = craftFrom(await roundTrip(rawB), 81_002);
    /** He types `letters` after `after`; she has them at once only when `seen`. */
    const heTypes = async (after: string, letters: string, seen: boolean) => {
      const update = updateOf(his, () => typeAfter(his, after, letters));
      await send(rawA, update);
      if (seen) Y.applyUpdate(hers, update);
      return update;
    };
    /**
     * She changes the line's kind without his last letters (`unseen`, which reached the server
     * first); his page gets her change and writes them again after her copy, as the editor does
     * (client/editor/caretOnRemoteEdits.ts).
     */
    const sheDoes = async (edit: (s: EditorState) => Transaction, unseen?: { update: Uint8Array; after: string; letters: string }) => {
      const update = updateOf(hers, () => editAsEditor(hers, edit));
      await send(rawB, update);
      Y.applyUpdate(his, update);
      if (!unseen) return;
      Y.applyUpdate(hers, unseen.update);
      await heTypes(unseen.after, unseen.letters, true);
    };
    await heTypes('brief.', ' Tearful', true);
    await sheDoes(listOn('Fidgeting'), { update: await heTypes('Tearful', ' tw', false), after: 'Tearful', letters: ' tw' });
    await sheDoes(listOff('Fidgeting'), { update: await heTypes('Tearful tw', 'i', false), after: 'Tearful tw', letters: 'i' });
    await sheDoes(quote('Fidgeting'));
    await heTypes('Tearful twi', 'ce.', true);
    await expect.poll(() => a.text().includes('twice.')).toBe(true);
    await settled(a);

    const line = 'Fidgeting, eye contact brief. Tearful twice.';
    const runs = runsOf((await review(id)).blocks).filter((r) => /Fidget|Tear|tw|i|ce/.test(r.text) && r.authorId === clinic.a.id);
    expect(runs.map((r) => r.text).join('')).toBe(line);
    const [md] = await exported(id, 'Fidgeting');
    // The line as typed, then its labels, each of the line's whole words; the first is about the whole line.
    expect(md).toMatch(new RegExp(`^<kbd>AT</kbd> ${line.replace(/\./g, '\\.')}( <kbd>[^<]+</kbd>)+$`));
    expect(md!.slice(`<kbd>AT</kbd> ${line} `.length)).toMatch(/^<kbd>made a quote by Blair Therapist, [^<]+<\/kbd>/);
    // The words her copies held: a list and out again left nothing; the quote is hers.
    expect(runs.filter((r) => r.text.includes('Fidgeting')).map((r) => r.formatted?.changes)).toEqual([[{ mark: 'block:blockquote', on: true }]]);
    a.destroy();
    b.destroy();
  });
});
