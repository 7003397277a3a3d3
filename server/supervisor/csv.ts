import { stringify } from 'csv-stringify/sync';

/**
 * A table as CSV (RFC 4180 quoting by csv-stringify). A cell that starts with = + - @ would be run
 * as a formula by a spreadsheet (CSV injection); a leading apostrophe keeps it text.
 */
export function csvTable(header: string[], rows: (string | number)[][]): string {
  const safe = rows.map((row) => row.map((v) => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v)));
  return stringify([header, ...safe]);
}
