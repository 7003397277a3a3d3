/**
 * Labels in the PDF are drawn in a box (labelChip.ts): a light grey ground that prints in
 * greyscale, and a thin border in the label's colour. No mark of the note draws a box, so typed
 * words cannot pass for a label on any printer (attack, 6 Dec).
 */
const CHIP_FILL = '#e6e6e6';
const CHIP_BORDER = 0.6;
const CHIP_PAD = 1.5;

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
      const width = doc.widthOfString(text.trimEnd(), options);
      doc.save();
      doc.rect(x - CHIP_PAD, y - CHIP_PAD / 2, width + 2 * CHIP_PAD, doc.currentLineHeight() + CHIP_PAD).lineWidth(CHIP_BORDER).fillAndStroke(CHIP_FILL, options.chip);
      doc.restore();
      // The box's fill colour is set on the document as well: the text goes back to its own.
      doc.fillColor(options.chip);
    }
    fragment(text, x, y, options);
  };
}
