/**
 * Labels in the PDF are drawn in a box (labelChip.ts): a light grey ground that prints in
 * greyscale, and a thin border in the label's colour. No mark of the note draws a box, so typed
 * words cannot pass for a label on any printer (attack, 6 Dec).
 */
const CHIP_FILL = '#e6e6e6';
const CHIP_BORDER = 0.6;
const CHIP_PAD = 1.5;
/**
 * A narrow no-break space set on each side of a label's words, inside its box: the box is as wide
 * as what is set, so it never reaches over a neighbour (walk, 6 Dec: a box 1.5 pt wider than its
 * words hid the full stop before an observation's "o2", which follows the words with no space),
 * and the label is not broken from the word it follows.
 */
export const CHIP_SIDE = '\u202f';

/** Text options with the colour of the box to draw behind the text (a label), or null for none. */
export type ChipTextOptions = PDFKit.Mixins.TextOptions & { chip?: string | null };

/**
 * Draws a box behind each piece of text set with the `chip` option. pdfkit sets every piece of a
 * line through `_fragment(text, x, y, options)`, the only place that knows where the piece lands,
 * also when a label is broken across lines; it has no public hook for it, so the document's own
 * method is wrapped (the hostile test labelForgery.test.ts fails if pdfkit stops calling it).
 */
export function drawChips(doc: PDFKit.PDFDocument): void {
  type Fragment = (text: string, x: number, y: number, options: ChipTextOptions) => void;
  const internals = doc as unknown as { _fragment: Fragment };
  const fragment = internals._fragment.bind(doc);
  internals._fragment = (text, x, y, options) => {
    if (options.chip && text.trim() !== '') {
      // A label broken across lines ends its first piece with the space it broke at: not boxed.
      const set = text.replace(/ +$/, '');
      // Where a piece of a broken label meets the line's edge instead of its side, nothing is beside it to cover.
      const lead = text.startsWith(CHIP_SIDE) ? 0 : CHIP_PAD;
      const trail = set.endsWith(CHIP_SIDE) ? 0 : CHIP_PAD;
      doc.save();
      doc.rect(x - lead, y - CHIP_PAD / 2, doc.widthOfString(set, options) + lead + trail, doc.currentLineHeight() + CHIP_PAD).lineWidth(CHIP_BORDER).fillAndStroke(CHIP_FILL, options.chip);
      doc.restore();
      // The box's fill colour is set on the document as well: the text goes back to its own.
      doc.fillColor(options.chip);
    }
    fragment(text, x, y, options);
  };
}
