import type { DebriefFieldRecord } from '../persistence/ports';
import type { TherapistPair } from '../services/therapistPair';

/** A therapist whose own account a debrief field is. */
export interface DebriefRater {
  accountId: string;
  name: string;
}

/** Whose own account "What A noticed" (`a`) and "What B noticed" (`b`) are; null: nobody's yet, and the session has no pair to name. */
export interface DebriefRaters {
  a: DebriefRater | null;
  b: DebriefRater | null;
}

/**
 * Whose own account each field named for one therapist is: the therapist who first saved it, for
 * good. Before (attack, 6 Dec) it was whoever stood at the field's place in the pair (A: the
 * therapist added first), so B took A off the session and added them back, and A's words stood
 * under "What Blair noticed" for B to rewrite as B's own. A field nobody saved yet is the pair's
 * therapist at its place, unless they own the other field; then it is the other therapist's.
 */
export function debriefRaters(pair: TherapistPair | null, history: readonly DebriefFieldRecord[], nameOf: (accountId: string) => string): DebriefRaters {
  const firstSaver = (field: string) => history.filter((v) => v.field === field).sort((x, y) => x.version - y.version)[0]?.updatedBy ?? null;
  const [savedA, savedB] = [firstSaver('noticedA'), firstSaver('noticedB')];
  /** The pair's therapist for an unsaved field, `place` first, who does not own the other field (`taken`). */
  const unsaved = (place: 'a' | 'b', taken: string | null) => (pair ? (place === 'a' ? [pair.a, pair.b] : [pair.b, pair.a]).find((p) => p.accountId !== taken)?.accountId ?? null : null);
  const a = savedA ?? unsaved('a', savedB);
  const b = savedB ?? unsaved('b', a);
  const rater = (id: string | null) => (id === null ? null : { accountId: id, name: nameOf(id) });
  return { a: rater(a), b: rater(b) };
}
