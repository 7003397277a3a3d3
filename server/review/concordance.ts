/**
 * Concordance of two co-therapists' observations: what both caught, what only one caught, and
 * where they tagged the same moment differently, with Cohen's kappa per tag and pooled.
 *
 * Unit of analysis: the *moment*. Observations are first lined up one-to-one: an observation of
 * A and one of B form a moment when they name the same group member (or both none) and either
 * tag words in the same paragraph of the note or were received by the server at most the window
 * apart. Among the candidates, pairs on the same words go first (one's quoted words contain the
 * other's: both saw that moment, whatever they called it), then pairs sharing more tags, then
 * pairs in the same paragraph, then the closest in time (greedy, so each observation is in one
 * moment at most). Tags first paired two Affect tags on different words ahead of a Nonverbal and an
 * Affect on the same words, so the real disagreement went unlisted (walk, 2 Dec). Every
 * observation left over is a moment of its own (only-A or only-B).
 *
 * Kappa per tag: for each moment, did A apply the tag (yes/no) and did B (yes/no): a 2×2 table
 * over all moments, and Cohen's kappa κ = (pₒ − pₑ) / (1 − pₑ), with pₒ the share of moments
 * decided alike and pₑ = p_A·p_B + (1 − p_A)(1 − p_B) the agreement expected from each one's own
 * rate. Moments where neither applied the tag count as agreement on its absence, so the figure
 * depends on how many moments there were. Overall: the pooled kappa (De Vries et al. 2008), the
 * per-tag tables added up, so its unit is one decision per moment and tag used.
 *
 * Kappa is undefined when pₑ = 1: both therapists applied the tag at every moment, so chance alone
 * predicts their complete agreement and there is nothing beyond chance to measure. It is then
 * null with that reason, never NaN. With no moments at all there is nothing to compare.
 * Computed in integers (counts scaled by N), so pₑ = 1 is found exactly.
 */
import type { ConcordanceMoment, ConcordanceSide, ConcordanceView } from '../../shared/domain/concordance';
import type { ReviewBlock, ReviewObservation } from '../../shared/domain/review';
import { cohensKappa, pooledAgreement, tagAgreements } from './kappa';

export const CONCORDANCE_METHOD =
  'Cohen’s kappa, two raters (the two therapists). Unit of analysis: the moment — one observation of each therapist lined up by group member and by the same paragraph or a server time at most the window apart (the same words first, then shared tags), or one therapist’s observation the other has nothing for. Per tag: did each therapist apply the tag at each moment (yes/no); moments where neither did count as agreement. Overall: pooled kappa (the per-tag tables added up: one decision per moment and tag). Kappa is undefined when chance agreement is 100% (both applied the tag at every moment).';

export interface RatedObservation {
  id: string;
  authorId: string;
  tags: { id: string; name: string; color: string }[];
  /** Server time it was received (ms). */
  atMs: number;
  offset: string | null;
  member: string | null;
  /** Reading-order number of the paragraph holding its words, null when it tags nothing in the note. */
  passage: number | null;
  quote: string;
  /** The co-therapist's answer to its flag, if any. */
  answer: ConcordanceSide['answer'];
}

interface Candidate {
  a: RatedObservation;
  b: RatedObservation;
  sameWords: boolean;
  shared: number;
  samePassage: boolean;
  gap: number;
}

const side = (o: RatedObservation): ConcordanceSide => ({ observationId: o.id, tags: o.tags, offset: o.offset, quote: o.quote, answer: o.answer });

/** Lines up A's and B's observations into moments (see the module comment), oldest first. */
export function lineUp(aObs: RatedObservation[], bObs: RatedObservation[], windowMs: number): ConcordanceMoment[] {
  const candidates: Candidate[] = [];
  for (const a of aObs) {
    for (const b of bObs) {
      if (a.member !== b.member) continue;
      const samePassage = a.passage !== null && a.passage === b.passage;
      const gap = Math.abs(a.atMs - b.atMs);
      if (!samePassage && gap > windowMs) continue;
      const bTags = new Set(b.tags.map((t) => t.id));
      const sameWords = a.quote !== '' && b.quote !== '' && (a.quote.includes(b.quote) || b.quote.includes(a.quote));
      candidates.push({ a, b, sameWords, shared: a.tags.filter((t) => bTags.has(t.id)).length, samePassage, gap });
    }
  }
  candidates.sort(
    (x, y) =>
      Number(y.sameWords) - Number(x.sameWords) ||
      y.shared - x.shared ||
      Number(y.samePassage) - Number(x.samePassage) ||
      x.gap - y.gap ||
      x.a.atMs - y.a.atMs ||
      x.a.id.localeCompare(y.a.id) ||
      x.b.id.localeCompare(y.b.id),
  );
  const used = new Set<string>();
  const moments: (ConcordanceMoment & { atMs: number })[] = [];
  for (const c of candidates) {
    if (used.has(c.a.id) || used.has(c.b.id)) continue;
    used.add(c.a.id);
    used.add(c.b.id);
    const aTags = c.a.tags.map((t) => t.id);
    const bTags = c.b.tags.map((t) => t.id);
    const sharedTags = aTags.filter((t) => bTags.includes(t));
    const onlyATags = aTags.filter((t) => !bTags.includes(t));
    const onlyBTags = bTags.filter((t) => !aTags.includes(t));
    const atMs = Math.min(c.a.atMs, c.b.atMs);
    moments.push({
      kind: onlyATags.length === 0 && onlyBTags.length === 0 ? 'matched' : 'differentTags',
      member: c.a.member,
      at: new Date(atMs).toISOString(),
      atMs,
      a: side(c.a),
      b: side(c.b),
      samePassage: c.samePassage,
      sharedTags,
      onlyATags,
      onlyBTags,
    });
  }
  const alone = (o: RatedObservation, kind: 'onlyA' | 'onlyB') => {
    const tags = o.tags.map((t) => t.id);
    moments.push({
      kind,
      member: o.member,
      at: new Date(o.atMs).toISOString(),
      atMs: o.atMs,
      a: kind === 'onlyA' ? side(o) : null,
      b: kind === 'onlyB' ? side(o) : null,
      samePassage: false,
      sharedTags: [],
      onlyATags: kind === 'onlyA' ? tags : [],
      onlyBTags: kind === 'onlyB' ? tags : [],
    });
  };
  for (const o of aObs) if (!used.has(o.id)) alone(o, 'onlyA');
  for (const o of bObs) if (!used.has(o.id)) alone(o, 'onlyB');
  return moments.sort((x, y) => x.atMs - y.atMs || x.kind.localeCompare(y.kind)).map(({ atMs: _atMs, ...m }) => m);
}

export interface ConcordanceInput {
  sessionId: string;
  raters: { a: { accountId: string; name: string }; b: { accountId: string; name: string } };
  observations: RatedObservation[];
  windowSeconds: number;
}

/** The whole comparison: moments, their counts, kappa per tag and pooled. */
export function concordance(input: ConcordanceInput): ConcordanceView {
  const { raters, observations, windowSeconds } = input;
  const moments = lineUp(
    observations.filter((o) => o.authorId === raters.a.accountId),
    observations.filter((o) => o.authorId === raters.b.accountId),
    windowSeconds * 1000,
  );
  const tagInfo = new Map(observations.flatMap((o) => o.tags.map((t) => [t.id, t] as const)));
  const perTag = tagAgreements(moments, tagInfo);
  const count = (kind: ConcordanceMoment['kind']) => moments.filter((m) => m.kind === kind).length;
  return {
    sessionId: input.sessionId,
    raters,
    unavailable: null,
    windowSeconds,
    method: CONCORDANCE_METHOD,
    counts: { matched: count('matched'), differentTags: count('differentTags'), onlyA: count('onlyA'), onlyB: count('onlyB') },
    moments,
    perTag,
    overall: perTag.length === 0 ? cohensKappa({ both: 0, onlyA: 0, onlyB: 0, neither: 0 }) : pooledAgreement(perTag),
  };
}

/** A view with nothing compared, and why. */
export function unavailableConcordance(sessionId: string, windowSeconds: number, raters: ConcordanceView['raters'], why: string): ConcordanceView {
  return {
    sessionId,
    raters,
    unavailable: why,
    windowSeconds,
    method: CONCORDANCE_METHOD,
    counts: { matched: 0, differentTags: 0, onlyA: 0, onlyB: 0 },
    moments: [],
    perTag: [],
    overall: cohensKappa({ both: 0, onlyA: 0, onlyB: 0, neither: 0 }),
  };
}

/** The reading-order number of the paragraph (text block) holding each observation's first marked character. */
export function passagesOf(blocks: ReviewBlock[]): Map<string, number> {
  const found = new Map<string, number>();
  let next = 0;
  const walk = (list: ReviewBlock[]) => {
    for (const block of list) {
      // A block of struck words only (another's paragraph someone deleted) is not one of the note's.
      if (block.runs.some((r) => r.struck === null)) {
        const number = next++;
        for (const run of block.runs) for (const id of run.observationIds) if (!found.has(id)) found.set(id, number);
      }
      walk(block.children);
    }
  };
  walk(blocks);
  return found;
}

/** The review's observations as concordance input. */
export function ratedFromReview(observations: ReviewObservation[], blocks: ReviewBlock[]): RatedObservation[] {
  const passages = passagesOf(blocks);
  return observations.map((o) => ({
    id: o.id,
    authorId: o.authorId,
    tags: o.tags,
    atMs: Date.parse(o.createdAt),
    offset: o.offset,
    member: o.member,
    passage: passages.get(o.id) ?? null,
    quote: o.quote,
    answer: o.response && { answer: o.response.answer, note: o.response.note },
  }));
}
