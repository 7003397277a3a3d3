import type { Agreement, ConcordanceMoment, TagAgreement } from '../../shared/domain/concordance';

/*
 * Cohen's kappa over the concordance's moments (see concordance.ts for what a moment is): per tag
 * on its 2×2 table of yes/no decisions, and pooled over the tags. Computed in integers (counts
 * scaled by N²), so an expected agreement of exactly 1 is found exactly and kappa is then null
 * with its reason, never NaN.
 */

/** Landis & Koch (1977): the customary words for a kappa's size. */
export function strengthOf(kappa: number): string {
  if (kappa < 0) return 'less than chance';
  if (kappa <= 0.2) return 'slight';
  if (kappa <= 0.4) return 'fair';
  if (kappa <= 0.6) return 'moderate';
  if (kappa <= 0.8) return 'substantial';
  return 'almost perfect';
}

/** Cohen's kappa on a 2×2 table of yes/no decisions (both, only A, only B, neither). */
export function cohensKappa(table: { both: number; onlyA: number; onlyB: number; neither: number }): Agreement {
  const { both, onlyA, onlyB, neither } = table;
  const n = both + onlyA + onlyB + neither;
  if (n === 0) {
    return { units: 0, ...table, observed: null, expected: null, kappa: null, strength: null, undefinedReason: 'Nothing to compare: neither therapist made an observation.' };
  }
  const aYes = both + onlyA;
  const bYes = both + onlyB;
  // Everything scaled by n²: observed·n² and expected·n² are integers, so pₑ = 1 is exact.
  const observedN2 = (both + neither) * n;
  const expectedN2 = aYes * bYes + (n - aYes) * (n - bYes);
  const n2 = n * n;
  const base = { units: n, ...table, observed: observedN2 / n2, expected: expectedN2 / n2 };
  if (expectedN2 === n2) {
    const why =
      aYes === n
        ? 'Undefined: both therapists applied it at every moment, so chance alone predicts their complete agreement (expected agreement 100%) and there is nothing beyond chance to measure.'
        : 'Undefined: neither therapist applied it at any moment.';
    return { ...base, kappa: null, strength: null, undefinedReason: why };
  }
  const kappa = (observedN2 - expectedN2) / (n2 - expectedN2);
  return { ...base, kappa, strength: strengthOf(kappa), undefinedReason: null };
}

/** Per tag used by either therapist, the 2×2 table over the moments, and kappa on it. */
export function tagAgreements(moments: ConcordanceMoment[], tagInfo: Map<string, { name: string; color: string }>): TagAgreement[] {
  const used = new Set(moments.flatMap((m) => [...m.sharedTags, ...m.onlyATags, ...m.onlyBTags]));
  return [...used]
    .map((tagId) => {
      const table = { both: 0, onlyA: 0, onlyB: 0, neither: 0 };
      for (const m of moments) {
        if (m.sharedTags.includes(tagId)) table.both++;
        else if (m.onlyATags.includes(tagId)) table.onlyA++;
        else if (m.onlyBTags.includes(tagId)) table.onlyB++;
        else table.neither++;
      }
      const info = tagInfo.get(tagId) ?? { name: tagId, color: '#666666' };
      return { tagId, name: info.name, color: info.color, ...cohensKappa(table) };
    })
    .sort((x, y) => x.name.localeCompare(y.name));
}

/** The pooled kappa: the per-tag tables added up. */
export function pooledAgreement(perTag: TagAgreement[]): Agreement {
  const sum = (k: 'both' | 'onlyA' | 'onlyB' | 'neither') => perTag.reduce((n, t) => n + t[k], 0);
  const pooled = cohensKappa({ both: sum('both'), onlyA: sum('onlyA'), onlyB: sum('onlyB'), neither: sum('neither') });
  if (pooled.kappa === null && pooled.units > 0) {
    return { ...pooled, undefinedReason: 'Undefined: both therapists applied every tag they used at every moment, so chance alone predicts their complete agreement (expected agreement 100%).' };
  }
  return pooled;
}
