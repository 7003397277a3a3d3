import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ReviewBlock, ReviewRun, ReviewView } from '../../shared/domain/review';
import { expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, liveSession } from '../helpers/connectClient';
import { parseMarkdown, plain, section } from '../helpers/markdownTree';
import { findText } from '../helpers/noteOps';

/** A block to write: its node name and attributes, then what it holds. */
type Shape = { name: string; attrs?: Record<string, string | number> }[];
const QUOTE: Shape = [{ name: 'blockquote' }, { name: 'paragraph' }];
const HEADING: Shape = [{ name: 'heading', attrs: { level: 2 } }];
const PARAGRAPH: Shape = [{ name: 'paragraph' }];
const BULLETS: Shape = [{ name: 'bulletList' }, { name: 'listItem' }, { name: 'paragraph' }];

/** The note's top-level block holding `words`. */
function topBlockOf(doc: Y.Doc, words: string): Y.XmlElement {
  const note = doc.getXmlFragment('note');
  let node: Y.XmlElement | Y.XmlText = findText(doc, words).text;
  while (node.parent !== note) node = node.parent as Y.XmlElement;
  return node as Y.XmlElement;
}

/** New elements of `shape`, nested, with the innermost holding `text`; returns the outermost. */
function build(shape: Shape, text: Y.XmlText): Y.XmlElement {
  let inner: Y.XmlElement | Y.XmlText = text;
  for (const { name, attrs } of [...shape].reverse()) {
    const el = new Y.XmlElement(name);
    for (const [k, v] of Object.entries(attrs ?? {})) el.setAttribute(k, v as string);
    el.insert(0, [inner]);
    inner = el;
  }
  return inner as Y.XmlElement;
}

/**
 * Turns the top-level block holding `words` into `shape` as y-prosemirror writes a change of node
 * type (a paragraph made a quote or a heading, a list item lifted out): the old block goes and a
 * new one takes its place, holding a copy of the words, marks and all.
 */
function retype(doc: Y.Doc, words: string, shape: Shape): void {
  doc.transact(() => {
    const note = doc.getXmlFragment('note');
    const old = topBlockOf(doc, words);
    const delta = findText(doc, words).text.toDelta() as { insert: string; attributes?: Record<string, unknown> }[];
    const text = new Y.XmlText();
    const index = note.toArray().indexOf(old);
    note.delete(index, 1);
    note.insert(index, [build(shape, text)]);
    for (const d of delta) text.insert(text.length, d.insert, d.attributes ?? {});
  });
}

/** A new line of `shape` at the end of the note, as a therapist writes it. */
function appendBlock(doc: Y.Doc, shape: Shape, words: string): void {
  doc.transact(() => {
    const text = new Y.XmlText();
    const note = doc.getXmlFragment('note');
    note.insert(note.length, [build(shape, text)]);
    text.insert(0, words);
  });
}

/** Backspace at the start of the line holding `words`: its words join the end of the line before (which keeps its kind). */
function joinToLineBefore(doc: Y.Doc, words: string): void {
  doc.transact(() => {
    const note = doc.getXmlFragment('note');
    const line = topBlockOf(doc, words);
    const index = note.toArray().indexOf(line);
    const before = (note.get(index - 1) as Y.XmlElement).get(0) as Y.XmlText;
    for (const d of findText(doc, words).text.toDelta() as { insert: string; attributes?: Record<string, unknown> }[]) before.insert(before.length, d.insert, d.attributes ?? {});
    note.delete(index, 1);
  });
}

const runsOf = (blocks: ReviewBlock[]): ReviewRun[] => blocks.flatMap((b) => [...b.runs, ...runsOf(b.children)]);

// A client's words made a quote read as the client's own; a therapist's line made a heading reads
// as a section title. Turning another's line into a quote, heading, list or code block (or out of
// one) carried no name (attack8 F4, docs/security.md until 1 Dec): the record now says who did it,
// like formatting another's words.
describe('the record shows who moved another’s words into a quote, heading or list, or out of one', async () => {
  const { server, clinic } = await startClinic({ env: { TANDEM_TIMEZONE: 'UTC' } });
  const review = async (id: string) => expectStatus(clinic.supervisor.api.get<ReviewView>(`/api/sessions/${id}/review`), 200, 'review');
  const settled = (...clients: { isSaved(): boolean }[]) => expect.poll(() => clients.every((c) => c.isSaved())).toBe(true);
  /** Each labelled run: its words, who labelled it (A or B), whose words they are, and what the label says. */
  const labelled = async (id: string) =>
    runsOf((await review(id)).blocks)
      .filter((run) => run.formatted)
      .map((run) => [run.text, run.formatted!.by === clinic.a.id ? 'A' : 'B', run.authorId === clinic.a.id ? 'A' : 'B', run.formatted!.changes.map((c) => `${c.mark} ${c.on ? 'on' : 'off'}`).join(', ')]);

  it('names the co-therapist who made her words a quote, in the review and the Markdown export, and nothing of one’s own line', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    appendParagraph(a.doc, 'I feel safe at home now.');
    appendParagraph(b.doc, 'Slept badly this week.');
    await expect.poll(() => b.text().includes('safe at home') && a.text().includes('Slept badly')).toBe(true);
    retype(b.doc, 'safe at home', QUOTE);
    retype(b.doc, 'Slept badly', HEADING);
    await settled(a, b);
    expect(await labelled(id)).toEqual([['I feel safe at home now.', 'B', 'A', 'block:blockquote on']]);

    const res = await fetch(`${server.baseUrl}/api/sessions/${id}/export.md`, { headers: { cookie: clinic.supervisor.api.cookie! } });
    expect(res.status).toBe(200);
    const note = section(parseMarkdown(await res.text()), 'Note').map(plain);
    expect(note).toContainEqual(expect.stringMatching(/^I feel safe at home now\. \[made a quote by Blair Therapist, \d{4}-\d\d-\d\d \d\d:\d\d \(UTC[^)]*\)\]$/));
    a.destroy();
    b.destroy();
  });

  it('labels a line made a heading, then taken out of it by the co-therapist, and drops the label once its writer puts it back', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    appendParagraph(a.doc, 'Plan: review the safety plan weekly.');
    await expect.poll(() => b.text().includes('safety plan')).toBe(true);
    retype(b.doc, 'safety plan', HEADING);
    await settled(a, b);
    expect(await labelled(id)).toEqual([['Plan: review the safety plan weekly.', 'B', 'A', 'block:heading on']]);
    // Her own words: she makes the line a paragraph again, and it reads as she wrote it.
    await expect.poll(() => topBlockOf(a.doc, 'safety plan').nodeName).toBe('heading');
    retype(a.doc, 'safety plan', PARAGRAPH);
    await settled(a, b);
    expect(await labelled(id)).toEqual([]);

    // Her list item, lifted out of its list by him.
    appendBlock(a.doc, BULLETS, 'Call the crisis line if needed.');
    await expect.poll(() => b.text().includes('crisis line')).toBe(true);
    retype(b.doc, 'crisis line', PARAGRAPH);
    await settled(a, b);
    expect(await labelled(id)).toEqual([['Call the crisis line if needed.', 'B', 'A', 'block:bulletList off']]);
    a.destroy();
    b.destroy();
  });

  it('labels her words joined onto his heading, but not his own words there, and keeps a plain line split unlabelled', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    appendBlock(b.doc, HEADING, 'Risk ');
    await expect.poll(() => a.text().includes('Risk')).toBe(true);
    appendParagraph(a.doc, 'none reported today.');
    await expect.poll(() => b.text().includes('none reported')).toBe(true);
    joinToLineBefore(b.doc, 'none reported');
    await settled(a, b);
    expect(await labelled(id)).toEqual([['none reported today.', 'B', 'A', 'block:heading on']]);
    const heading = (await review(id)).blocks.find((blk) => blk.type === 'heading' && blk.runs.some((r) => r.text.includes('Risk')))!;
    expect(heading.runs.map((r) => [r.text, r.authorId === clinic.a.id ? 'A' : 'B'])).toEqual([['Risk ', 'B'], ['none reported today.', 'A']]);

    // Lines split and joined where both halves keep their kind move no words into another block.
    appendParagraph(a.doc, 'Mood low, affect flat.');
    await expect.poll(() => b.text().includes('affect flat')).toBe(true);
    b.doc.transact(() => {
      const { text, index } = findText(b.doc, 'affect flat');
      const note = b.doc.getXmlFragment('note');
      const rest = text.toString().slice(index);
      text.delete(index, text.length - index);
      const line = new Y.XmlText();
      note.insert(note.toArray().indexOf(text.parent as Y.XmlElement) + 1, [build(PARAGRAPH, line)]);
      line.insert(0, rest);
    });
    await settled(a, b);
    expect((await labelled(id)).map(([words]) => words)).toEqual(['none reported today.']);
    a.destroy();
    b.destroy();
  });
});
