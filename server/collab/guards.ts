import type * as Y from 'yjs';
import { isLocked } from '../../shared/domain/lifecycle';
import type { RefusalCode } from '../../shared/protocol/messageType';
import { flagResponseSchema, observationSchema, type Observation } from '../../shared/domain/observation';
import { accountTag, observationIdTag } from '../../shared/domain/observationIds';
import { MENTION_NODE, NOTE_FIELD, OBSERVATION_MARK, OBSERVATIONS, RESPONSES, RISK, SERVER_MAPS, sessionDoc, stampKey } from '../../shared/ydoc/sessionDoc';
import type { TagCache } from '../codebook/TagCache';
import { newlyCovered, textUnder } from './markCoverage';
import { inNoteOrder } from './removedWords';
import { TimeBudget } from './timeBudget';
import type { ItemId, MapDelete, RemovedRun, UpdateFacts } from './updateFacts';
import { READ_ONLY, type AfterApply, type WriteGuard, type WriteRefusal } from './writeGate';

export const refuse = (code: RefusalCode, message: string): WriteRefusal => ({ code, message });

/** Supervisors (and anyone the server made read-only) never change the note. */
export const readOnlyGuard: WriteGuard = ({ conn }) => (conn.canWrite ? null : READ_ONLY);

/** Once every therapist signed, nobody changes the note; addenda are the way to add. */
export const lockGuard: WriteGuard = ({ note }) =>
  isLocked(note.session.status) ? refuse('session_locked', 'The note is signed and locked; add an addendum instead.') : null;

/** Elements, attributes and marks the editor and the export do not render are never stored. */
export const contentGuard: WriteGuard = ({ facts }) =>
  facts.problem ? refuse('invalid_content', `The edit holds something the note cannot: ${facts.problem}.`) : null;

/**
 * A mention names one of the session's group members, like an observation's member: a label that
 * is not one of them (a typo, another group's member, a name) is refused, and nothing is changed.
 * Whom a mention names is its writer's word: another may delete it (kept struck through), not
 * make it name someone else or no one (attack6: B turned A's "@M2" into "@M1", and A's words
 * about M2 went into M1's member note as A's).
 */
export const mentionGuard: WriteGuard = ({ conn, note, facts }) => {
  for (const w of facts.attributeWrites) {
    if (w.node !== MENTION_NODE) continue;
    const writer = w.element && note.clientAccounts.get(w.element.client);
    if (w.element && writer !== conn.principal.accountId) return refuse('not_yours', 'Only whoever wrote a mention can change whom it names; delete it and mention the member yourself.');
    if (w.attribute !== 'id' || w.value === undefined) continue;
    if (typeof w.value !== 'string' || !note.session.groupMembers.includes(w.value)) {
      return refuse('unknown_member', `"${String(w.value)}" is not one of this session’s group members; mention a member of the group.`);
    }
  }
  return null;
};

/**
 * Whether the update writes a new value that takes the place of the value `d` removes (a
 * replacement, not a removal): one written after that very value, directly or after another of the
 * update's writes that was. A write beside it instead (an origin elsewhere, or none) is put before
 * it by Yjs when its client id is lower and dropped at once, so the removal stood alone: a
 * co-therapist erased the other's risk record that way, unrefused (attack, 5 Dec).
 */
export function rewrites(facts: UpdateFacts, d: MapDelete): boolean {
  const same = (a: ItemId | null, b: ItemId) => a !== null && a.client === b.client && a.clock === b.clock;
  const writes = facts.mapWrites.filter((w) => w.map === d.map && w.key === d.key);
  const after = [d.id];
  let shows = false;
  for (let grew = true; grew; ) {
    grew = false;
    for (const w of writes) {
      if (after.includes(w.id) || !after.some((id) => same(w.origin, id))) continue;
      after.push(w.id);
      // Only a value that stays takes the removed one's place: one the update deletes too leaves the key empty.
      shows ||= !w.gone;
      grew = true;
    }
  }
  return shows;
}

/**
 * Observations and answers to flags are checked value by value (every value an update writes under
 * a key, since Yjs shows the last): the author is the sender, the tags exist, the member label is
 * one of the session's, and only the flagged co-therapist answers. A value removed (deleted, or
 * replaced) must be the sender's own. Only its author puts an observation's mark on words it did
 * not cover (markCoverage.ts).
 */
export function observationGuard(tags: TagCache, budget: JudgingBudget = JUDGING_BUDGET): WriteGuard {
  // Per note, the words deleted from under each observation of another's (removedWords.ts): the
  // same words written again under it (an undo of the deletion) are its own, not new ones. Held
  // with the note's Y.Doc, the latest REMEMBERED_CHARS per observation.
  const removed = new WeakMap<Y.Doc, Map<string, RemovedRun[]>>();
  // Per account, the time its updates took to judge exactly in the current window (JudgingBudget).
  const judging = new TimeBudget(budget);
  return ({ conn, note, facts, update }) => {
    const me = conn.principal.accountId;
    const { observations, responses, stamps } = sessionDoc(note.doc);
    const written = new Map<string, Observation[]>();
    for (const w of facts.mapWrites) {
      if ((SERVER_MAPS as readonly string[]).includes(w.map)) return refuse('server_only', 'Late-entry labels, receipt times and the record of changes to another’s words are written by the server.');
      if (w.map !== OBSERVATIONS) continue;
      const parsed = observationSchema.safeParse(w.value);
      if (!parsed.success || parsed.data.id !== w.key) return refuse('invalid_observation', `Observation is malformed: ${parsed.error?.issues[0]?.message ?? 'id does not match its key'}.`);
      const o = parsed.data;
      if (o.authorId !== me) return refuse('wrong_author', 'An observation’s author must be the person who writes it.');
      const tag = observationIdTag(w.key);
      if (tag !== null && tag !== accountTag(me)) return refuse('observation_immutable', 'This observation id is another person’s; add a new one.');
      if (observations.has(w.key)) return refuse('observation_immutable', 'An observation cannot be rewritten; add a new one.');
      // A retracted one's id too: its receipt time and the co-therapist's answer would stay with it.
      if (stamps.has(stampKey(OBSERVATIONS, w.key))) return refuse('observation_immutable', 'This observation was retracted; its id is not used again. Add a new one.');
      const unknown = o.tags.find((t) => !tags.isInCodebook(t));
      if (unknown) return refuse('unknown_tag', `Tag "${unknown}" is not in the clinic’s codebook.`);
      if (o.member !== null && !note.session.groupMembers.includes(o.member)) return refuse('unknown_member', `"${o.member}" is not one of this session’s group members.`);
      written.set(w.key, [...(written.get(w.key) ?? []), o]);
    }
    for (const w of facts.mapWrites) {
      if (w.map !== RESPONSES) continue;
      const parsed = flagResponseSchema.safeParse(w.value);
      if (!parsed.success) return refuse('invalid_response', 'The answer to the flag is malformed.');
      if (parsed.data.by !== me) return refuse('wrong_author', 'An answer must be written by the person answering.');
      const existing = observations.get(w.key);
      const targets = existing ? [existing] : written.get(w.key) ?? [];
      if (targets.length === 0 || targets.some((t) => !t.forCoTherapist)) return refuse('not_flagged', 'Only observations flagged for the co-therapist can be answered.');
      if (targets.some((t) => t.authorId === me)) return refuse('own_flag', 'The co-therapist answers a flag, not its author.');
      const previous = responses.get(w.key);
      if (previous && previous.by !== me) return refuse('already_answered', 'This flag was already answered.');
    }
    // An observation stays on the words its author tagged. A co-therapist's edit may carry its
    // mark along with those words (a line split or joined, a paste) or write inside it, never put
    // it on words it did not cover: those would read as the author's tag on them in the review.
    const othersAuthor = (id: string) => {
      const author = (observations.get(id) ?? written.get(id)?.[0])?.authorId;
      return author !== undefined && author !== me;
    };
    // New words under it only as a copy of all the words it covers in one place (a paste), or as
    // words deleted from under it written again (a line split or joined, a move, an undo); and
    // only its author takes it off words (deleting the words is editing; the replay shows it).
    // A part of its words is no copy: a co-therapist's one letter of them pasted elsewhere, typed
    // on inside (which writes no mark and is not judged), put the author's tag on her own words
    // anywhere in the note (attack5).
    if (facts.marksUnsure || facts.observationMarks.some((m) => (m.existingChars > 0 || m.newText !== '' || m.uncovers) && othersAuthor(m.id))) {
      // The exact judgment copies the whole note: its time is counted against the sender.
      if (judging.wait(me) > 0) return refuse('judging_busy', 'Too many edits around the other therapist’s observations in a short time; wait a few seconds and make the change again.');
      const started = performance.now();
      try {
        const moved = movedObservation(note.doc, update, facts, othersAuthor, removed.get(note.doc));
        if (moved) return moved;
      } finally {
        judging.spend(me, performance.now() - started, started);
      }
    }
    for (const d of facts.mapDeletes) {
      // Risk records are riskGuard's.
      if (d.map === RISK) continue;
      const owner = note.clientAccounts.get(d.client);
      const overwritingOwnAnswer = d.map === RESPONSES && owner === me && rewrites(facts, d);
      // An answered flag stays with its answer, the co-therapist's act (attack, 6 Dec: retracted, both left the record).
      if (d.map === OBSERVATIONS && owner === me && responses.has(d.key)) return refuse('observation_immutable', 'Your co-therapist answered this flag; it stays in the record with the answer.');
      const retractingOwnObservation = d.map === OBSERVATIONS && owner === me;
      if (!overwritingOwnAnswer && !retractingOwnObservation) return refuse('not_yours', 'Only the author can remove their own observation or answer.');
    }
    for (const m of facts.observationMarks) {
      if (m.removed.length === 0 || !othersAuthor(m.id)) continue;
      const runs = removed.get(note.doc) ?? new Map<string, RemovedRun[]>();
      removed.set(note.doc, runs);
      const kept = [...(runs.get(m.id) ?? []), ...m.removed];
      while (kept.reduce((n, r) => n + r.text.length, 0) > REMEMBERED_CHARS) kept.shift();
      runs.set(m.id, kept);
    }
    return null;
  };
}

/**
 * Time one account's updates may spend in the observation guard's exact judgment, which copies the
 * whole note (markCoverage.newlyCovered), per window: 1 s of every 10 s. A clinician's edits near
 * the other's tagged words take a few ms each; tiny updates putting the other's mark on one letter
 * of a note of 40,000 paragraphs took 150 ms each, and held everyone's edits back by up to 1.9 s
 * (attack5, 1 Dec). Past it the update is refused as `judging_busy` until the window ends.
 */
export interface JudgingBudget {
  ms: number;
  windowMs: number;
}
const JUDGING_BUDGET: JudgingBudget = { ms: 1000, windowMs: 10_000 };

/**
 * Whether `update` would put another's observation on words it did not cover, or take it off
 * words (see observationGuard): the refusal, or null. `remembered`: the note's words deleted from
 * under each observation by earlier updates.
 */
function movedObservation(doc: Y.Doc, update: Uint8Array, facts: UpdateFacts, othersAuthor: (id: string) => boolean, remembered: Map<string, RemovedRun[]> | undefined): WriteRefusal | null {
  const text = doc.getXmlFragment(NOTE_FIELD);
  for (const [id, change] of newlyCovered(doc, update, NOTE_FIELD, OBSERVATION_MARK)) {
    if (!othersAuthor(id)) continue;
    const copies = change.newStretches.length > 0 ? textUnder(text, OBSERVATION_MARK, id).split('\n') : [];
    const deletedNow = facts.observationMarks.filter((m) => m.id === id).flatMap((m) => m.removed);
    const written = change.newStretches.length > 0 ? inNoteOrder(text, remembered?.get(id) ?? [], deletedNow) : '';
    const carried = (words: string) => copies.includes(words) || written.includes(words);
    // Spaces it newly covers are no words of anyone's: an undo writes the words around one back.
    if (/\S/.test(change.existingText) || change.uncoveredChars > 0 || !change.newStretches.every(carried)) {
      return refuse('observation_moved', 'An observation stays on the words its author tagged; only its author can move it or take it off words.');
    }
  }
  return null;
}

/** Deleted words kept per observation for an undo to write again (the latest; a long paste's worth). */
const REMEMBERED_CHARS = 20_000;

/** After the session ended, whatever is written is labelled as a late entry with its time. */
export const labelLateEntries: AfterApply = ({ conn, note, facts }) => {
  // A note without a clock of its own (a member note, written after its group session) has nothing to be late against.
  if (note.session.status !== 'ended' || note.session.endedAt === null || facts.inserted.length === 0) return;
  const { lateEntries } = sessionDoc(note.doc);
  const at = Date.now();
  // Words the update moved keep what they were (struckWords.ts moves their labels): only the rest is new.
  const fresh = facts.inserted.flatMap((r) => without(r, facts.moved.filter((m) => m.client === r.client)));
  if (fresh.length === 0) return;
  note.transactLocal(() => {
    for (const r of fresh) lateEntries.set(`${r.client}:${r.clock}`, { accountId: conn.principal.accountId, at, ...r });
  });
};

/** The parts of a range of one client's characters outside the given ones. */
function without(r: { client: number; clock: number; len: number }, cut: { clock: number; len: number }[]): { client: number; clock: number; len: number }[] {
  const out: { client: number; clock: number; len: number }[] = [];
  let at = r.clock;
  for (const c of [...cut].sort((x, y) => x.clock - y.clock)) {
    if (c.clock + c.len <= at || c.clock >= r.clock + r.len) continue;
    if (c.clock > at) out.push({ client: r.client, clock: at, len: c.clock - at });
    at = Math.max(at, c.clock + c.len);
  }
  if (at < r.clock + r.len) out.push({ client: r.client, clock: at, len: r.clock + r.len - at });
  return out;
}

/**
 * The server owns time: each observation and answer that became visible is stamped with when the
 * server received it, its session-clock offset and whether it came after the end, whatever time
 * the device wrote into it.
 */
export const stampReceipt: AfterApply = ({ note, facts }) => {
  const { observations, responses, risk, stamps } = sessionDoc(note.doc);
  const keys = new Set<string>();
  for (const w of facts.mapWrites) {
    if (w.map === OBSERVATIONS && observations.has(w.key)) keys.add(stampKey(OBSERVATIONS, w.key));
    if (w.map === RESPONSES && responses.has(w.key)) keys.add(stampKey(RESPONSES, w.key));
    if (w.map === RISK && risk.has(w.key)) keys.add(`risk:${w.key}`);
  }
  if (keys.size === 0) return;
  const at = Date.now();
  const { startedAt, status } = note.session;
  const stamp = { at, offsetMs: startedAt === null ? null : Math.max(0, at - startedAt), late: status === 'ended' && note.session.endedAt !== null };
  note.transactLocal(() => {
    for (const key of keys) if (!key.startsWith('observation:') || !stamps.has(key)) stamps.set(key, stamp);
  });
};
