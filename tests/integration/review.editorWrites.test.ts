import { setBlockType, wrapIn, lift } from '@tiptap/pm/commands';
import type { Node as PmNode } from '@tiptap/pm/model';
import type { EditorState, Transaction } from '@tiptap/pm/state';
import { wrapInList } from '@tiptap/pm/schema-list';
import { describe, expect, it } from 'vitest';
import type { ReviewBlock, ReviewRun, ReviewView } from '../../shared/domain/review';
import { expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { liveSession } from '../helpers/connectClient';
import { commandAt as command, editAsEditor, positionOf, schema } from '../helpers/editorEdit';

const runsOf = (blocks: ReviewBlock[]): ReviewRun[] => blocks.flatMap((b) => [...b.runs, ...runsOf(b.children)]);
const paragraph = schema.nodes.paragraph!;
const hardBreak = schema.nodes.hardBreak!;
const mention = schema.nodes.mention!;

// The other tests of moved words write Yjs by hand, imitating the editor. These write what the
// editor's own sync binding writes (y-tiptap's diff of the ProseMirror document), for the edits
// whose bytes are hardest to imitate: splits of lines holding a hard break or a mention (attack8
// F2 named the wrong hand there), and changes of block kind (attack8 F4).
describe('edits written by the editor’s own binding keep each one’s words and name the hand that changed them', async () => {
  const { server, clinic } = await startClinic({ env: { TANDEM_TIMEZONE: 'UTC' } });
  const review = async (id: string) => expectStatus(clinic.supervisor.api.get<ReviewView>(`/api/sessions/${id}/review`), 200, 'review');
  const settled = (...clients: { isSaved(): boolean }[]) => expect.poll(() => clients.every((c) => c.isSaved())).toBe(true);
  /** A live session whose note ends with A's line of `content`, once B has `words` of it. */
  async function withLine(content: () => PmNode[], words: string) {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1'] }), 200, 'labels');
    editAsEditor(a.doc, (s) => s.tr.insert(s.doc.content.size, paragraph.create(null, content())));
    await expect.poll(() => b.text().includes(words)).toBe(true);
    return { id, a, b };
  }

  it('keeps her words hers, nothing struck, when he splits her line before, at or after a hard break or a mention', async () => {
    const broken = () => [schema.text('Client arrived late'), hardBreak.create(), schema.text('and left early.')];
    // (Each line ends in "early.", which tells when the co-therapist has it.)
    const mentioned = () => [schema.text('Check-in: '), mention.create({ id: 'M1' }), schema.text(' said the week was hard, left early.')];
    const cases: [() => PmNode[], string, number][] = [
      [broken, 'arrived', 0],
      [broken, ' late', 5],
      [broken, 'and left', 0],
      [broken, ' early', 0],
      [mentioned, '-in', 0],
      [mentioned, ' said', 0],
      [mentioned, ' was hard', 0],
    ];
    for (const [content, words, offset] of cases) {
      const { id, a, b } = await withLine(content, 'early.');
      editAsEditor(b.doc, (s) => s.tr.split(positionOf(s.doc, words) + offset));
      await settled(a, b);
      const line = runsOf((await review(id)).blocks).filter((r) => /arrived|left|Check|said|@M1/.test(r.text));
      expect({ words, struck: line.filter((r) => r.struck).map((r) => r.text), notHers: line.filter((r) => r.authorId !== clinic.a.id).map((r) => r.text) }).toEqual({ words, struck: [], notHers: [] });
      a.destroy();
      b.destroy();
    }
  });

  it('names him where he makes her line a heading, a quote or a list, or lifts it out of the quote', async () => {
    const steps: [string, (s: EditorState) => Transaction, string[]][] = [
      ['heading', command('Slept', setBlockType(schema.nodes.heading!, { level: 3 })), ['block:heading on']],
      ['paragraph again', command('Slept', setBlockType(paragraph)), []],
      ['quote', command('Slept', wrapIn(schema.nodes.blockquote!)), ['block:blockquote on']],
      ['out of the quote', command('Slept', lift), []],
      ['list', command('Slept', wrapInList(schema.nodes.bulletList!)), ['block:bulletList on']],
    ];
    const { id, a, b } = await withLine(() => [schema.text('Slept badly, woke at four.')], 'woke');
    for (const [name, edit, labels] of steps) {
      editAsEditor(b.doc, edit);
      await settled(a, b);
      const line = runsOf((await review(id)).blocks).filter((r) => /Slept|woke/.test(r.text));
      expect({ name, text: line.map((r) => r.text).join(''), hers: line.every((r) => r.authorId === clinic.a.id && !r.struck), labels: [...new Set(line.flatMap((r) => (r.formatted ? [`${r.formatted.changes.map((c) => `${c.mark} ${c.on ? 'on' : 'off'}`).join(', ')} by ${r.formatted.by === clinic.b.id ? 'B' : 'A'}`] : [])))] }).toEqual({
        name,
        text: 'Slept badly, woke at four.',
        hers: true,
        labels: labels.map((l) => `${l} by B`),
      });
    }
    a.destroy();
    b.destroy();
  });

  it('keeps a template section title the template’s when a therapist splits it and joins it again', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    /** Each section title's words and who wrote them (null: the template). */
    const titles = async () => (await review(id)).blocks.filter((blk) => blk.type === 'heading').map((blk) => [blk.runs.map((r) => r.text).join(''), [...new Set(blk.runs.map((r) => r.authorId))]]);
    const before = await titles();
    expect(before.every(([, authors]) => (authors as unknown[]).length === 1 && (authors as unknown[])[0] === null)).toBe(true);
    editAsEditor(a.doc, (s) => s.tr.split(positionOf(s.doc, 'ective')));
    await settled(a, b);
    expect(await titles()).toContainEqual(['ective', [null]]);
    expect((await titles()).filter(([, authors]) => (authors as unknown[]).some((x) => x !== null))).toEqual([]);
    await expect.poll(() => b.text().includes('Subj\nective')).toBe(true);
    editAsEditor(b.doc, (s) => s.tr.join(positionOf(s.doc, 'ective') - 1));
    await settled(a, b);
    expect(await titles()).toEqual(before);
    a.destroy();
    b.destroy();
  });
});
