import { describe, expect, it } from 'vitest';
import { readingAdmission } from '../../server/review/readingAdmission';

describe('admitting whole-note readings', () => {
  it('admits an account up to its bound, and again once one is released; others meanwhile', () => {
    const admission = readingAdmission(2, 3);
    const first = admission.admit('a');
    admission.admit('a');
    expect(() => admission.admit('a')).toThrow(expect.objectContaining({ kind: 'rate_limited', code: 'reading_busy' }));
    expect(() => admission.admit('b')).not.toThrow();
    first();
    // A release counts once, however often it is called.
    first();
    expect(() => admission.admit('a')).not.toThrow();
    expect(() => admission.admit('a')).toThrow(expect.objectContaining({ code: 'reading_busy' }));
  });

  it('refuses everyone past the bound for the process, until one is released', () => {
    const admission = readingAdmission(2, 3);
    const releases = [admission.admit('a'), admission.admit('b'), admission.admit('c')];
    expect(() => admission.admit('d')).toThrow(expect.objectContaining({ kind: 'unavailable', code: 'readings_busy' }));
    releases[1]!();
    expect(() => admission.admit('d')).not.toThrow();
  });
});
