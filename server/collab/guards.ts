import { isLocked } from '../../shared/domain/lifecycle';
import { flagResponseSchema, observationSchema } from '../../shared/domain/observation';
import { LATE_ENTRIES, OBSERVATIONS, RESPONSES, sessionDoc } from '../../shared/ydoc/sessionDoc';
import type { TagCache } from '../codebook/TagCache';
import type { AfterApply, WriteGuard, WriteRefusal } from './SharedDoc';

const refuse = (code: string, message: string): WriteRefusal => ({ code, message });

/** Supervisors (and anyone the server made read-only) never change the note. */
export const readOnlyGuard: WriteGuard = ({ conn }) =>
  conn.canWrite ? null : refuse('read_only', 'This connection is read-only; the edit was not applied.');

/** Once every therapist signed, nobody changes the note; addenda are the way to add. */
export const lockGuard: WriteGuard = ({ doc }) =>
  isLocked(doc.session.status) ? refuse('session_locked', 'The note is signed and locked; add an addendum instead.') : null;

/**
 * Observations and answers to flags are checked entry by entry: the author is the sender, the
 * tags exist, the member label is one of the session's, and only the flagged co-therapist answers.
 */
export function observationGuard(tags: TagCache): WriteGuard {
  return ({ conn, doc, facts }) => {
    const me = conn.principal.accountId;
    const { observations, responses } = sessionDoc(doc.doc);
    const written = new Map(facts.mapWrites.filter((w) => w.map === OBSERVATIONS).map((w) => [w.key, w.value]));
    for (const w of facts.mapWrites) {
      if (w.map === LATE_ENTRIES) return refuse('server_only', 'Late-entry labels are written by the server.');
      if (w.map === OBSERVATIONS) {
        const parsed = observationSchema.safeParse(w.value);
        if (!parsed.success || parsed.data.id !== w.key) return refuse('invalid_observation', `Observation is malformed: ${parsed.error?.issues[0]?.message ?? 'id does not match its key'}.`);
        const o = parsed.data;
        if (o.authorId !== me) return refuse('wrong_author', 'An observation’s author must be the person who writes it.');
        if (observations.has(w.key)) return refuse('observation_immutable', 'An observation cannot be rewritten; add a new one.');
        const unknown = o.tags.find((t) => !tags.isUsable(t));
        if (unknown) return refuse('unknown_tag', `Tag "${unknown}" is not in the clinic’s codebook.`);
        if (o.member !== null && !doc.session.groupMembers.includes(o.member)) return refuse('unknown_member', `"${o.member}" is not one of this session’s group members.`);
      }
      if (w.map === RESPONSES) {
        const parsed = flagResponseSchema.safeParse(w.value);
        if (!parsed.success) return refuse('invalid_response', 'The answer to the flag is malformed.');
        const target = observations.get(w.key) ?? (observationSchema.safeParse(written.get(w.key)).data ?? undefined);
        if (!target?.forCoTherapist) return refuse('not_flagged', 'Only observations flagged for the co-therapist can be answered.');
        if (parsed.data.by !== me) return refuse('wrong_author', 'An answer must be written by the person answering.');
        if (target.authorId === me) return refuse('own_flag', 'The co-therapist answers a flag, not its author.');
        const previous = responses.get(w.key);
        if (previous && previous.by !== me) return refuse('already_answered', 'This flag was already answered.');
      }
    }
    for (const d of facts.mapDeletes) {
      const owner = doc.clientAccounts.get(d.client);
      const overwritingOwnAnswer = d.map === RESPONSES && owner === me && facts.mapWrites.some((w) => w.map === RESPONSES && w.key === d.key);
      const retractingOwnObservation = d.map === OBSERVATIONS && owner === me;
      if (!overwritingOwnAnswer && !retractingOwnObservation) return refuse('not_yours', 'Only the author can remove their own observation.');
    }
    return null;
  };
}

/** After the session ended, whatever is written is labelled as a late entry with its time. */
export const labelLateEntries: AfterApply = ({ conn, doc, facts }) => {
  if (doc.session.status !== 'ended' || facts.inserted.length === 0) return;
  const { lateEntries } = sessionDoc(doc.doc);
  const at = Date.now();
  doc.transactLocal(() => {
    for (const r of facts.inserted) lateEntries.set(`${r.client}:${r.clock}`, { accountId: conn.principal.accountId, at, ...r });
  });
};
