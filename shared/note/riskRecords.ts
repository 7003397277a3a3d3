import type * as Y from 'yjs';
import { RISK_PARTS, riskKeyOf, riskPartAuthor, type RiskGap } from '../domain/risk';
import { sessionDoc } from '../ydoc/sessionDoc';

/**
 * The risk records the note's risk/safety tags ask for (riskKeyOf), given the session's member
 * labels: each tagged member of `labels`, or any tagged member with `within: 'any'` (a label
 * removed since counts), and the client's in a session without labels.
 */
export function riskFlagged(doc: Y.Doc, labels: readonly string[], within: 'labels' | 'any' = 'labels'): Set<string> {
  const flagged = new Set<string>();
  for (const o of sessionDoc(doc).observations.values()) {
    const key = riskKeyOf(o, labels);
    if (key !== null && (within === 'any' || o.member === null || labels.includes(key))) flagged.add(key);
  }
  return flagged;
}

/**
 * For each flagged member, what their risk record in `doc` still lacks: an assessment and a plan,
 * each part written by a therapist of the session. The server's sign gate and the sign panel both use this.
 */
export function riskGaps(doc: Y.Doc, flagged: Iterable<string>, therapists: readonly string[]): RiskGap[] {
  const { risk } = sessionDoc(doc);
  return [...flagged].sort().flatMap((member) => {
    const entry = risk.get(member);
    const missing: RiskGap['missing'] = [];
    if (!entry?.assessment.trim()) missing.push('assessment');
    if (!entry?.plan.trim()) missing.push('plan');
    if (entry && RISK_PARTS.some((part) => entry[part].trim() && !therapists.includes(riskPartAuthor(entry, part)))) missing.push('attribution');
    return missing.length > 0 ? [{ member, missing }] : [];
  });
}
