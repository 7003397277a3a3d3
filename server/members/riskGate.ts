import { conflict } from '../domain/errors';
import type { ServiceDeps } from '../services/deps';
import type { SessionRecord } from '../persistence/ports';
import { describeRiskGap, type RiskGap } from '../../shared/domain/risk';
import { signSources, type SignSources } from './signSources';

type Deps = Pick<ServiceDeps, 'store' | 'notes'>;

/**
 * What signing this note waits for: every member tagged risk/safety needs a risk assessment and a
 * plan recorded by a therapist of the session. A member note is flagged when its group note
 * flagged its member (or the member note itself does), and is checked against its own record.
 */
export async function signRiskGaps(deps: Deps, session: SessionRecord, sources: SignSources): Promise<RiskGap[]> {
  const therapists = (await deps.store.sessions.members(session.id)).filter((m) => m.role === 'therapist').map((m) => m.accountId);
  // Every member the note itself tags risk/safety, a label removed since included: taking the
  // label away must not take the gate away (noteReadings.riskGaps). The group note is read for
  // this note's own member only.
  const group = sources.group && { parts: sources.group.parts, members: session.groupMembers };
  return deps.notes.read(sources.note, 'riskGaps', { group, therapists });
}

/** Refuses signing (409 `risk_incomplete`, naming each member and what is missing) until every gap is closed. */
export async function assertRiskComplete(deps: Deps, session: SessionRecord): Promise<void> {
  const gaps = await signRiskGaps(deps, session, await signSources(deps, session));
  if (gaps.length > 0) throw conflict('risk_incomplete', `Risk/safety was tagged; before signing, record ${gaps.map(describeRiskGap).join('; ')}.`);
}

/**
 * Refuses taking a label away while the note tags risk/safety for it (409 `risk_member`): the
 * gate and the risk record follow the label, so removing it would leave the risk unrecorded.
 */
export async function assertRiskLabelsKept(deps: Deps, session: SessionRecord, labels: readonly string[]): Promise<void> {
  const removed = session.groupMembers.filter((l) => !labels.includes(l));
  if (removed.length === 0) return;
  const flagged = await deps.notes.readStored(session.id, 'riskFlagged', removed);
  if (flagged.length > 0) {
    throw conflict('risk_member', `${flagged.join(', ')} ${flagged.length === 1 ? 'is' : 'are'} tagged risk/safety in this note, so the label stays: record the risk assessment and plan instead.`);
  }
}
