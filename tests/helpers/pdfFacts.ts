/**
 * What can be read from a PDF's bytes without a PDF parser: its page dictionaries and font
 * names sit outside the compressed streams. (The text itself is set in an embedded subset font,
 * as glyph ids, so it cannot be searched for as letters.)
 */
export function pdfFacts(pdf: Buffer): { isPdf: boolean; pages: number; fonts: string[] } {
  const raw = pdf.toString('latin1');
  return {
    isPdf: raw.startsWith('%PDF-') && raw.trimEnd().endsWith('%%EOF'),
    pages: raw.match(/\/Type \/Page\b(?!s)/g)?.length ?? 0,
    fonts: [...new Set(Array.from(raw.matchAll(/\/BaseFont \/(?:[A-Z]{6}\+)?([\w-]+)/g), (m) => m[1]!))].sort(),
  };
}
