/**
 * The note's risk picture for the workspace: the members tagged risk/safety (here, or for a member
 * note in its group note, which only the server knows), their risk records, and what each record
 * still lacks before signing. Recomputed when the observations, the records or the server's answer
 * change, never on plain typing.
 */
import { useMemo } from 'react';
import type * as Y from 'yjs';
import type { RiskEntry, RiskGap } from '../../../shared/domain/risk';
import type { SessionView } from '../../../shared/domain/session';
import { riskFlagged, riskGaps } from '../../../shared/note/riskRecords';
import { fetchSignCheck } from '../../api/memberNotes';
import { useLoad } from '../../components/useLoad';
import { useRiskRecords } from '../members/useRiskRecords';
import type { NoteObservations } from '../observations/useNoteObservations';

export interface RiskSummary {
  /** Member labels, sorted. */
  flagged: string[];
  records: ReadonlyMap<string, RiskEntry>;
  gaps: RiskGap[];
}

export function useRiskSummary(session: SessionView, doc: Y.Doc | null, notes: NoteObservations, sessionChanges: number): RiskSummary {
  const records = useRiskRecords(doc);
  const signCheck = useLoad(() => fetchSignCheck(session.id), [session.id, session.status, sessionChanges]);
  const flagged = useMemo(() => {
    const serverFlagged = signCheck.state.status === 'ok' ? signCheck.state.data.riskGaps.map((g) => g.member) : [];
    return [...new Set([...(doc ? riskFlagged(doc, session.groupMembers) : []), ...serverFlagged, ...records.keys()])].sort();
    // `notes` changes whenever the doc's observations do, which riskFlagged reads.
  }, [doc, notes, session.groupMembers, signCheck.state, records]);
  const gaps = useMemo(() => {
    const therapistIds = session.members.filter((m) => m.role === 'therapist').map((m) => m.userId);
    return doc ? riskGaps(doc, flagged, therapistIds) : [];
    // riskGaps reads the doc's risk records, which `records` follows.
  }, [doc, flagged, session.members, records]);
  return { flagged, records, gaps };
}
