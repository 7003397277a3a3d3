import { randomUUID } from 'node:crypto';
import { EditorState, type Transaction } from '@tiptap/pm/state';
import type { Node as PmNode } from '@tiptap/pm/model';
import { initProseMirrorDoc, updateYFragment } from '@tiptap/y-tiptap';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { observationGuard } from '../../server/collab/guards';
import type { GuardedNote } from '../../server/collab/guardedNote';
import { noteShape } from '../../server/collab/noteShape';
import { inspectUpdate, knownFromDoc } from '../../server/collab/updateGate';
import type { Writer, WriteGuard } from '../../server/collab/writeGate';
import { NOTE_FIELD, OBSERVATION_MARK, sessionDoc } from '../../shared/ydoc/sessionDoc';
import { schema } from '../helpers/clientAnchor';
import { appendParagraph, noteText } from '../helpers/connectClient';
import { craftFrom, updateOf } from '../helpers/craft';
import { findText, marksOn, tagSpan } from '../helpers/noteOps';
import { codebook } from '../helpers/codebook';

const alex = randomUUID();
const blair = randomUUID();
const therapist = (accountId: string, name: string): Writer => ({ id: randomUUID(), canWrite: true, principal: { accountId, name, color: '#123456', role: 'therapist', loginId: randomUUID() } });
const A = therapist(alex, 'Alex');
const B = therapist(blair, 'Blair');

/** Where `needle` starts in the editor's document. */
function posOf(pm: PmNode, needle: string): number {
  let found = -1;
  pm.descendants((node, pos) => {
    if (found < 0 && node.isText && node.text!.includes(needle)) found = pos + node.text!.indexOf(needle);
    return found < 0;
  });
  if (found < 0) throw new Error(`"${needle}" is not in the editor's document`);
  return found;
}

/** An edit the way the editor makes it: a ProseMirror transaction, written to the Y.Doc by y-tiptap's sync. */
function inEditor(doc: Y.Doc, step: (tr: Transaction, pm: PmNode) => void): void {
  const type = doc.getXmlFragment(NOTE_FIELD);
  const { doc: pm, meta } = initProseMirrorDoc(type, schema);
  const tr = EditorState.create({ schema, doc: pm }).tr;
  step(tr, pm);
  doc.transact(() => updateYFragment(doc, type, tr.doc, meta as never));
}

/**
 * Alex tagged "went quiet"; Blair, the co-therapist, edits a copy of the note. Each edit is judged
 * against the server's note, none applied, so each stands alone.
 */
describe('an observation stays on the words its author tagged', () => {
  let guard: WriteGuard;
  const doc = new Y.Doc();
  sessionDoc(doc);
  appendParagraph(doc, 'Opening round.');
  appendParagraph(doc, 'M2 went quiet when her father came up.');
  appendParagraph(doc, 'Plan: call on Thursday.');
  const tagged = tagSpan(doc, 'went quiet', { authorId: alex, tags: ['affect'] });
  const note: GuardedNote = {
    session: { id: randomUUID(), title: 'Group', kind: 'group', status: 'live', scheduledAt: null, createdAt: 0, createdBy: alex, startedAt: 0, endedAt: null, groupMembers: ['M2'], version: 1 },
    doc,
    clientAccounts: new Map(),
    transactLocal: (fn) => doc.transact(fn),
  };
  const mark = schema.marks[OBSERVATION_MARK]!.create({ id: tagged.id });
  const judge = (conn: Writer, change: (copy: Y.Doc) => void) => {
    const copy = craftFrom(Y.encodeStateAsUpdate(doc));
    const update = updateOf(copy, () => change(copy));
    const facts = inspectUpdate(knownFromDoc(doc), update, noteShape);
    if (process.env.DBG) console.log('MARKS', JSON.stringify(facts.observationMarks));
    expect(facts.problem).toBeNull();
    return { refusal: guard({ conn, note, facts, update }), copy };
  };

  beforeAll(async () => {
    const tags = await codebook();
    guard = observationGuard(tags);
  });

  // What a co-therapist does to tagged words in the editor, each of which writes Alex's mark again.
  const carried: [string, (tr: Transaction, pm: PmNode) => void, string][] = [
    ['presses Enter inside the tagged words', (tr, pm) => tr.split(posOf(pm, 'quiet')), 'quiet'],
    ['joins the tagged line to the line above', (tr, pm) => tr.join(pm.child(0).nodeSize), 'went '],
    ['types right after the tagged words', (tr, pm) => tr.insertText(' again', posOf(pm, ' when')), 'went quiet'],
    ['types inside the tagged words', (tr, pm) => tr.insertText('very ', posOf(pm, 'quiet')), 'very '],
    ['pastes the tagged words, mark and all, into another line', (tr, pm) => tr.insert(posOf(pm, 'Thursday.') + 'Thursday.'.length, [schema.text(' '), schema.text('went quiet', [mark])]), 'Plan'],
    ['deletes the tagged words', (tr, pm) => tr.delete(posOf(pm, 'went quiet'), posOf(pm, 'went quiet') + 'went quiet'.length), 'M2'],
    ['puts the tagged words in bold', (tr, pm) => tr.addMark(posOf(pm, 'M2'), posOf(pm, ' when'), schema.marks.bold!.create()), 'M2'],
    ['deletes from before the tagged words into them', (tr, pm) => tr.delete(posOf(pm, 'M2'), posOf(pm, ' quiet')), 'quiet'],
    ['deletes from inside the tagged words past their end', (tr, pm) => tr.delete(posOf(pm, 'quiet'), posOf(pm, ' her')), 'went '],
    ['types over a selection across their end', (tr, pm) => tr.insertText('still', posOf(pm, 'quiet'), posOf(pm, ' her')), 'still'],
    ['presses Enter right before the tagged words', (tr, pm) => tr.split(posOf(pm, 'went')), 'M2'],
    ['presses Enter right after the tagged words', (tr, pm) => tr.split(posOf(pm, ' when')), ' when'],
    ['types right before the tagged words', (tr, pm) => tr.insertText('then ', posOf(pm, 'went')), 'then '],
    ['deletes the character before the tagged words', (tr, pm) => tr.delete(posOf(pm, 'went') - 1, posOf(pm, 'went')), 'M2went'],
  ];
  for (const [name, step, still] of carried) {
    it(`lets Blair's edit through when she ${name}`, () => {
      const { refusal, copy } = judge(B, (d) => inEditor(d, step));
      expect(refusal).toBeNull();
      // The edit did what it says (the guard judged a real change, not an empty one).
      expect(findText(copy, still)).toBeDefined();
    });
  }

  it('keeps the mark on the words when Blair splits the line inside them', () => {
    const { copy } = judge(B, (d) => inEditor(d, (tr, pm) => tr.split(posOf(pm, 'quiet'))));
    expect(marksOn(copy, 'quiet')).toEqual([tagged.id]);
  });

  // Putting Alex's observation on words it did not cover: they would read as Alex's tag on them.
  const moved: [string, (copy: Y.Doc) => void][] = [
    ['onto other words of the note, in the editor', (d) => inEditor(d, (tr, pm) => tr.addMark(posOf(pm, 'call'), posOf(pm, 'call') + 4, mark))],
    ['over the words after it, in the editor', (d) => inEditor(d, (tr, pm) => tr.addMark(posOf(pm, 'went'), posOf(pm, 'came up'), mark))],
    [
      'away from its words onto others, in one raw update',
      (d) => {
        const from = findText(d, 'went quiet');
        from.text.format(from.index, 'went quiet'.length, { [OBSERVATION_MARK]: null });
        const to = findText(d, 'Opening');
        to.text.format(to.index, 'Opening'.length, { [OBSERVATION_MARK]: { id: tagged.id } });
      },
    ],
    [
      'off its words, leaving them, in the editor',
      (d) => inEditor(d, (tr, pm) => tr.removeMark(posOf(pm, 'went'), posOf(pm, ' when'), mark)),
    ],
    [
      'off part of its words, in one raw update',
      (d) => {
        const at = findText(d, 'quiet');
        at.text.format(at.index, 'quiet'.length, { [OBSERVATION_MARK]: null });
      },
    ],
    [
      'onto new words of her own, in one raw update',
      (d) => {
        const at = findText(d, 'Thursday.');
        at.text.insert(at.index + 'Thursday.'.length, ' Client disclosed a plan.', { [OBSERVATION_MARK]: { id: tagged.id } });
      },
    ],
    [
      'off its words and onto new words of her own, in one raw update (attack3)',
      (d) => {
        const from = findText(d, 'went quiet');
        from.text.format(from.index, 'went quiet'.length, { [OBSERVATION_MARK]: null });
        from.text.insert(from.index + 'went quiet'.length, ' and disclosed a plan', { [OBSERVATION_MARK]: { id: tagged.id } });
      },
    ],
    [
      'onto one letter of its words pasted into another line, in one raw update (attack5)',
      (d) => {
        const at = findText(d, 'Thursday.');
        at.text.insert(at.index + 'Thursday.'.length, 'q', { [OBSERVATION_MARK]: { id: tagged.id } });
      },
    ],
    [
      'onto a part of its words pasted into another line, in the editor',
      (d) => inEditor(d, (tr, pm) => tr.insert(posOf(pm, 'Thursday.') + 'Thursday.'.length, [schema.text(' '), schema.text('quiet', [mark])])),
    ],
  ];
  for (const [name, change] of moved) {
    it(`refuses Blair's putting Alex's observation ${name}, and lets Alex do it`, () => {
      expect(judge(B, change).refusal).toMatchObject({ code: 'observation_moved' });
      expect(judge(A, change).refusal).toBeNull();
    });
  }

  it('still lets Blair tag other words with an observation of her own', () => {
    const own = { id: randomUUID(), tags: ['affect'], authorId: blair, createdAt: Date.now(), kind: 'span' as const, member: null, forCoTherapist: false };
    const { refusal } = judge(B, (d) => {
      const at = findText(d, 'call on Thursday');
      at.text.format(at.index, 'call on Thursday'.length, { [OBSERVATION_MARK]: { id: own.id } });
      sessionDoc(d).observations.set(own.id, own);
    });
    expect(refusal).toBeNull();
  });

  // Each exact judgment copies the whole note (attack5: 150 ms apiece on a note of 40,000
  // paragraphs, sent without pause): past its budget, a sender's next such update is refused.
  it('refuses as judging_busy an account whose updates used up their time to be judged exactly, and no one else', async () => {
    const tight = observationGuard(await codebook(), { ms: Number.MIN_VALUE, windowMs: 3_600_000 });
    const once = (conn: Writer, change: (copy: Y.Doc) => void) => {
      const copy = craftFrom(Y.encodeStateAsUpdate(doc));
      const update = updateOf(copy, () => change(copy));
      return tight({ conn, note, facts: inspectUpdate(knownFromDoc(doc), update, noteShape), update });
    };
    const moveIt = (d: Y.Doc) => inEditor(d, (tr, pm) => tr.addMark(posOf(pm, 'call'), posOf(pm, 'call') + 4, mark));
    const splitIt = (d: Y.Doc) => inEditor(d, (tr, pm) => tr.split(posOf(pm, 'quiet')));
    expect(once(B, moveIt)).toMatchObject({ code: 'observation_moved' });
    expect(once(B, splitIt)).toMatchObject({ code: 'judging_busy' });
    // What needs no exact judgment still goes in, and Alex's time is her own.
    expect(once(B, (d) => appendParagraph(d, 'Blair: agreed.'))).toBeNull();
    expect(once(A, splitIt)).toBeNull();
  });
});

/**
 * Blair deletes words Alex tagged, the server takes it, then Blair undoes: the editor writes the
 * words again with Alex's mark. A clinic walk (1 Dec) saw that undo refused, which left Blair's
 * page apart from the server's note until she reloaded it.
 */
describe('a co-therapist undoing her deletion of tagged words', () => {
  let guard: WriteGuard;
  beforeAll(async () => {
    guard = observationGuard(await codebook());
  });

  /** The server's note with Alex's tag, Blair's copy of it, and judging Blair's updates against the server's note (applied when they pass). */
  function setUp() {
    const server = new Y.Doc();
    sessionDoc(server);
    appendParagraph(server, 'M2 went quiet when her father came up.');
    appendParagraph(server, 'Plan: call on Thursday.');
    const tagged = tagSpan(server, 'went quiet', { authorId: alex, tags: ['affect'] });
    const note: GuardedNote = {
      session: { id: randomUUID(), title: 'Group', kind: 'group', status: 'live', scheduledAt: null, createdAt: 0, createdBy: alex, startedAt: 0, endedAt: null, groupMembers: ['M2'], version: 1 },
      doc: server,
      clientAccounts: new Map(),
      transactLocal: (fn) => server.transact(fn),
    };
    const blairs = craftFrom(Y.encodeStateAsUpdate(server));
    const undo = new Y.UndoManager(blairs.getXmlFragment(NOTE_FIELD));
    const send = (change: () => void) => {
      const update = updateOf(blairs, change);
      const facts = inspectUpdate(knownFromDoc(server), update, noteShape);
      const refusal = guard({ conn: B, note, facts, update });
      if (!refusal) Y.applyUpdate(server, update);
      return refusal;
    };
    return { server, blairs, undo, send, tagged };
  }

  it('takes the undo: the words come back under Alex’s observation', () => {
    const { server, blairs, undo, send, tagged } = setUp();
    expect(send(() => inEditor(blairs, (tr, pm) => tr.delete(posOf(pm, 'M2'), posOf(pm, ' her'))))).toBeNull();
    expect(noteText(server)).not.toContain('went quiet');
    expect(send(() => undo.undo())).toBeNull();
    expect(marksOn(server, 'went quiet')).toEqual([tagged.id]);
  });

  it('takes the undo of tagged words taken away key by key (last letter first)', () => {
    const { server, blairs, undo, send, tagged } = setUp();
    for (let left = 'went quiet'.length; left > 0; left--) {
      expect(send(() => inEditor(blairs, (tr, pm) => tr.delete(posOf(pm, ' when') - 1, posOf(pm, ' when'))))).toBeNull();
    }
    expect(noteText(server)).toContain('M2  when');
    expect(send(() => undo.undo())).toBeNull();
    expect(marksOn(server, 'went quiet')).toEqual([tagged.id]);
  });

  it('still refuses Alex’s observation on other words after Blair deleted the tagged ones', () => {
    const { blairs, send } = setUp();
    expect(send(() => inEditor(blairs, (tr, pm) => tr.delete(posOf(pm, 'went quiet'), posOf(pm, 'went quiet') + 'went quiet'.length)))).toBeNull();
    const other = send(() => {
      const at = findText(blairs, 'Thursday.');
      at.text.insert(at.index + 'Thursday.'.length, ' Client disclosed a plan.', { [OBSERVATION_MARK]: { id: tagSpanId(blairs) } });
    });
    expect(other).toMatchObject({ code: 'observation_moved' });
  });
});

/** The one observation's id in a note. */
function tagSpanId(doc: Y.Doc): string {
  return [...sessionDoc(doc).observations.keys()][0]!;
}
