import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deriveMemberNote, memberNoteUpdate, type DerivedBlock } from '../../server/members/deriveMemberNote';
import { readNote, type Block } from '../../shared/note/readNote';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { appendHeading, appendList, appendPieces, tagSpan } from '../helpers/noteOps';

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
    tagName: (id) => (id === 'affect' ? 'Affect' : id), authorName: () => 'Alex Therapist',
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
      'Interventions',
      'Grounding exercise for everyone',
      'Plan',
      'Next week: the same theme',
      'This member’s observations',
      '- Affect (another member): Argued loudly — Alex Therapist',
    ]);
    expect(derive(doc, 'M2').risk).toBeNull();
  });

  it('puts an observation on two members in both notes, and a label typed as a word counts as that member', () => {
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
