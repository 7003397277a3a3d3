/**
 * A numbered list's markers as the note numbers it (orderedList.type): 1, 2, 3; a, b, c; A, B, C;
 * i, ii, iii; I, II, III. The PDF sets them as the editor and the review show them (walk, 6 Dec:
 * a list the co-therapist numbered a, b, c printed 1., 2. beside her label saying so).
 */
import type { ListNumbering } from '../../shared/note/noteSchema';

/** Letters as a list counts them: a … z, aa, ab … (0 and below have none: their number is kept). */
function letters(n: number): string {
  let out = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = String.fromCharCode(97 + ((k - 1) % 26)) + out;
  return out;
}

const ROMAN: [number, string][] = [[1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']];

/** Roman numerals from 1 to 3999; outside them, the number itself, as browsers number such items. */
function roman(n: number): string {
  if (n < 1 || n > 3999) return String(n);
  let out = '';
  let k = n;
  for (const [value, digits] of ROMAN) for (; k >= value; k -= value) out += digits;
  return out;
}

/** The marker of item number `n` (start + index), without its full stop. */
export function listMarker(n: number, numbering: ListNumbering | null): string {
  switch (numbering) {
    case 'a':
      return n > 0 ? letters(n) : String(n);
    case 'A':
      return n > 0 ? letters(n).toUpperCase() : String(n);
    case 'i':
      return roman(n);
    case 'I':
      return roman(n).toUpperCase();
    default:
      return String(n);
  }
}
