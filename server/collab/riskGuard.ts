import { CLIENT_RISK_KEY, RISK_PART_NAMES, RISK_PARTS, riskEntrySchema, riskPartAuthor } from '../../shared/domain/risk';
import { RISK, sessionDoc } from '../../shared/ydoc/sessionDoc';
import { refuse, rewrites } from './guards';
import type { WriteGuard } from './writeGate';

/**
 * A member's risk assessment and plan: for one of the session's members (the client's, in a
 * session without member labels: CLIENT_RISK_KEY), well-formed, and written
 * in the sender's own name (so it is attributed to who last wrote it). Either therapist may
 * rewrite it; only its writer takes it away without writing another (attack, 2 Dec: a
 * co-therapist's bare delete erased the other's assessment and plan, and the review no longer
 * showed either, nor who removed them). Nobody else writes (readOnlyGuard).
 */
export const riskGuard: WriteGuard = ({ conn, note, facts }) => {
  const me = conn.principal.accountId;
  for (const w of facts.mapWrites) {
    if (w.map !== RISK) continue;
    const labels = note.session.groupMembers;
    if (labels.length === 0 ? w.key !== CLIENT_RISK_KEY : !labels.includes(w.key)) return refuse('unknown_member', `"${w.key}" is not one of this session’s group members.`);
    const parsed = riskEntrySchema.safeParse(w.value);
    if (!parsed.success) return refuse('invalid_risk', `The risk record is malformed: ${parsed.error.issues[0]?.message ?? 'invalid value'}.`);
    if (parsed.data.by !== me) return refuse('wrong_author', 'A risk record must be written in the name of the person writing it.');
    // A part in another's name: only those very words, under the same name, as the record has them
    // now. Left blank, it erases nothing of hers only where the record has no words of hers there:
    // a blank passed unchecked, and a co-therapist cleared the other's assessment in her name
    // (attack, 6 Dec: the review read "Assessment (Alex Therapist):" over nothing).
    const before = sessionDoc(note.doc).risk.get(w.key);
    for (const part of RISK_PARTS) {
      const author = riskPartAuthor(parsed.data, part);
      if (author === me) continue;
      if (!parsed.data[part].trim() && !(before && riskPartAuthor(before, part) === author && before[part].trim())) continue;
      if (!before || before[part] !== parsed.data[part] || riskPartAuthor(before, part) !== author) {
        // Also an honest save made offline, when the other changed their part meanwhile: say so plainly.
        return refuse('wrong_author', `Your risk record was not saved: it keeps a ${RISK_PART_NAMES[part]} in your co-therapist’s name that is not theirs as the record has it now (they may have changed it since this device last saw it).`);
      }
    }
  }
  for (const d of facts.mapDeletes) {
    if (d.map !== RISK || note.clientAccounts.get(d.client) === me || rewrites(facts, d)) continue;
    return refuse('not_yours', 'Only the therapist who wrote a risk record can remove it; to change it, write a new one in your name.');
  }
  return null;
};
