import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ReviewBlock, ReviewRun, ReviewView } from '../../shared/domain/review';
import { sessionDoc, STRUCK } from '../../shared/ydoc/sessionDoc';
import { expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, connectClient, liveSession } from '../helpers/connectClient';
import { craftFrom, deleteOnly, readState, roundTrip, updateOf } from '../helpers/craft';
import { parseMarkdown, plain, section, walk } from '../helpers/markdownTree';
import { appendPieces, findText, joinToLineBefore, tagSpan } from '../helpers/noteOps';
import { openRaw, updateFrame } from '../helpers/rawSocket';

const runsOf = (blocks: ReviewBlock[]): ReviewRun[] => blocks.flatMap((b) => [...b.runs, ...runsOf(b.children)]);
/** The note as it now reads, one line per text block (struck words left out). */
const noteLines = (blocks: ReviewBlock[]): string[] =>
  blocks.flatMap((b) => [...(b.runs.some((r) => !r.struck) ? [b.runs.filter((r) => !r.struck).map((r) => r.text).join('')] : []), ...noteLines(b.children)]);
const struck = (review: ReviewView) => runsOf(review.blocks).filter((r) => r.struck).map((r) => ({ text: r.text, author: r.authorId, by: r.struck!.by }));

/** The paragraph of the note holding `words`, and its text. */
function lineWith(doc: Y.Doc, words: string): { note: Y.XmlFragment; index: number; text: Y.XmlText } {
  const note = doc.getXmlFragment('note');
  const index = note.toArray().findIndex((p) => p instanceof Y.XmlElement && p.toString().includes(words));
  return { note, index, text: (note.get(index) as Y.XmlElement).get(0) as Y.XmlText };
}

/** Enter after `words`, as y-prosemirror writes it: the rest leaves the line, a new line holds it. */
function splitAfter(doc: Y.Doc, words: string): void {
  doc.transact(() => {
    const { note, index, text } = lineWith(doc, words);
    const at = text.toString().indexOf(words) + words.length;
    const tail = text.toString().slice(at);
    text.delete(at, tail.length);
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(tail)]);
    note.insert(index + 1, [p]);
  });
}

// attack5 (1 Dec): B deleted "not " from A's "Client is not at risk."; the review and the export
// then credited "Client is at risk." wholly to A, with no trace of B's hand.
describe('the record shows a co-therapist’s hand in another’s words: deletions struck through with who made them, words written inside another’s observation named', async () => {
  const { server, clinic } = await startClinic({ env: { TANDEM_TIMEZONE: 'UTC' } });

  const liveNote = () => liveSession(server.baseUrl, clinic);
  /** The note's whole state as the server holds it, read over a raw socket of A's. */
  const roundTripOf = async (id: string) => {
    const raw = await openRaw(server.baseUrl, id, { cookie: clinic.a.api.cookie!, origin: server.baseUrl });
    try {
      return await roundTrip(raw);
    } finally {
      raw.ws.close();
    }
  };
  const review = async (id: string) => (await expectStatus(clinic.supervisor.api.get<ReviewView>(`/api/sessions/${id}/review`), 200, 'review'));

  it('shows words deleted from inside another’s line and another’s whole paragraph in place, in the review and the Markdown export, and keeps them through compaction', async () => {
    const { id, a, b } = await liveNote();
    appendParagraph(a.doc, 'Client is not at risk.');
    appendParagraph(a.doc, 'Denies any plan.');
    await expect.poll(() => b.text().includes('Denies')).toBe(true);
    appendParagraph(b.doc, 'Slept badly this week.');
    await expect.poll(() => a.isSaved() && b.isSaved() && a.text().includes('Slept') && b.text().includes('Denies')).toBe(true);

    // B takes "not " out of A's sentence and removes A's second paragraph; B corrects his own words.
    const not = findText(b.doc, 'not ');
    not.text.delete(not.index, 4);
    const note = b.doc.getXmlFragment('note');
    const denies = note.toArray().findIndex((p) => p instanceof Y.XmlElement && p.toString().includes('Denies'));
    note.delete(denies, 1);
    const badly = findText(b.doc, 'badly ');
    badly.text.delete(badly.index, 6);
    await expect.poll(() => b.isSaved() && a.text().includes('Client is at risk.') && !a.text().includes('Denies')).toBe(true);

    const live = await review(id);
    expect(noteLines(live.blocks)).toEqual(expect.arrayContaining(['Client is at risk.', 'Slept this week.']));
    expect(noteLines(live.blocks).join('\n')).not.toContain('Denies');
    expect(struck(live)).toEqual([
      { text: 'not ', author: clinic.a.id, by: clinic.b.id },
      { text: 'Denies any plan.', author: clinic.a.id, by: clinic.b.id },
    ]);
    // In place: between A's words, and where A's paragraph stood (after her first, before B's).
    const line = live.blocks.find((bl) => bl.runs.some((r) => r.text.includes('Client')))!;
    expect(line.runs.map((r) => [r.text, r.struck ? 'struck' : 'kept'])).toEqual([['Client is ', 'kept'], ['not ', 'struck'], ['at risk.', 'kept']]);
    const order = live.blocks.map((bl) => bl.runs.map((r) => r.text).join('')).filter((t) => /Client|Denies|Slept/.test(t));
    expect(order).toEqual(['Client is not at risk.', 'Denies any plan.', 'Slept this week.']);

    const res = await fetch(`${server.baseUrl}/api/sessions/${id}/export.md`, { headers: { cookie: clinic.supervisor.api.cookie! } });
    expect(res.status).toBe(200);
    const md = await res.text();
    const exported = section(parseMarkdown(md), 'Note');
    const deleted = exported.flatMap((n) => [...walk(n)]).filter((n) => n.type === 'delete').map(plain);
    expect(deleted).toEqual(['not', 'Denies any plan.']);
    const lines = exported.map(plain);
    expect(lines).toContainEqual(expect.stringMatching(/^<kbd>AT<\/kbd> Client is not <kbd>deleted by Blair Therapist, \d{4}-\d\d-\d\d \d\d:\d\d \(UTC[^)]*\)<\/kbd> at risk\.$/));
    expect(lines).toContainEqual(expect.stringMatching(/^<kbd>AT<\/kbd> Denies any plan\. <kbd>deleted by Blair Therapist, /));
    expect(lines).toContain('<kbd>BT</kbd> Slept this week.');

    // Everyone leaves: the note is compacted (Yjs drops deleted text from the snapshot), and the review still shows them.
    a.destroy();
    b.destroy();
    await expect.poll(async () => {
      const { snapshot, tail } = await server.store.docs.load(id);
      return tail.length === 0 && snapshot?.meta != null;
    }, { timeout: 20_000 }).toBe(true);
    const compacted = await review(id);
    expect(struck(compacted)).toEqual(struck(live));
    expect(compacted.blocks).toEqual(live.blocks);
  });

  it('keeps a word deleted key by key as one struck word with one label, and nothing of the sender’s own words or the template', async () => {
    const { id, a, b } = await liveNote();
    appendParagraph(a.doc, 'Affect quite flat.');
    await expect.poll(() => a.isSaved() && b.text().includes('quite')).toBe(true);
    // Backspace from the end of "quite ": one update per key, last letter first.
    const quite = findText(b.doc, 'quite ');
    for (let i = 5; i >= 0; i--) b.doc.transact(() => quite.text.delete(quite.index + i, 1));
    // B's own words and a heading of the template go without a trace.
    appendParagraph(b.doc, 'Typo here.');
    const typo = findText(b.doc, 'Typo ');
    b.doc.transact(() => typo.text.delete(typo.index, 5));
    const heading = findText(b.doc, 'Plan');
    b.doc.transact(() => heading.text.delete(heading.index, 4));
    await expect.poll(() => b.isSaved() && a.text().includes('Affect flat.') && !a.text().includes('Typo')).toBe(true);

    const r = await review(id);
    expect(struck(r)).toEqual([{ text: 'quite ', author: clinic.a.id, by: clinic.b.id }]);
    const { notes } = readState((await roundTripOf(id)));
    expect([...notes.struck.values()].map((e) => e.text)).toEqual(['quite ']);
    const res = await fetch(`${server.baseUrl}/api/sessions/${id}/export.md`, { headers: { cookie: clinic.a.api.cookie! } });
    const line = section(parseMarkdown(await res.text()), 'Note').map(plain).find((l) => l.startsWith('<kbd>AT</kbd> Affect'));
    expect(line).toMatch(/^<kbd>AT<\/kbd> Affect quite <kbd>deleted by Blair Therapist, [^<]+<\/kbd> flat\.$/);
    a.destroy();
    b.destroy();
  });

  it('keeps words struck earlier in their place when the paragraph around them is deleted later', async () => {
    const { id, a, b } = await liveNote();
    appendParagraph(a.doc, 'Client is not at risk.');
    await expect.poll(() => a.isSaved() && b.text().includes('not at risk')).toBe(true);
    const not = findText(b.doc, 'not ');
    not.text.delete(not.index, 4);
    await expect.poll(() => b.isSaved() && a.text().includes('Client is at risk.')).toBe(true);
    const note = b.doc.getXmlFragment('note');
    note.delete(note.toArray().findIndex((p) => p instanceof Y.XmlElement && p.toString().includes('Client')), 1);
    await expect.poll(() => b.isSaved() && !a.text().includes('Client')).toBe(true);

    const r = await review(id);
    const deleted = r.blocks.find((bl) => bl.runs.some((run) => run.text.includes('Client')))!;
    expect(deleted.runs.map((run) => [run.text, run.struck?.by])).toEqual([['Client is ', clinic.b.id], ['not ', clinic.b.id], ['at risk.', clinic.b.id]]);
    const res = await fetch(`${server.baseUrl}/api/sessions/${id}/export.md`, { headers: { cookie: clinic.a.api.cookie! } });
    const lines = section(parseMarkdown(await res.text()), 'Note').map(plain);
    expect(lines).toContainEqual(expect.stringMatching(/^<kbd>AT<\/kbd> Client is not at risk\. <kbd>deleted by Blair Therapist, [^<]+<\/kbd>$/));
    a.destroy();
    b.destroy();
  });

  it('says whose words are inside an observation when a co-therapist wrote some of them', async () => {
    const { id, a, b } = await liveNote();
    appendParagraph(a.doc, 'She went quiet after that.');
    const tagged = tagSpan(a.doc, 'went quiet', { authorId: clinic.a.id, tags: ['affect'] });
    await expect.poll(() => a.isSaved() && b.doc.getMap('observations').has(tagged.id)).toBe(true);
    // B types inside A's tagged words: the new words take the mark of the words around them.
    const at = findText(b.doc, 'quiet');
    at.text.insert(at.index, 'very ');
    await expect.poll(() => b.isSaved() && a.text().includes('went very quiet')).toBe(true);
    const o = (await review(id)).observations.find((x) => x.id === tagged.id)!;
    expect([o.quote, o.authorId, o.alsoWrittenBy]).toEqual(['went very quiet', clinic.a.id, [{ id: clinic.b.id, name: 'Blair Therapist' }]]);
    const res = await fetch(`${server.baseUrl}/api/sessions/${id}/export.md`, { headers: { cookie: clinic.a.api.cookie! } });
    expect(section(parseMarkdown(await res.text()), 'Observations').map(plain)).toEqual([
      // And that the words it quotes changed, by whom (observationExtent.test.ts).
      expect.stringMatching(/^Affect — <kbd>Alex Therapist, [^<]+<\/kbd> — “went very quiet” <kbd>with words by Blair Therapist<\/kbd> <kbd>what it quotes changed by Blair Therapist, [^<]+<\/kbd> — as tagged: “went quiet”$/),
    ]);
    a.destroy();
    b.destroy();
  });

  it('keeps a mention its writer’s: another cannot change whom it names, a deleted one is struck, a mention put into another’s words is the putter’s', async () => {
    const { id: sessionId } = await expectStatus(clinic.a.api.post<{ id: string }>('/api/sessions', { title: 'Group', kind: 'group' }), 201, 'create');
    await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/members`, { userId: clinic.b.id, role: 'therapist' }), 201, 'add B');
    await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/members`, { userId: clinic.supervisor.id, role: 'supervisor' }), 201, 'add supervisor');
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${sessionId}/group-members`, { labels: ['M1', 'M2', 'M3'] }), 200, 'labels');
    await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/start`), 200, 'start');
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendPieces(a.doc, [{ member: 'M2' }, ' disclosed suicidal ideation with a plan.']);
    appendPieces(a.doc, [{ member: 'M3' }, ' reported self-harm last night.']);
    appendPieces(a.doc, ['Was withdrawn and did not speak.']);
    await expect.poll(() => a.isSaved()).toBe(true);

    const raw = await openRaw(server.baseUrl, sessionId, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    const forger = craftFrom(await roundTrip(raw));
    const mentions = forger.getXmlFragment('note').toArray().flatMap((p) => (p instanceof Y.XmlElement ? p.toArray() : [])).filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'mention');
    const [m2] = mentions;
    // Renaming or blanking whom A's mention names: refused, nothing changed.
    raw.ws.send(updateFrame(updateOf(forger, () => m2!.setAttribute('id', 'M1'))));
    const forger2 = craftFrom(await roundTrip(raw));
    const m2again = forger2.getXmlFragment('note').toArray().flatMap((p) => (p instanceof Y.XmlElement ? p.toArray() : [])).find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.getAttribute('id') === 'M2')!;
    raw.ws.send(updateFrame(updateOf(forger2, () => m2again.removeAttribute('id'))));
    // Deleting A's "@M3", and putting "@M2" before A's last line: accepted, and shown as B's doing.
    const forger3 = craftFrom(await roundTrip(raw));
    const paragraphs = forger3.getXmlFragment('note').toArray().filter((p): p is Y.XmlElement => p instanceof Y.XmlElement);
    const withM3 = paragraphs.find((p) => p.toArray().some((c) => c instanceof Y.XmlElement && c.getAttribute('id') === 'M3'))!;
    const last = paragraphs.find((p) => p.toString().includes('Was withdrawn'))!;
    raw.ws.send(updateFrame(updateOf(forger3, () => {
      withM3.delete(withM3.toArray().findIndex((c) => c instanceof Y.XmlElement), 1);
      const mention = new Y.XmlElement('mention');
      mention.setAttribute('id', 'M2');
      last.insert(0, [mention]);
    })));
    await roundTrip(raw);
    expect(raw.notices.filter((n) => n.type === 'refused').map((n) => (n as { code: string }).code)).toEqual(['not_yours', 'not_yours']);
    raw.ws.close();

    const r = await review(sessionId);
    const runs = (list: ReviewRun[]) => list.map((run) => (run.struck ? `~~${run.text}~~` : run.text)).join('');
    const read = (bl: ReviewBlock): string => runs(bl.runs) + bl.children.map((c) => (c.type === 'mention' ? `@${String(c.attrs.id)}<${c.authorId === clinic.a.id ? 'A' : 'B'}>` : read(c))).join('');
    const lines = r.blocks.filter((bl) => bl.type === 'paragraph' && /M\d|Was/.test(read(bl)));
    expect(lines.map(read)).toEqual([
      '@M2<A> disclosed suicidal ideation with a plan.',
      '~~@M3~~ reported self-harm last night.',
      '@M2<B>Was withdrawn and did not speak.',
    ]);
    expect(struck(r)).toEqual([{ text: '@M3', author: clinic.a.id, by: clinic.b.id }]);

    // A's line written again after B's own mention of another member is B's, not a move of A's words.
    const raw2 = await openRaw(server.baseUrl, sessionId, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    const forger4 = craftFrom(await roundTrip(raw2));
    const first = forger4.getXmlFragment('note').toArray().find((p): p is Y.XmlElement => p instanceof Y.XmlElement && p.toString().includes('disclosed'))!;
    raw2.ws.send(updateFrame(updateOf(forger4, () => {
      const mention = new Y.XmlElement('mention');
      mention.setAttribute('id', 'M1');
      first.insert(0, [mention, new Y.XmlText(' disclosed suicidal ideation with a plan.')]);
      first.delete(2, first.length - 2);
    })));
    await roundTrip(raw2);
    raw2.ws.close();
    const swapped = (await review(sessionId)).blocks.find((bl) => read(bl).startsWith('@M1'))!;
    const who = (id: string | null | undefined) => (id === clinic.b.id ? 'B' : 'A');
    expect(swapped.children.flatMap((c) => (c.type === 'mention' ? [[`@${String(c.attrs.id)}`, who(c.authorId)]] : c.runs.map((run) => [run.text, who(run.authorId), run.struck ? 'struck' : ''])))).toEqual([
      ['@M1', 'B'],
      [' disclosed suicidal ideation with a plan.', 'B', ''],
      ['@M2', 'A', 'struck'],
      [' disclosed suicidal ideation with a plan.', 'A', 'struck'],
    ]);
    a.destroy();
  });

  it('keeps moved words their writer’s: the other therapist splits and joins a line, and undoes a deletion, with nothing struck', async () => {
    const { id, a, b } = await liveNote();
    appendParagraph(b.doc, 'Seems ready to try exposure work.');
    appendParagraph(b.doc, 'Sleep was poor.');
    await expect.poll(() => b.isSaved() && a.text().includes('Sleep was poor.')).toBe(true);
    const note = a.doc.getXmlFragment('note');
    // A presses Enter after "ready", then Backspace at the start of "Sleep was poor.".
    splitAfter(a.doc, 'Seems ready');
    joinToLineBefore(a.doc, 'Sleep was poor.');
    await expect.poll(() => a.isSaved() && b.text().includes('exposure work.Sleep was poor.')).toBe(true);
    // A deletes B's "poor", then undoes it.
    const undo = new Y.UndoManager(note, { captureTimeout: 0 });
    const poor = findText(a.doc, 'poor');
    poor.text.delete(poor.index, 4);
    await expect.poll(() => a.isSaved() && !b.text().includes('poor')).toBe(true);
    undo.undo();
    await expect.poll(() => a.isSaved() && b.text().includes('Sleep was poor.')).toBe(true);

    const r = await review(id);
    expect(struck(r)).toEqual([]);
    const runs = runsOf(r.blocks).filter((run) => /ready|exposure|Sleep|poor/.test(run.text));
    expect(runs.map((run) => run.text).join('|')).toContain('Seems ready');
    expect(runs.every((run) => run.authorId === clinic.b.id), JSON.stringify(runs.map((run) => [run.text, run.authorId === clinic.a.id ? 'A' : 'B']))).toBe(true);
    undo.destroy();
    a.destroy();
    b.destroy();
  });

  // Walk, 2 Dec: A backspaced B's word letter by letter with pauses, so her undo steps were single
  // letters while the record held the word as one struck entry; each letter her undo brought back
  // was credited to A, beside B's whole word still struck "deleted by A".
  it('keeps a word the other therapist brings back by undo step by step her co-therapist’s, struck no more', async () => {
    const { id, a, b } = await liveNote();
    appendParagraph(b.doc, 'Speech was rapid and pressured');
    await expect.poll(() => b.isSaved() && a.text().includes('pressured')).toBe(true);
    const undo = new Y.UndoManager(a.doc.getXmlFragment('note'), { captureTimeout: 0 });
    for (let i = 0; i < 'pressured'.length; i++) {
      const line = findText(a.doc, 'Speech was rapid and ');
      line.text.delete(line.text.length - 1, 1);
      await expect.poll(() => a.isSaved()).toBe(true);
    }
    await expect.poll(() => b.text().endsWith('rapid and ')).toBe(true);
    expect(struck(await review(id)).map((e) => e.text)).toEqual(['pressured']);
    for (let i = 0; i < 'pressured'.length; i++) {
      undo.undo();
      await expect.poll(() => a.isSaved()).toBe(true);
      // Part of it back: what is not back yet stays struck.
      if (i === 3) expect(struck(await review(id)).map((e) => e.text)).toEqual(['sured']);
    }
    await expect.poll(() => b.text().includes('rapid and pressured')).toBe(true);
    const r = await review(id);
    expect(struck(r)).toEqual([]);
    const runs = runsOf(r.blocks).filter((run) => /Speech|pressured|rapid/.test(run.text));
    expect(runs.map((run) => run.text).join('')).toBe('Speech was rapid and pressured');
    expect(runs.every((run) => run.authorId === clinic.b.id)).toBe(true);
    undo.destroy();
    a.destroy();
    b.destroy();
  });

  // A walk (1 Dec): B's line held A's words in its middle; A split it before them and joined it
  // again, and B's words after A's were struck "deleted by A" and their copy credited to A.
  it('keeps each one’s words theirs when a line of both therapists’ words is split and joined, with nothing struck', async () => {
    const { id, a, b } = await liveNote();
    appendParagraph(b.doc, 'Next group will open with the STOP skill and a short check-in.');
    await expect.poll(() => b.isSaved() && a.text().includes('check-in.')).toBe(true);
    const skill = findText(a.doc, 'STOP skill');
    skill.text.insert(skill.index + 'STOP skill'.length, ' handout');
    await expect.poll(() => a.isSaved() && b.text().includes('skill handout and')).toBe(true);
    splitAfter(a.doc, 'open with ');
    await expect.poll(() => a.isSaved() && b.text().includes('open with \nthe STOP')).toBe(true);
    const split = await review(id);
    joinToLineBefore(a.doc, 'the STOP skill');
    await expect.poll(() => a.isSaved() && b.text().includes('open with the STOP')).toBe(true);
    const joined = await review(id);
    for (const r of [split, joined]) {
      expect(struck(r)).toEqual([]);
      const line = runsOf(r.blocks).filter((run) => /Next|STOP|handout|check-in/.test(run.text));
      expect(line.map((run) => [run.text, run.authorId === clinic.a.id ? 'A' : 'B'])).toEqual([
        ['Next group will open with ', 'B'],
        ['the STOP skill', 'B'],
        [' handout', 'A'],
        [' and a short check-in.', 'B'],
      ]);
    }
    a.destroy();
    b.destroy();
  });

  // A walk (1 Dec): after the end, a line joined by one therapist was labelled a late entry of
  // hers, the other's words in it too, though nothing in it was written late.
  it('labels as late, after the end, only what is written then: moved words keep whether they were late', async () => {
    const { id, a, b } = await liveNote();
    appendParagraph(b.doc, 'JD arrived late.');
    appendParagraph(b.doc, 'He checked his phone often.');
    await expect.poll(() => b.isSaved() && a.text().includes('phone often.')).toBe(true);
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    // B adds a late word to his own line; A splits it and joins B's next line to it.
    const late = findText(b.doc, 'JD arrived late.');
    late.text.insert(late.index + 'JD arrived late.'.length, ' Left early.');
    await expect.poll(() => b.isSaved() && a.text().includes('Left early.')).toBe(true);
    splitAfter(a.doc, 'JD arrived ');
    joinToLineBefore(a.doc, 'He checked');
    await expect.poll(() => a.isSaved() && b.text().includes('late. Left early.He checked')).toBe(true);
    const r = await review(id);
    expect(struck(r)).toEqual([]);
    const runs = runsOf(r.blocks).filter((run) => /JD|late|Left|checked/.test(run.text));
    expect(runs.map((run) => [run.text, run.authorId === clinic.b.id ? 'B' : 'A', run.lateAt ? 'late' : 'in session'])).toEqual([
      ['JD arrived ', 'B', 'in session'],
      ['late.', 'B', 'in session'],
      [' Left early.', 'B', 'late'],
      ['He checked his phone often.', 'B', 'in session'],
    ]);
    a.destroy();
    b.destroy();
  });

  // Walk (4 Dec): after the session A replaced his own "All four present." with a correction, and
  // the record kept no trace of what it had said in session.
  it('strikes a writer’s own words written in session when he deletes them after the end, not those he wrote after it', async () => {
    const { id, a, b } = await liveNote();
    appendParagraph(a.doc, 'Attendance: All four present.');
    await expect.poll(() => a.isSaved()).toBe(true);
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    const was = findText(a.doc, 'All four present.');
    a.doc.transact(() => {
      was.text.delete(was.index, 'All four present.'.length);
      was.text.insert(was.index, 'M1, M2 present; KL absent.');
    });
    await expect.poll(() => a.isSaved()).toBe(true);
    // A typo in the late words, mended: nothing of it is struck.
    const typo = findText(a.doc, 'KL absent.');
    typo.text.delete(typo.index, 'KL'.length);
    typo.text.insert(typo.index, 'JD');
    await expect.poll(() => a.isSaved()).toBe(true);
    const r = await review(id);
    expect(struck(r)).toEqual([{ text: 'All four present.', author: clinic.a.id, by: clinic.a.id }]);
    expect(noteLines(r.blocks)).toContain('Attendance: M1, M2 present; JD absent.');
    a.destroy();
    b.destroy();
  });

  it('keeps her words hers when one undo takes back several of my changes to them at once (a split, a join, a deletion)', async () => {
    for (const grouped of ['join and deletion', 'split, join and deletion'] as const) {
      const { id, a, b } = await liveNote();
      appendParagraph(b.doc, 'Seems ready to try exposure work.');
      appendParagraph(b.doc, 'Sleep was poor.');
      await expect.poll(() => b.isSaved() && a.text().includes('Sleep was poor.')).toBe(true);
      const note = a.doc.getXmlFragment('note');
      // The editor groups changes made close together into one undo step.
      let undo = grouped === 'split, join and deletion' ? new Y.UndoManager(note, { captureTimeout: 60_000 }) : null;
      splitAfter(a.doc, 'Seems ready');
      undo ??= new Y.UndoManager(note, { captureTimeout: 60_000 });
      joinToLineBefore(a.doc, 'Sleep was poor.');
      const poor = findText(a.doc, 'poor');
      a.doc.transact(() => poor.text.delete(poor.index, 4));
      await expect.poll(() => a.isSaved() && !b.text().includes('poor')).toBe(true);
      undo.undo();
      await expect.poll(() => a.isSaved() && b.text().includes('Sleep was poor.')).toBe(true);
      const r = await review(id);
      expect(struck(r), grouped).toEqual([]);
      const hers = runsOf(r.blocks).filter((run) => /ready|exposure|Sleep|poor/.test(run.text));
      expect(hers.filter((run) => run.authorId !== clinic.b.id).map((run) => run.text), grouped).toEqual([]);
      undo.destroy();
      a.destroy();
      b.destroy();
    }
  });

  it('strikes words moved elsewhere than where they read: another’s "not " put into another sentence is no move', async () => {
    const { id, a, b } = await liveNote();
    appendParagraph(a.doc, 'Client is not at risk.');
    appendParagraph(a.doc, 'Client is suicidal.');
    await expect.poll(() => a.isSaved() && b.text().includes('suicidal')).toBe(true);
    b.doc.transact(() => {
      const not = findText(b.doc, 'not ');
      not.text.delete(not.index, 4);
      const to = findText(b.doc, 'suicidal');
      to.text.insert(to.index, 'not ');
    });
    await expect.poll(() => b.isSaved() && a.text().includes('Client is not suicidal.')).toBe(true);
    const r = await review(id);
    expect(struck(r)).toEqual([{ text: 'not ', author: clinic.a.id, by: clinic.b.id }]);
    const moved = runsOf(r.blocks).find((run) => run.text === 'not ' && !run.struck)!;
    expect(moved.authorId).toBe(clinic.b.id);
    a.destroy();
    b.destroy();
  });

  it('takes no rearrangement of another’s words for a move or an undo (attack, 1 Dec)', async () => {
    const { id, a, b } = await liveNote();
    appendParagraph(a.doc, 'She is not at risk; she is safe.');
    await expect.poll(() => a.isSaved() && b.text().includes('she is safe.')).toBe(true);
    const { text } = findText(b.doc, 'She is not');
    // The same words in the same place, written in the order of another sentence (a "move" the server carries as A's)…
    b.doc.transact(() => {
      text.delete(0, text.length);
      text.insert(0, 'She is ');
      text.insert(7, 'at risk; she is ');
      text.insert(7, 'not ');
      text.insert(27, 'safe.');
    });
    // …then deleted piece by piece, last written first, and the other sentence written in their place as an "undo".
    for (const piece of ['safe.', 'not ', 'at risk; she is ', 'She is ']) {
      const at = findText(b.doc, piece);
      b.doc.transact(() => at.text.delete(at.index, piece.length));
    }
    b.doc.transact(() => text.insert(0, 'She is at risk; she is not safe.'));
    await expect.poll(() => b.isSaved() && a.text().includes('She is at risk; she is not safe.')).toBe(true);
    const r = await review(id);
    const line = r.blocks.find((bl) => bl.runs.some((run) => !run.struck && run.text.includes('not safe')))!;
    const visible = line.runs.filter((run) => !run.struck);
    expect(visible.map((run) => run.text).join('')).toBe('She is at risk; she is not safe.');
    // The sentence is B's, and every word of A's that B took away stays struck.
    expect(visible.filter((run) => run.authorId !== clinic.b.id).map((run) => run.text)).toEqual([]);
    expect(new Set(line.runs.filter((run) => run.struck).map((run) => `${run.text}|${run.authorId === clinic.a.id}|${run.struck!.by === clinic.b.id}`))).toEqual(
      new Set(['She is |true|true', 'not |true|true', 'at risk; she is |true|true', 'safe.|true|true']),
    );
    a.destroy();
    b.destroy();
  });

  it('takes no word written on after one’s own for an undo of a deletion elsewhere (attack, 1 Dec)', async () => {
    const { id, a, b } = await liveNote();
    appendParagraph(a.doc, 'Client is not suicidal. Plan: weekly.');
    await expect.poll(() => a.isSaved() && b.text().includes('Plan: weekly.')).toBe(true);
    const not = findText(b.doc, 'not ');
    b.doc.transact(() => not.text.delete(not.index, 4));
    // B's own words right after the deleted "not ", then "not " at the end of them: no undo.
    b.doc.transact(() => not.text.insert(not.index, 'actively suicidal per mother; she says she is '));
    b.doc.transact(() => not.text.insert(not.index + 'actively suicidal per mother; she says she is '.length, 'not '));
    await expect.poll(() => b.isSaved() && a.text().includes('she is not suicidal')).toBe(true);
    const r = await review(id);
    expect(struck(r)).toEqual([{ text: 'not ', author: clinic.a.id, by: clinic.b.id }]);
    const line = runsOf(r.blocks).filter((run) => !run.struck && /she is|not/.test(run.text));
    expect(line.filter((run) => run.authorId === clinic.a.id && run.text.includes('not'))).toEqual([]);
    a.destroy();
    b.destroy();
  });

  it('judges what a raw update does, not how it names it: a paragraph deleted by its id alone, ranges out of order and overlapping', async () => {
    const { id, a, b } = await liveNote();
    appendParagraph(a.doc, 'Mood low since March.');
    appendParagraph(a.doc, 'Reports suicidal thoughts.');
    await expect.poll(() => a.isSaved() && b.text().includes('Reports')).toBe(true);
    const note = a.doc.getXmlFragment('note');
    const paragraph = (needle: string) => note.toArray().find((p) => p instanceof Y.XmlElement && p.toString().includes(needle)) as Y.XmlElement;
    const reports = paragraph('Reports')._item!.id;
    const mood = (paragraph('Mood').get(0) as Y.XmlText)._start!.id;

    const raw = await openRaw(server.baseUrl, id, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    // Only the paragraph's own id: Yjs deletes its text with it.
    raw.ws.send(updateFrame(deleteOnly([{ client: reports.client, clock: reports.clock, len: 1 }])));
    // "Mood low" named twice over, out of order: each character is kept once.
    raw.ws.send(updateFrame(deleteOnly([{ client: mood.client, clock: mood.clock + 5, len: 3 }, { client: mood.client, clock: mood.clock, len: 8 }])));
    // Nobody but the server writes the struck words.
    const state = await roundTrip(raw);
    const forger = craftFrom(state);
    raw.ws.send(updateFrame(updateOf(forger, () => sessionDoc(forger).struck.set('1:0', { by: clinic.a.id, at: 0, author: clinic.b.id, client: 1, clock: 0, text: 'forged', block: null, line: 0, seq: 0 }))));
    const after = await roundTrip(raw);
    raw.ws.close();

    const r = await review(id);
    expect(noteLines(r.blocks).join('\n')).not.toMatch(/Reports|Mood low/);
    expect(noteLines(r.blocks)).toContain(' since March.');
    expect(struck(r)).toEqual([
      { text: 'Mood low', author: clinic.a.id, by: clinic.b.id },
      { text: 'Reports suicidal thoughts.', author: clinic.a.id, by: clinic.b.id },
    ]);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, after);
    expect([...stored.getMap(STRUCK).values()].map((e) => (e as { text: string }).text).sort()).toEqual(['Mood low', 'Reports suicidal thoughts.']);
    a.destroy();
    b.destroy();
  });
});
