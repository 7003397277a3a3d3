import { conflict } from '../domain/errors';
import type { ServiceDeps } from '../services/deps';
import type { SessionRecord } from '../persistence/ports';
import { describeRiskGap } from '../../shared/domain/risk';
import { signCheck } from './signCheck';

type Deps = Pick<ServiceDeps, 'store' | 'notes'>;

/** Refuses signing (409 `risk_incomplete`, naming each member and what is missing) until every gap is closed. */
export async function assertRiskComplete(deps: Deps, session: SessionRecord): Promise<void> {
  const gaps = (await signCheck(deps, session)).riskGaps;
  if (gaps.length > 0) throw conflict('risk_incomplete', `Risk/safety was tagged; before signing, record ${gaps.map(describeRiskGap).join('; ')}.`);
}

/**
 * Refuses taking a label away while the note tags risk/safety for it (409 `risk_member`): the
 * gate and the risk record follow the label, so removing it would leave the risk unrecorded. In a
 * blind session before the reveal no label is taken away (409 `blind_labels`).
 */
export async function assertRiskLabelsKept(deps: Deps, session: SessionRecord, labels: readonly string[]): Promise<void> {
  const removed = session.groupMembers.filter((l) => !labels.includes(l));
  if (removed.length === 0) return;
  // Private observations name labels the note does not show yet, and asking about each would tell
  // which (attack, 4 Dec: a label taken away under a private risk flag stopped the signing for good).
  const blind = await deps.store.learning.blindSetting(session.id);
  if (blind?.enabled && blind.revealedAt === null) {
    throw conflict('blind_labels', 'In a blind session the group members’ labels stay until the observations are revealed; new ones can be added.');
  }
  const flagged = await deps.notes.readStored(session.id, 'riskFlagged', removed);
  if (flagged.length > 0) {
    throw conflict('risk_member', `${flagged.join(', ')} ${flagged.length === 1 ? 'is' : 'are'} tagged risk/safety in this note, so the label stays: record the risk assessment and plan instead.`);
  }
}
