/**
 * The note's risk picture for the workspace: the members tagged risk/safety (here, or for a member
 * note in its group note, which only the server knows), their risk records, and what each record
 * still lacks before signing. Recomputed when the observations, the records or the server's answer
 * change, never on plain typing.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type * as Y from 'yjs';
import type { RiskEntry, RiskGap } from '../../../shared/domain/risk';
import type { SessionView } from '../../../shared/domain/session';
import { riskFlagged, riskGaps } from '../../../shared/note/riskRecords';
import { fetchSignCheck } from '../../api/memberNotes';
import { keepSameSession, keys } from '../../query/keys';
import { useRiskRecords } from '../members/useRiskRecords';
import type { NoteObservations } from '../observations/useNoteObservations';

/** How often a page of a note awaiting signatures asks again for what signing depends on (its record, its sign check), ms. */
export const AWAITING_SIGNATURES_POLL_MS = 15_000;

export interface RiskSummary {
  /** Member labels, sorted. */
  flagged: string[];
  records: ReadonlyMap<string, RiskEntry>;
  gaps: RiskGap[];
  /** A member note's words missing against its group note now (the server's sign check). */
  groupChanges: string[];
}

/** `signs`: whether the note is one that is signed (sessionParts.ts); process notes are not, and their page was answered 404. */
export function useRiskSummary(session: SessionView, doc: Y.Doc | null, notes: NoteObservations, sessionChanges: number, noteDigest: string | undefined, signs: boolean): RiskSummary {
  const records = useRiskRecords(doc);
  // A new status, a change told by the server or a change of the note (its digest, once edits
  // settle) is another answer, of the same session: the last one stays meanwhile. The group note
  // changes where this page cannot see it, so while the note awaits signatures it is asked again
  // now and then. (The list of a member note's gaps against its group note stayed after they were
  // written into it: walk, 4 Dec.)
  const signCheck = useQuery({
    queryKey: keys.session(session.id, 'signCheck', session.status, sessionChanges, noteDigest ?? ''),
    queryFn: () => fetchSignCheck(session.id),
    placeholderData: keepSameSession(session.id),
    refetchInterval: session.status === 'ended' ? AWAITING_SIGNATURES_POLL_MS : false,
    enabled: signs,
  });
  const flagged = useMemo(() => {
    const serverFlagged = signCheck.data ? signCheck.data.riskGaps.map((g) => g.member) : [];
    return [...new Set([...(doc ? riskFlagged(doc, session.groupMembers) : []), ...serverFlagged, ...records.keys()])].sort();
    // `notes` changes whenever the doc's observations do, which riskFlagged reads.
  }, [doc, notes, session.groupMembers, signCheck.data, records]);
  const gaps = useMemo(() => {
    const therapistIds = session.members.filter((m) => m.role === 'therapist').map((m) => m.userId);
    return doc ? riskGaps(doc, flagged, therapistIds) : [];
    // riskGaps reads the doc's risk records, which `records` follows.
  }, [doc, flagged, session.members, records]);
  return { flagged, records, gaps, groupChanges: signCheck.data?.groupChanges ?? [] };
}
