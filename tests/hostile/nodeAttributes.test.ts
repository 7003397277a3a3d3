/**
 * A node's attributes say how its words read: a heading's level, where a numbered list starts and
 * how it numbers, a code block's language, whom a mention names. The co-therapist changed them on
 * the other's lines and nothing was refused or recorded: A's "1. 2. 3." of a plan read "7. 8. 9."
 * and A's level-2 heading a level-4 one, as A's work, in the review and both exports (attack, 6 Dec).
 * Now a change of a block's attribute by someone other than its words' writer is labelled with her
 * name by the same rule as a change of the line's kind (the difference from how the writer wrote
 * them; a round trip leaves nothing), and whom another's mention names is not hers to change.
 */
import type { Node as PmNode } from '@tiptap/pm/model';
import { extractText } from 'unpdf';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ReviewBlock, ReviewRun, ReviewView } from '../../shared/domain/review';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';
import { createSession, expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { connectClient, liveSession, type TestClient } from '../helpers/connectClient';
import { craftFrom, readState, roundTrip, updateOf } from '../helpers/craft';
import { editAsEditor, positionOf } from '../helpers/editorEdit';
import { parseMarkdown, plain, section } from '../helpers/markdownTree';
import { appendPieces } from '../helpers/noteOps';
import { openRaw, updateFrame } from '../helpers/rawSocket';

const runsOf = (blocks: ReviewBlock[]): ReviewRun[] => blocks.flatMap((b) => [...b.runs, ...runsOf(b.children)]);
const runsOfMentions = (blocks: ReviewBlock[]): ReviewBlock[] => blocks.flatMap((b) => (b.type === 'mention' ? [b] : runsOfMentions(b.children)));

/** A block of `node` with `attrs` holding `lines` (one paragraph per list item; a heading's or code block's text). */
function appendBlock(doc: Y.Doc, node: 'heading' | 'orderedList' | 'codeBlock', attrs: Record<string, unknown>, lines: string[]): void {
  const block = new Y.XmlElement(node);
  for (const [k, v] of Object.entries(attrs)) block.setAttribute(k, v as string);
  if (node === 'orderedList') {
    block.insert(0, lines.map((line) => {
      const item = new Y.XmlElement('listItem');
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(line)]);
      item.insert(0, [p]);
      return item;
    }));
  } else block.insert(0, [new Y.XmlText(lines.join('\n'))]);
  doc.getXmlFragment(NOTE_FIELD).push([block]);
}

/** The element of `node` holding `words`, in `doc`. */
function blockOf(doc: Y.Doc, node: string, words: string): Y.XmlElement {
  for (const el of doc.getXmlFragment(NOTE_FIELD).createTreeWalker((n) => n instanceof Y.XmlElement && n.nodeName === node)) {
    if ((el as Y.XmlElement).toString().includes(words)) return el as Y.XmlElement;
  }
  throw new Error(`no ${node} holds "${words}"`);
}

/** The position of the note's first member mention. */
function mentionAt(doc: PmNode): number {
  let at = -1;
  doc.descendants((node, pos) => {
    if (at < 0 && node.type.name === 'mention') at = pos;
    return at < 0;
  });
  return at;
}

/** Sets `attrs` on the node of `node` around `words`, as the editor's binding writes it. */
const editAttrs = (doc: Y.Doc, node: string, words: string, attrs: Record<string, unknown>) =>
  editAsEditor(doc, (s) => {
    const $at = s.doc.resolve(positionOf(s.doc, words));
    for (let d = $at.depth; d > 0; d--) {
      if ($at.node(d).type.name !== node) continue;
      const tr = s.tr;
      for (const [k, v] of Object.entries(attrs)) tr.setNodeAttribute($at.before(d), k, v);
      return tr;
    }
    throw new Error(`"${words}" is not in a ${node}`);
  });

interface Case {
  name: string;
  node: 'heading' | 'orderedList' | 'codeBlock';
  attrs: Record<string, unknown>;
  lines: string[];
  /** What B sets, and how the Markdown export labels it. */
  forged: Record<string, unknown>;
  label: string;
  /** A change away and back. */
  away: Record<string, unknown>;
}

const cases: Case[] = [
  { name: 'a heading’s level', node: 'heading', attrs: { level: 2 }, lines: ['Risk factors'], forged: { level: 4 }, label: 'made a level-4 heading', away: { level: 3 } },
  { name: 'where a numbered list starts', node: 'orderedList', attrs: { start: 1 }, lines: ['Call the crisis line', 'Remove the means', 'Review on Friday'], forged: { start: 7 }, label: 'numbering set to start at 7', away: { start: 2 } },
  { name: 'how a numbered list numbers', node: 'orderedList', attrs: { start: 1 }, lines: ['Sleep hygiene', 'Grounding exercise'], forged: { type: 'a' }, label: 'numbered a, b, c', away: { type: 'I' } },
  { name: 'a code block’s language', node: 'codeBlock', attrs: { language: 'text' }, lines: ['PHQ-9 score 14'], forged: { language: 'sql' }, label: 'code language set to sql', away: { language: 'python' } },
];

describe('a change of another’s block attributes', async () => {
  const { server, clinic } = await startClinic({ env: { TANDEM_TIMEZONE: 'UTC' } });
  const review = async (id: string) => expectStatus(clinic.supervisor.api.get<ReviewView>(`/api/sessions/${id}/review`), 200, 'review');
  const settled = (...clients: TestClient[]) => expect.poll(() => clients.every((c) => c.isSaved())).toBe(true);
  /** Each labelled run holding one of `lines`: its words, its label's changes and hand (A or B). */
  const labelled = async (id: string, lines: string[]) =>
    runsOf((await review(id)).blocks)
      .filter((r) => r.formatted && lines.some((l) => l.includes(r.text) || r.text.includes(l)))
      .map((r) => [r.text, r.formatted!.changes.map((c) => `${c.mark} ${c.on ? 'on' : 'off'}`).join(', '), r.formatted!.by === clinic.a.id ? 'A' : 'B']);
  /** The Markdown export's lines of the note (a list's: one per item) that hold one of `lines`. */
  const exported = async (id: string, lines: string[]) => {
    const res = await fetch(`${server.baseUrl}/api/sessions/${id}/export.md`, { headers: { cookie: clinic.supervisor.api.cookie! } });
    expect(res.status).toBe(200);
    const nodes = section(parseMarkdown(await res.text()), 'Note').flatMap((n) => (n.type === 'list' ? n.children : [n]));
    return nodes.map(plain).filter((line) => lines.some((l) => line.includes(l)));
  };
  /** A's block, written and saved, in a live session of A and B. */
  const written = async (c: Case) => {
    const session = await liveSession(server.baseUrl, clinic);
    appendBlock(session.a.doc, c.node, c.attrs, c.lines);
    await expect.poll(() => session.a.isSaved() && session.b.text().includes(c.lines.at(-1)!)).toBe(true);
    return session;
  };
  /** B's raw socket to session `id`, sending one update `forge` writes on a copy of the note (the socket stays open). */
  const forgedByB = async (id: string, forge: (doc: Y.Doc) => void) => {
    const raw = await openRaw(server.baseUrl, id, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    const forger = craftFrom(await roundTrip(raw));
    raw.ws.send(updateFrame(updateOf(forger, () => forge(forger))));
    return raw;
  };

  it('a heading’s level given by a copy of her line (deleted and written again at level 4 in one update) is B’s too; her code block he makes a heading reads “made a heading”, its level no second label', async () => {
    const [c] = cases;
    const { id, a, b } = await written(c!);
    const raw = await forgedByB(id, (forger) => {
      const note = forger.getXmlFragment(NOTE_FIELD);
      const at = note.toArray().indexOf(blockOf(forger, 'heading', 'Risk factors'));
      const copy = new Y.XmlElement('heading');
      copy.setAttribute('level', 4 as unknown as string);
      copy.insert(0, [new Y.XmlText('Risk factors')]);
      note.insert(at, [copy]);
      note.delete(at + 1, 1);
    });
    await roundTrip(raw);
    raw.ws.close();
    const runs = runsOf((await review(id)).blocks).filter((r) => r.text.includes('Risk'));
    expect(runs.map((r) => [r.text, r.authorId === clinic.a.id ? 'A' : 'B', r.struck ? 'struck' : '', r.formatted?.by === clinic.b.id ? 'by B' : ''])).toEqual([['Risk factors', 'A', '', 'by B']]);
    expect(await exported(id, ['Risk factors'])).toEqual([expect.stringMatching(/^<kbd>AT<\/kbd> Risk factors <kbd>made a level-4 heading by Blair Therapist, [^<]+<\/kbd>$/)]);

    // Her code block he makes a level-3 heading with the editor: the kind says it, once.
    appendBlock(a.doc, 'codeBlock', {}, ['Slept four hours']);
    await settled(a);
    await expect.poll(() => b.text().includes('Slept four hours')).toBe(true);
    editAsEditor(b.doc, (s) => s.tr.setBlockType(positionOf(s.doc, 'Slept'), positionOf(s.doc, 'Slept'), s.schema.nodes.heading!, { level: 3 }));
    await settled(b);
    expect((await exported(id, ['Slept four hours']))).toEqual([expect.stringMatching(/^<kbd>AT<\/kbd> Slept four hours <kbd>taken out of a code block, made a heading by Blair Therapist, [^<]+<\/kbd>$/)]);
    a.destroy();
    b.destroy();
  });

  it('a heading’s level set in a big update (judged off the event loop) is labelled too', async () => {
    const [c] = cases;
    const { id, a, b } = await written(c!);
    const raw = await forgedByB(id, (forger) => {
      blockOf(forger, 'heading', 'Risk factors').setAttribute('level', 4 as unknown as string);
      const padding = new Y.XmlElement('paragraph');
      padding.insert(0, [new Y.XmlText('x'.repeat(300_000))]);
      forger.getXmlFragment(NOTE_FIELD).push([padding]);
    });
    // Judged off the event loop after the socket's answer, and dropped if its sender leaves first:
    // the socket stays open until it is in (its last piece applied).
    await expect.poll(async () => (await review(id)).blocks.some((bl) => bl.runs.some((r) => r.text.startsWith('xxx'))), { timeout: 60_000 }).toBe(true);
    raw.ws.close();
    expect(await labelled(id, c!.lines)).toEqual([['Risk factors', 'block:heading.level=4 on', 'B']]);
    a.destroy();
    b.destroy();
  });

  it('a heading’s level B gave stays B’s through a quote and out again (each a copy of the line)', async () => {
    const [c] = cases;
    const { id, a, b } = await written(c!);
    editAttrs(b.doc, 'heading', 'Risk factors', { level: 4 });
    await settled(b);
    editAsEditor(b.doc, (s) => s.tr.wrap(s.doc.resolve(positionOf(s.doc, 'Risk')).blockRange()!, [{ type: s.schema.nodes.blockquote! }]));
    await settled(b);
    expect(await labelled(id, c!.lines)).toEqual([['Risk factors', 'block:blockquote on, block:heading.level=4 on', 'B']]);
    editAsEditor(b.doc, (s) => s.tr.lift(s.doc.resolve(positionOf(s.doc, 'Risk')).blockRange()!, 0));
    await settled(b);
    expect(await labelled(id, c!.lines)).toEqual([['Risk factors', 'block:heading.level=4 on', 'B']]);
    a.destroy();
    b.destroy();
  });

  it('whom her mention names is refused when B’s editor sets it (not_yours), and the review still reads her @M1', async () => {
    const id = await createSession(clinic, 'group');
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1', 'M2'] }), 200, 'labels');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    const a = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    const b = connectClient(server.baseUrl, id, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    appendPieces(a.doc, [{ member: 'M1' }, ' went quiet when her father came up.']);
    await settled(a);
    await expect.poll(() => b.text().includes('went quiet')).toBe(true);
    editAsEditor(b.doc, (s) => s.tr.setNodeAttribute(mentionAt(s.doc), 'id', 'M2'));
    await expect.poll(() => b.notices.filter((n) => n.type === 'refused').map((n) => (n as { code: string }).code)).toEqual(['not_yours']);
    const mentions = async () =>
      runsOfMentions((await review(id)).blocks).map((c) => [c.attrs.id, c.authorId === clinic.a.id ? 'A' : 'B']);
    expect(await mentions()).toEqual([['M1', 'A']]);
    // Her line he makes a heading (his page, loaded again) is a copy: the mention in it is his
    // element, and the review says so; whom he then makes it name is his word, in his name.
    b.destroy();
    const b2 = connectClient(server.baseUrl, id, clinic.b.api.cookie);
    await expect.poll(() => b2.provider.synced && b2.text().includes('went quiet')).toBe(true);
    editAsEditor(b2.doc, (s) => s.tr.setBlockType(positionOf(s.doc, ' went'), positionOf(s.doc, ' went'), s.schema.nodes.heading!, { level: 2 }));
    await settled(b2);
    expect(await mentions()).toEqual([['M1', 'B']]);
    editAsEditor(b2.doc, (s) => s.tr.setNodeAttribute(mentionAt(s.doc), 'id', 'M2'));
    await settled(b2);
    expect(await mentions()).toEqual([['M2', 'B']]);
    a.destroy();
    b2.destroy();
  });

  for (const c of cases) {
    it(`${c.name}: set by B in a raw update, is labelled with B’s name in the review, the Markdown and the PDF`, async () => {
      const { id, a, b } = await written(c);
      const raw = await forgedByB(id, (forger) => {
        for (const [k, v] of Object.entries(c.forged)) blockOf(forger, c.node, c.lines[0]!).setAttribute(k, v as string);
      });
      // One entry for the block's words, however many lines: one per line cost the stored note as much again at every change.
      expect(readState(await roundTrip(raw)).notes.formatted.size).toBe(1);
      expect(raw.notices.filter((n) => n.type === 'refused')).toEqual([]);
      raw.ws.close();
      // A list's numbering is said once, on its first line (walk, 6 Dec: on every item it said it as often).
      const saidOn = c.node === 'orderedList' ? c.lines.slice(0, 1) : c.lines;
      const runs = await labelled(id, c.lines);
      expect(runs.map(([text]) => text)).toEqual(saidOn);
      expect(new Set(runs.map(([, , by]) => by))).toEqual(new Set(['B']));
      const md = await exported(id, c.lines);
      expect(md).toHaveLength(c.lines.length);
      const label = new RegExp(`<kbd>${c.label} by Blair Therapist, [^<]+</kbd>$`);
      expect(md.map((line) => label.test(line))).toEqual(c.lines.map((l) => saidOn.includes(l)));
      // The PDF's text (its own layout: lines may break anywhere between words).
      const pdf = await fetch(`${server.baseUrl}/api/sessions/${id}/export.pdf`, { headers: { cookie: clinic.supervisor.api.cookie! } });
      expect(pdf.status).toBe(200);
      const { text } = await extractText(new Uint8Array(await pdf.arrayBuffer()), { mergePages: true });
      expect(text.replace(/\s+/g, ' ')).toContain(`${c.label} by Blair Therapist`);
      a.destroy();
      b.destroy();
    });

    it(`${c.name}: set by B’s editor and back again leaves no label; set by A herself, none either`, async () => {
      const { id, a, b } = await written(c);
      editAttrs(b.doc, c.node, c.lines[0]!, c.forged);
      await settled(b);
      expect(new Set((await labelled(id, c.lines)).map(([, , by]) => by))).toEqual(new Set(['B']));
      editAttrs(b.doc, c.node, c.lines[0]!, c.away);
      await settled(b);
      editAttrs(b.doc, c.node, c.lines[0]!, c.attrs.level !== undefined || c.attrs.language !== undefined ? c.attrs : { start: 1, type: null });
      await settled(b);
      expect(await labelled(id, c.lines)).toEqual([]);
      await expect.poll(() => a.text().includes(c.lines[0]!)).toBe(true);
      editAttrs(a.doc, c.node, c.lines[0]!, c.forged);
      await settled(a);
      expect(await labelled(id, c.lines)).toEqual([]);
      expect((await exported(id, c.lines)).filter((l) => l.includes('<kbd>'))).toEqual(c.lines.map(() => expect.stringMatching(/^<kbd>AT<\/kbd> [^<]*$/)));
      a.destroy();
      b.destroy();
    });
  }
});
