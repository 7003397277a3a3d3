import type * as Y from 'yjs';
import { lateEntryLabels, type ReviewBlock } from '../../shared/domain/review';
import type { DyadSessionRow, TherapistSessionFigures } from '../../shared/domain/supervisor';
import { OBSERVATIONS, receivedAt, RESPONSES, sessionDoc } from '../../shared/ydoc/sessionDoc';
import type { CompetencyRecord, MemberRecord, SessionEventRecord, SessionRecord, SupervisionNoteRecord, TagRecord } from '../persistence/ports';
import { inlineItems } from '../review/noteInline';
import { reviewBlocks } from '../review/reviewModel';

const count = (into: Record<string, number>, key: string) => {
  into[key] = (into[key] ?? 0) + 1;
};

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface SessionInputs {
  session: SessionRecord;
  doc: Y.Doc;
  /** Yjs client id → account (the server's authorship bindings), for whose words are whose. */
  clientAccounts: Map<number, string>;
  members: MemberRecord[];
  events: SessionEventRecord[];
  supervisionNotes: SupervisionNoteRecord[];
}

/**
 * Late entries in the note by author, counted as the review and the exports label them
 * (lateEntryLabels): a sentence typed after the end is one entry, not one per keystroke.
 */
function lateEntriesByAuthor(blocks: ReviewBlock[]): Record<string, number> {
  const byAuthor: Record<string, number> = {};
  const visit = (b: ReviewBlock) => {
    const items = inlineItems(b);
    if (items === null) return b.children.forEach(visit);
    const runs = items.flatMap((i) => (i.kind === 'run' ? [i.run] : []));
    for (const entry of lateEntryLabels(runs).values()) if (entry.by) count(byAuthor, entry.by);
  };
  blocks.forEach(visit);
  return byAuthor;
}

/**
 * One session's figures for each of `therapists`: observations made, flags raised for the other
 * and how they were answered, the time from flag to answer (by the server's receipt stamps),
 * late entries in the note, tags and group members named, and the supervision codes the
 * supervisor gave (a note about this therapist, or about the pair).
 */
export function sessionFigures(
  input: SessionInputs,
  therapists: string[],
  tags: Map<string, TagRecord>,
  codebook: Map<string, CompetencyRecord>,
  date: number,
): DyadSessionRow {
  const { observations, responses } = sessionDoc(input.doc);
  const late = lateEntriesByAuthor(reviewBlocks(input.doc, input.clientAccounts));
  const supervisors = new Set(input.members.filter((m) => m.role === 'supervisor').map((m) => m.accountId));
  const all = Array.from(observations.values());
  const figures = therapists.map((accountId): TherapistSessionFigures => {
    const mine = all.filter((o) => o.authorId === accountId);
    const flagged = mine.filter((o) => o.forCoTherapist);
    const answered = flagged.map((o) => ({ o, r: responses.get(o.id) })).filter((x) => x.r !== undefined && x.r.by !== accountId);
    const waits = answered.map(({ o, r }) => (receivedAt(input.doc, RESPONSES, o.id, r!.at).at - receivedAt(input.doc, OBSERVATIONS, o.id, o.createdAt).at) / 1000);
    const byTag: Record<string, number> = {};
    const byMember: Record<string, number> = {};
    for (const o of mine) {
      for (const t of o.tags) count(byTag, tags.get(t)?.name ?? t);
      if (o.member) count(byMember, o.member);
    }
    const codes: Record<string, number> = {};
    for (const n of input.supervisionNotes) {
      if (!supervisors.has(n.authorId) || (n.aboutId !== null && n.aboutId !== accountId)) continue;
      for (const c of n.codes) count(codes, codebook.get(c)?.name ?? c);
    }
    return {
      accountId,
      made: mine.length,
      flaggedForOther: flagged.length,
      acknowledgedByOther: answered.filter((x) => x.r!.answer === 'acknowledged').length,
      disputedByOther: answered.filter((x) => x.r!.answer === 'disputed').length,
      unanswered: flagged.length - answered.length,
      medianAnswerSeconds: median(waits.map((w) => Math.max(0, w))),
      lateEntries: late[accountId] ?? 0,
      byTag,
      byMember,
      codes,
    };
  });
  return {
    sessionId: input.session.id,
    title: input.session.title,
    date: new Date(date).toISOString(),
    status: input.session.status,
    // Returns by the supervisor; a lock undone because the note changed while signing is not one.
    returned: input.events.filter((e) => e.kind === 'returned' && supervisors.has(e.actorId)).length,
    therapists: figures,
  };
}

const addCounts = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};

/** Each therapist's figures summed over the rows. */
export function totals(rows: DyadSessionRow[], therapists: string[]): Omit<TherapistSessionFigures, 'medianAnswerSeconds'>[] {
  return therapists.map((accountId) => {
    const t = { accountId, made: 0, flaggedForOther: 0, acknowledgedByOther: 0, disputedByOther: 0, unanswered: 0, lateEntries: 0, byTag: {}, byMember: {}, codes: {} };
    for (const row of rows) {
      const f = row.therapists.find((x) => x.accountId === accountId);
      if (!f) continue;
      t.made += f.made;
      t.flaggedForOther += f.flaggedForOther;
      t.acknowledgedByOther += f.acknowledgedByOther;
      t.disputedByOther += f.disputedByOther;
      t.unanswered += f.unanswered;
      t.lateEntries += f.lateEntries;
      addCounts(t.byTag, f.byTag);
      addCounts(t.byMember, f.byMember);
      addCounts(t.codes, f.codes);
    }
    return t;
  });
}
