import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ReviewBlock, ReviewRun, ReviewView } from '../../shared/domain/review';
import { expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, liveSession } from '../helpers/connectClient';
import { parseMarkdown, plain, section } from '../helpers/markdownTree';
import { findText, joinToLineBefore, topBlockOf } from '../helpers/noteOps';
import { openRaw, updateFrame } from '../helpers/rawSocket';

/** A block to write: its node name and attributes, then what it holds. */
type Shape = { name: string; attrs?: Record<string, string | number> }[];
const QUOTE: Shape = [{ name: 'blockquote' }, { name: 'paragraph' }];
const HEADING: Shape = [{ name: 'heading', attrs: { level: 2 } }];
const PARAGRAPH: Shape = [{ name: 'paragraph' }];
const BULLETS: Shape = [{ name: 'bulletList' }, { name: 'listItem' }, { name: 'paragraph' }];

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
    expect(note).toContainEqual(expect.stringMatching(/^<kbd>AT<\/kbd> I feel safe at home now\. <kbd>made a quote by Blair Therapist, \d{4}-\d\d-\d\d \d\d:\d\d \(UTC[^)]*\)<\/kbd>$/));
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
    // The Markdown file shows no writers: the label says which words of the line it is about.
    const res = await fetch(`${server.baseUrl}/api/sessions/${id}/export.md`, { headers: { cookie: clinic.supervisor.api.cookie! } });
    expect(section(parseMarkdown(await res.text()), 'Note').map(plain)).toContainEqual(
      expect.stringMatching(/^<kbd>BT<\/kbd> Risk <kbd>AT<\/kbd> none reported today\. <kbd>“none reported today\.” made a heading by Blair Therapist, [^<]+<\/kbd>$/),
    );

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

  /** In one update: the top-level block holding `find` goes, and `words` are written in a new block of `shape` in its place. */
  const replaceBlock = (doc: Y.Doc, find: string, shape: Shape, words: string) =>
    doc.transact(() => {
      const note = doc.getXmlFragment('note');
      const index = note.toArray().indexOf(topBlockOf(doc, find));
      note.delete(index, 1);
      const text = new Y.XmlText();
      note.insert(index, [build(shape, text)]);
      text.insert(0, words);
    });

  // attack9 F1: her words struck by him, then written again by him (read as his undo) inside a
  // quote, heading or list, came back hers with no label.
  it('names him where he writes her struck words again in a quote, heading or list, or out of her list', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    const cases: [string, Shape, Shape, string][] = [
      ['I feel safe at home now.', PARAGRAPH, QUOTE, 'block:blockquote on'],
      ['Sleeps six hours a night.', PARAGRAPH, HEADING, 'block:heading on'],
      ['Eats regular meals again.', PARAGRAPH, BULLETS, 'block:bulletList on'],
      ['Do not call the crisis line.', BULLETS, PARAGRAPH, 'block:bulletList off'],
    ];
    for (const [words, from, to] of cases) {
      appendBlock(a.doc, from, words);
      await expect.poll(() => b.text().includes(words)).toBe(true);
      b.doc.transact(() => {
        const { text } = findText(b.doc, words);
        text.delete(0, text.length);
      });
      await settled(a, b);
      // Then the emptied line (the note's last) goes, and the same words come in a block of another kind.
      const note = b.doc.getXmlFragment('note');
      b.doc.transact(() => {
        note.delete(note.length - 1, 1);
        const text = new Y.XmlText();
        note.insert(note.length, [build(to, text)]);
        text.insert(0, words);
      });
      await settled(a, b);
    }
    const runs = runsOf((await review(id)).blocks);
    expect(runs.filter((r) => r.struck).map((r) => r.text)).toEqual([]);
    expect((await labelled(id)).map(([words, by, author, change]) => [words, by, author, change])).toEqual(cases.map(([words, , , change]) => [words, 'B', 'A', change]));

    // Her "not " struck by him, then written again by him as he makes the line a quote.
    appendParagraph(a.doc, 'Client is not at risk.');
    await expect.poll(() => b.text().includes('not at risk')).toBe(true);
    b.doc.transact(() => {
      const { text, index } = findText(b.doc, 'not at risk');
      text.delete(index, 4);
    });
    await settled(a, b);
    replaceBlock(b.doc, 'Client is at risk.', QUOTE, 'Client is not at risk.');
    await settled(a, b);
    const quoted = (await labelled(id)).filter(([words]) => 'Client is not at risk.'.includes(words as string));
    expect(quoted.map(([words]) => words).join('')).toBe('Client is not at risk.');
    expect(new Set(quoted.map(([, by, author, change]) => `${by} ${author} ${change}`))).toEqual(new Set(['B A block:blockquote on']));
    a.destroy();
    b.destroy();
  });

  // attack9 F2: a label put on by the co-therapist came back, with its old time, when the writer
  // undid her change and later made it again herself.
  it('names no one where the writer herself makes her words look again as the co-therapist once did', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    appendParagraph(b.doc, 'Reports sleeping well.');
    appendParagraph(a.doc, 'Client denies any plan.');
    await expect.poll(() => a.text().includes('sleeping well') && b.text().includes('any plan')).toBe(true);
    // Block kind: A makes his line a quote; he takes it out, and later quotes it himself.
    retype(a.doc, 'sleeping well', QUOTE);
    await settled(a, b);
    expect((await labelled(id)).map(([words, by]) => [words, by])).toEqual([['Reports sleeping well.', 'A']]);
    await expect.poll(() => topBlockOf(b.doc, 'sleeping well').nodeName).toBe('blockquote');
    retype(b.doc, 'sleeping well', PARAGRAPH);
    await settled(a, b);
    expect(await labelled(id)).toEqual([]);
    retype(b.doc, 'sleeping well', QUOTE);
    await settled(a, b);
    expect(await labelled(id)).toEqual([]);

    // A mark: he strikes her word through; she takes the strike off, and later strikes it herself.
    const strike = (doc: Y.Doc, words: string, value: object | null) => {
      const { text, index } = findText(doc, words);
      text.format(index, words.length, { strike: value });
    };
    strike(b.doc, 'denies', {});
    await settled(a, b);
    expect((await labelled(id)).map(([words, by, , change]) => [words, by, change])).toEqual([['denies', 'B', 'strike on']]);
    await expect.poll(() => (findText(a.doc, 'denies').text.toDelta() as { attributes?: object }[]).some((d) => d.attributes)).toBe(true);
    strike(a.doc, 'denies', null);
    await settled(a, b);
    expect(await labelled(id)).toEqual([]);
    strike(a.doc, 'denies', {});
    await settled(a, b);
    expect(await labelled(id)).toEqual([]);
    a.destroy();
    b.destroy();
  });

  // walk D1: A quoted B's line as her screen had it while B typed on; the letters he typed after
  // her copy went with the old line, and the record struck his whole line "deleted by A" and
  // credited her copy of his words to her.
  it('keeps his words his where she quotes his line while he types on, and strikes only the letters her copy lacks', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    appendParagraph(b.doc, 'Ben keeps typin');
    await expect.poll(() => a.text().includes('Ben keeps typin')).toBe(true);
    // Her screen as it is now: she quotes the line from it, while his next letters are on their way.
    const screen = new Y.Doc();
    Y.applyUpdate(screen, Y.encodeStateAsUpdate(a.doc));
    const seen = Y.encodeStateVector(screen);
    b.doc.transact(() => {
      const { text } = findText(b.doc, 'Ben keeps typin');
      text.insert(text.length, 'g on');
    });
    await settled(b);
    retype(screen, 'Ben keeps typin', QUOTE);
    // Sent as her editor sends it: its delete set names only what her screen had.
    const raw = await openRaw(server.baseUrl, id, { cookie: clinic.a.api.cookie!, origin: server.baseUrl });
    raw.ws.send(updateFrame(Y.encodeStateAsUpdate(screen, seen)));
    await expect.poll(() => b.text().includes('> ') || b.doc.getXmlFragment('note').toString().includes('<blockquote>')).toBe(true);
    await settled(a, b);
    const runs = runsOf((await review(id)).blocks).filter((r) => /Ben|typin|g on/.test(r.text));
    expect(runs.map((r) => [r.text, r.authorId === clinic.b.id ? 'B' : 'A', r.struck ? 'struck by A' : '', r.formatted ? r.formatted.changes.map((c) => c.mark).join() : ''])).toEqual([
      ['Ben keeps typin', 'B', '', 'block:blockquote'],
      ['g on', 'B', 'struck by A', ''],
    ]);
    a.destroy();
    b.destroy();
  });
});
