import { describe, expect, it } from 'vitest';
import { lineWords, type LinePiece } from '../../shared/note/lineWords';

const run = (text: string, ...observationIds: string[]): LinePiece => ({ kind: 'run', text, observationIds });
const lines = new Set(['l1', 'l2']);
const isLine = (id: string) => lines.has(id);

describe('the words of a tagged line', () => {
  it('are what follows the marker to the end of the line, not what comes before it', () => {
    const pieces = [run('M2 arrived late. '), run('Follow-up — ', 'l1'), run('She asked about '), run('next week', 's1'), run('.'), { kind: 'break' } as const, run('Not this.')];
    expect(lineWords(pieces, 'l1', isLine)).toBe('She asked about next week.');
  });

  it('stop at the next tagged line on the same line, and are empty when nothing was written', () => {
    const pieces = [run('Affect — ', 'l1'), run('tearful '), run('Risk — ', 'l2'), run('said she is safe')];
    expect(lineWords(pieces, 'l1', isLine)).toBe('tearful');
    expect(lineWords(pieces, 'l2', isLine)).toBe('said she is safe');
    expect(lineWords([run('Affect — ', 'l1')], 'l1', isLine)).toBe('');
    expect(lineWords([run('no marker')], 'l1', isLine)).toBeNull();
  });
});
