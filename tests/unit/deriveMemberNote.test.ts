import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deriveMemberNote } from '../../server/members/deriveMemberNote';
import { memberNoteUpdate, type DerivedBlock } from '../../server/members/derivedNote';
import { readNote, type Block } from '../../shared/note/readNote';
import { OBSERVATION_MARK, sessionDoc } from '../../shared/ydoc/sessionDoc';
import { observation } from '../helpers/craft';
import { appendHeading, appendList, appendPieces, findText, tagSpan } from '../helpers/noteOps';

const therapist = randomUUID();
const MEMBERS = ['M1', 'M2', 'M3', 'JD'];

/** A scripted group note: group content, a list with mentions, an observation on two members, plain-typed labels, risk. */
function groupNote(): Y.Doc {
  const doc = new Y.Doc();
  appendHeading(doc, 'Themes');
  appendPieces(doc, ['Loss and change; the group talked about the holidays.']);
  appendHeading(doc, 'Member observations');
  appendList(doc, [
    [{ member: 'M1' }, ' spoke first and set the tone'],
    [{ member: 'M2' }, ' stayed silent until ', { member: 'M3' }, ' asked her'],
    ['The room settled after the break'],
    ['JD left early'],
  ]);
  appendPieces(doc, [{ member: 'M3' }, ' cried when talking about work']);
  appendPieces(doc, ['Argued loudly with each other']);
  tagSpan(doc, 'Argued loudly', { authorId: therapist, tags: ['affect'], member: 'M1' });
  // The observation's text names M2 too: it is on two members.
  const argued = sessionDoc(doc).note.get(sessionDoc(doc).note.length - 1) as Y.XmlElement;
  const m2 = new Y.XmlElement('mention');
  m2.setAttribute('id', 'M2');
  argued.insert(argued.length, [m2]);
  appendHeading(doc, 'Interventions');
  appendPieces(doc, ['Grounding exercise for everyone']);
  appendHeading(doc, 'Plan');
  appendPieces(doc, ['Next week: the same theme']);
  sessionDoc(doc).risk.set('M3', { assessment: 'Passive thoughts; M1 was present when mentioned', plan: 'Call on Thursday', by: therapist, at: 1 });
  return doc;
}

/** A derived note as lines of text (mentions as @label, list items prefixed with "- "). */
function lines(blocks: DerivedBlock[], indent = ''): string[] {
  return blocks.flatMap((b) => {
    if (b.inline) return [indent + b.inline.map((p) => ('mention' in p ? `@${p.mention}` : 'break' in p ? ' / ' : p.text)).join('')];
    if (b.type === 'listItem') {
      const [first, ...rest] = lines(b.children ?? [], indent + '  ');
      return [`${indent}- ${first?.trim() ?? ''}`, ...rest];
    }
    return lines(b.children ?? [], indent);
  });
}

const derive = (doc: Y.Doc, member: string) =>
  deriveMemberNote(doc, {
    member, members: MEMBERS, attendance: 'present', date: '2026-11-30', duration: '90 min', groupTitle: 'Tuesday group',
    tagName: (id) => (id === 'affect' ? 'Affect' : id), authorName: () => 'Alex Therapist', timeAt: (ms) => new Date(ms).toISOString(),
  });

/** Every text of a Yjs document: the note's characters, its attributes, and every map value. */
function everything(doc: Y.Doc): string {
  const out: string[] = [];
  const walk = (blocks: Block[]) => blocks.forEach((b) => {
    out.push(JSON.stringify(b.attrs), ...b.runs.map((r) => r.text));
    walk(b.children);
  });
  walk(readNote(sessionDoc(doc).note));
  for (const [, map] of doc.share) if (map instanceof Y.Map) out.push(JSON.stringify(map.toJSON()));
  return out.join('\n');
}

describe('deriving a member note from the group note', () => {
  it('gives each member the group part plus what concerns them, other members as "another member"', () => {
    const doc = groupNote();
    expect(lines(derive(doc, 'M2').blocks)).toEqual([
      'Group session',
      'Individual note for @M2, from the group session “Tuesday group”.',
      '- Date: 2026-11-30',
      '- Duration: 90 min',
      '- Attendance: present',
      'Themes',
      'Loss and change; the group talked about the holidays.',
      'Member observations',
      // A mention inside a list: the item is M2's, M3 is another member; others' items are gone.
      '- @M2 stayed silent until another member asked her',
      '- The room settled after the break',
      // The observation on M1 whose words name M2: in M2's note too.
      'Argued loudly with each other@M2',
      // M1's and JD's items and M3's paragraph: said, so that a section does not read as empty (walk, 4 Dec).
      '[3 parts of this section about other members are not in this note.]',
      'Interventions',
      'Grounding exercise for everyone',
      'Plan',
      'Next week: the same theme',
      // The observation is tagged M1: M1's alone, though its paragraph names M2.
      'This member’s observations',
      'None recorded in the group session.',
    ]);
    expect(derive(doc, 'M2').risk).toBeNull();
    // The count is plain text: in italics, what a therapist typed after it was italic too (walk, 3 Dec).
    const count = derive(doc, 'M2').blocks.find((b) => b.inline?.some((i) => 'text' in i && i.text.includes('not in this note')));
    expect(count?.inline).toEqual([{ text: '[3 parts of this section about other members are not in this note.]', marks: [] }]);
  });

  it('lists an observation tagged with a member in that member’s note only, and a label typed as a word counts as that member', () => {
    const doc = groupNote();
    const m1 = lines(derive(doc, 'M1').blocks);
    expect(m1).toContain('- @M1 spoke first and set the tone');
    expect(m1).toContain('Argued loudly with each otheranother member');
    expect(m1).toContain('- Affect (M1): Argued loudly — Alex Therapist');
    expect(m1).not.toContain('- JD left early');
    const jd = lines(derive(doc, 'JD').blocks);
    expect(jd).toContain('- JD left early');
    expect(jd).toContain('None recorded in the group session.');
    expect(jd.some((l) => l.includes('Argued'))).toBe(false);
    expect(lines(derive(doc, 'M2').blocks)).not.toContain('- Affect (another member): Argued loudly — Alex Therapist');
  });

  it('carries the member’s own risk record, with other members redacted in it', () => {
    const derived = derive(groupNote(), 'M3');
    expect(lines(derived.blocks)).toContain('@M3 cried when talking about work');
    expect(derived.risk).toEqual({ assessment: 'Passive thoughts; another member was present when mentioned', plan: 'Call on Thursday', by: therapist, at: 1 });
  });

  it('leaves no other member’s label anywhere in the member note’s document', () => {
    const doc = groupNote();
    for (const member of MEMBERS) {
      const note = new Y.Doc();
      Y.applyUpdate(note, memberNoteUpdate(derive(doc, member), member));
      const all = everything(note);
      for (const other of MEMBERS.filter((m) => m !== member)) expect(all, `${member}'s note names ${other}`).not.toMatch(new RegExp(`(?<![A-Za-z0-9])${other}(?![A-Za-z0-9])`));
      expect(all).toContain(member);
    }
  });
});

/**
 * A paragraph from sibling inline nodes: each array is one Y.XmlText written as formatted runs
 * (a label may be split between runs or between text nodes), `{ member }` a mention chip.
 */
type Run = string | [string, Record<string, object>];
function writeParagraph(doc: Y.Doc, nodes: (Run[] | { member: string })[]): void {
  const p = new Y.XmlElement('paragraph');
  sessionDoc(doc).note.push([p]);
  doc.transact(() => {
    p.insert(0, nodes.map((n) => {
      if (Array.isArray(n)) return new Y.XmlText();
      const m = new Y.XmlElement('mention');
      m.setAttribute('id', n.member);
      return m;
    }));
    nodes.forEach((n, i) => {
      if (!Array.isArray(n)) return;
      const text = p.get(i) as Y.XmlText;
      for (const run of n) {
        const [s, marks] = typeof run === 'string' ? [run, {}] : run;
        text.insert(text.length, s, marks);
      }
    });
  });
}

/** Every text run of the member note's document, joined per block (so a label split over runs shows). */
function blockTexts(doc: Y.Doc): string[] {
  const out: string[] = [];
  const walk = (blocks: Block[]) => blocks.forEach((b) => {
    out.push(b.runs.map((r) => r.text).join('') + b.children.filter((c) => c.type === 'text').map((c) => c.runs.map((r) => r.text).join('')).join(''));
    walk(b.children);
  });
  walk(readNote(sessionDoc(doc).note));
  return out;
}

/** The member note as its document holds it: built from the update the server writes. */
function noteDoc(doc: Y.Doc, member: string): Y.Doc {
  const note = new Y.Doc();
  Y.applyUpdate(note, memberNoteUpdate(derive(doc, member), member));
  return note;
}

/** No other member's label as a word, in any case, in any block's joined text. */
function expectNoOtherLabel(doc: Y.Doc, member: string): void {
  const texts = blockTexts(noteDoc(doc, member));
  for (const other of MEMBERS.filter((m) => m !== member)) {
    const word = new RegExp(`(?<![\\p{L}\\p{N}_])${other}(?![\\p{L}\\p{N}_])`, 'iu');
    for (const t of texts) expect(t, `${member}'s note names ${other}`).not.toMatch(word);
  }
}

// A clinician walk, 3 Dec: JD's observation, in a paragraph that begins with M1, was listed in M1's
// and M2's notes under "This member's observations" (as "another member was restless").
describe('whose observations a member note lists', () => {
  const walk = 'M1 practised paced breathing. She said it helped a little. JD was restless, tapping foot.';
  const observationsOf = (doc: Y.Doc, member: string) => {
    const all = lines(derive(doc, member).blocks);
    return all.slice(all.indexOf('This member’s observations') + 1);
  };

  // Walk (4 Dec): "Nonverbal · another member — avoided eye contact" stood in M2's chart.
  it('keeps another member’s tagged line out of a paragraph that is the member’s, and says a part was left out', () => {
    const doc = new Y.Doc();
    appendPieces(doc, ['M1 looked away while M2 spoke. ']);
    const text = (sessionDoc(doc).note.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const line = observation({ authorId: therapist, kind: 'line', member: 'M1', tags: ['nonverbal'] });
    doc.transact(() => {
      text.insert(text.length, 'Nonverbal · M1', { [OBSERVATION_MARK]: { id: line.id } });
      sessionDoc(doc).observations.set(line.id, line);
    });
    text.insert(text.length, ' avoided eye contact', { [OBSERVATION_MARK]: null });
    const m2 = lines(derive(doc, 'M2').blocks);
    expect(m2).toContain('Another member looked away while M2 spoke. ');
    expect(m2.join('\n')).not.toContain('avoided eye contact');
    expect(m2).toContain('[One part of this section about other members is not in this note.]');
    expect(lines(derive(doc, 'M1').blocks)).toContain('M1 looked away while another member spoke. Nonverbal · M1 avoided eye contact');
  });

  // Walk (6 Dec): a line about JD made a heading stood in M1's chart as "Another member talked…".
  it('keeps section titles, and leaves a heading about other members only out of the member’s note', () => {
    const doc = new Y.Doc();
    appendHeading(doc, 'Themes');
    appendHeading(doc, 'JD talked about the exam results and his father');
    appendHeading(doc, 'M1 and JD argued');
    appendPieces(doc, ['The group settled after the break.']);
    const m1 = lines(derive(doc, 'M1').blocks);
    expect(m1).toEqual(expect.arrayContaining(['Themes', 'M1 and another member argued', 'The group settled after the break.', '[One part of this section about other members is not in this note.]']));
    expect(m1.join('\n')).not.toContain('exam results');
    expect(lines(derive(doc, 'JD').blocks)).toEqual(expect.arrayContaining(['Themes', 'JD talked about the exam results and his father', 'Another member and JD argued']));
  });

  it('lists an observation tagged with a member only in that member’s note, whoever else its paragraph names', () => {
    const doc = new Y.Doc();
    appendPieces(doc, [walk]);
    tagSpan(doc, 'JD was restless, tapping foot.', { authorId: therapist, tags: ['nonverbal'], member: 'JD' });
    expect(observationsOf(doc, 'JD')).toEqual(['- nonverbal (JD): JD was restless, tapping foot. — Alex Therapist']);
    for (const member of ['M1', 'M2', 'M3']) expect(observationsOf(doc, member), member).toEqual(['None recorded in the group session.']);
    // The paragraph itself is still M1's (it names her), with JD redacted.
    expect(lines(derive(doc, 'M1').blocks)).toContain('M1 practised paced breathing. She said it helped a little. Another member was restless, tapping foot.');
  });

  it('gives an observation without a member to the members its own words name, or to the one member its paragraph names', () => {
    const doc = new Y.Doc();
    appendPieces(doc, ['M1 practised paced breathing. She said it helped a little.']);
    tagSpan(doc, 'She said it helped a little.', { authorId: therapist, tags: ['affect'] });
    appendPieces(doc, ['Later M2 and jd argued about chairs.']);
    tagSpan(doc, 'M2 and jd argued', { authorId: therapist, tags: ['group'] });
    expect(observationsOf(doc, 'M1')).toEqual(['- Affect: She said it helped a little. — Alex Therapist']);
    expect(observationsOf(doc, 'M2')).toEqual(['- group: M2 and another member argued — Alex Therapist']);
    expect(observationsOf(doc, 'JD')).toEqual(['- group: Another member and jd argued — Alex Therapist']);
    expect(observationsOf(doc, 'M3')).toEqual(['None recorded in the group session.']);
  });

  // A walk, 4 Dec: the mark covers no mention (a node of its own), so a paragraph of mentions tagged
  // whole read as words naming no one, and the observation reached neither member's note.
  it('reads the mentions among and right beside an observation’s words as its own words', () => {
    const doc = new Y.Doc();
    appendPieces(doc, [{ member: 'M1' }, ' and ', { member: 'M2' }, ' both described panic on the bus.']);
    const both = tagSpan(doc, ' and ', { authorId: therapist, tags: ['affect'] });
    const { text, index } = findText(doc, ' both described panic on the bus.');
    text.format(index, ' both described panic on the bus.'.length, { [OBSERVATION_MARK]: { id: both.id } });
    appendPieces(doc, ['Later ', { member: 'JD' }, ' went quiet; ', { member: 'M3' }, ' did not.']);
    tagSpan(doc, 'went quiet', { authorId: therapist, tags: ['nonverbal'] });
    expect(observationsOf(doc, 'M1')).toEqual(['- Affect: M1 and another member both described panic on the bus. — Alex Therapist']);
    expect(observationsOf(doc, 'M2')).toEqual(['- Affect: Another member and M2 both described panic on the bus. — Alex Therapist']);
    expect(observationsOf(doc, 'JD')).toEqual(['- nonverbal: JD went quiet — Alex Therapist']);
    expect(observationsOf(doc, 'M3')).toEqual(['None recorded in the group session.']);
  });

  it('lists an observation without a member, in a paragraph naming several, in nobody’s observations', () => {
    const doc = new Y.Doc();
    appendPieces(doc, [walk]);
    tagSpan(doc, 'She said it helped a little.', { authorId: therapist, tags: ['affect'] });
    for (const member of MEMBERS) expect(observationsOf(doc, member), member).toEqual(['None recorded in the group session.']);
    // Its words stay in the record of each member the paragraph names.
    expect(lines(derive(doc, 'JD').blocks)).toContain('Another member practised paced breathing. She said it helped a little. JD was restless, tapping foot.');
  });
});

describe('labels written across runs, in other cases, or inside longer words', () => {
  const bold = { bold: {} };

  it('finds a label split by formatting: the block is that member’s, redacted in nobody else’s note', () => {
    const doc = new Y.Doc();
    writeParagraph(doc, [[['M', bold], '2 disclosed a relapse']]);
    for (const member of MEMBERS) expectNoOtherLabel(doc, member);
    expect(blockTexts(noteDoc(doc, 'M2'))).toContain('M2 disclosed a relapse');
    expect(blockTexts(noteDoc(doc, 'M1')).some((t) => t.includes('relapse'))).toBe(false);
  });

  it('finds a label split across sibling text nodes', () => {
    const doc = new Y.Doc();
    writeParagraph(doc, [['M'], ['2 was angry']]);
    for (const member of MEMBERS) expectNoOtherLabel(doc, member);
    expect(blockTexts(noteDoc(doc, 'M2'))).toContain('M2 was angry');
    expect(blockTexts(noteDoc(doc, 'M3')).some((t) => t.includes('angry'))).toBe(false);
  });

  it('redacts a split label of another member inside a block that also concerns the reader', () => {
    const doc = new Y.Doc();
    // M1's block names M2 split over a bold run and a second text node, and jd in lower case.
    writeParagraph(doc, [{ member: 'M1' }, [' comforted ', ['M', bold]], ['2 and jd']]);
    expectNoOtherLabel(doc, 'M1');
    expect(blockTexts(noteDoc(doc, 'M1'))).toContain(' comforted another member and another member');
    expect(blockTexts(noteDoc(doc, 'M2'))).toContain('Another member comforted M2 and another member');
    expect(blockTexts(noteDoc(doc, 'M3')).some((t) => t.includes('comforted'))).toBe(false);
  });

  it('matches labels in any case, and keeps the reader’s own label as written', () => {
    const doc = new Y.Doc();
    writeParagraph(doc, [['m2 and Jd talked']]);
    expectNoOtherLabel(doc, 'M2');
    expectNoOtherLabel(doc, 'JD');
    expect(blockTexts(noteDoc(doc, 'M2'))).toContain('m2 and another member talked');
    expect(blockTexts(noteDoc(doc, 'JD'))).toContain('Another member and Jd talked');
    expect(blockTexts(noteDoc(doc, 'M1')).some((t) => t.includes('talked'))).toBe(false);
  });

  it('finds labels that start or end exactly at a run boundary, and two labels in one run', () => {
    const doc = new Y.Doc();
    writeParagraph(doc, [['Between ', ['M3', bold], ' and ', ['JD', { italic: {} }], ': M1 then M2 spoke']]);
    for (const member of MEMBERS) {
      expectNoOtherLabel(doc, member);
      expect(blockTexts(noteDoc(doc, member)).some((t) => t.includes('spoke'))).toBe(true);
    }
    expect(blockTexts(noteDoc(doc, 'M3'))).toContain('Between M3 and another member: another member then another member spoke');
    // The label's own formatting stays when it sits in one run.
    const m3 = derive(doc, 'M3').blocks.find((b) => b.inline?.some((p) => 'text' in p && p.text === 'M3'));
    expect(m3?.inline).toContainEqual(expect.objectContaining({ text: 'M3', marks: ['bold'] }));
  });

  it('does not read a label inside a longer word ("M20", "JDX") as that member', () => {
    const doc = new Y.Doc();
    writeParagraph(doc, [['Room M20 was booked by ', ['JD', bold], 'X']]);
    // Group content: in every note, unchanged.
    for (const member of MEMBERS) expect(blockTexts(noteDoc(doc, member))).toContain('Room M20 was booked by JDX');
  });
});

describe('a paragraph of many formatted runs naming members', () => {
  it('keeps each run’s formatting in a member’s note, with the other members’ labels redacted', () => {
    const doc = new Y.Doc();
    const labels = ['M1', 'M2', 'M3'];
    const runs: Run[] = Array.from({ length: 600 }, (_, i) => (i % 2 ? [`${labels[i % 3]} `, { bold: {} }] : `${labels[i % 3]} `));
    writeParagraph(doc, [runs]);
    const paragraph = sessionDoc(noteDoc(doc, 'M1')).note.toArray().find((b): b is Y.XmlElement => b instanceof Y.XmlElement && b.toString().includes('another member'));
    const delta = (paragraph!.get(0) as Y.XmlText).toDelta() as { insert: string; attributes?: Record<string, unknown> }[];
    expect(delta).toEqual(runs.map((_, i) => ({ insert: i % 3 === 0 ? 'M1 ' : 'another member ', ...(i % 2 ? { attributes: { bold: {} } } : {}) })));
  });
});
