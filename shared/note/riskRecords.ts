import type * as Y from 'yjs';
import { RISK_PARTS, RISK_TAG, riskPartAuthor, type RiskGap } from '../domain/risk';
import { sessionDoc } from '../ydoc/sessionDoc';

/** Members of `labels` (or any member, with `'any'`) that an observation in the note tags risk/safety for. */
export function riskFlagged(doc: Y.Doc, labels: readonly string[] | 'any'): Set<string> {
  const flagged = new Set<string>();
  for (const o of sessionDoc(doc).observations.values()) {
    if (o.member !== null && (labels === 'any' || labels.includes(o.member)) && o.tags.includes(RISK_TAG)) flagged.add(o.member);
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
