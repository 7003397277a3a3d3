/**
 * The record as a print-ready PDF, laid out from the same tree as the Markdown export. Authorship
 * reads in greyscale: each passage starts with its author's initials in a drawn box (a label no
 * typed text can imitate, labelChip.ts), explained in a legend, and the author's colour is only a
 * second cue. Text is set in DejaVu Sans, embedded (subset), because
 * the PDF standard fonts cover Western European letters only and would garble other names.
 */
import { createRequire } from 'node:module';
import type { PhrasingContent, RootContent } from 'mdast';
import type { ReviewView } from '../../shared/domain/review';
import { authorLabels, authorshipLegend, labelPassages, unwrittenLabel, type LegendLine } from './authorLabels';
import { listMarker } from './listMarker';
import { CHIP_SIDE, drawChips, type ChipTextOptions } from './pdfChips';
import { reviewDocument, type ExportOptions } from './reviewDocument';

const require = createRequire(import.meta.url);
const fontFile = (name: string) => require.resolve(`dejavu-fonts-ttf/ttf/${name}.ttf`);
const FONTS = {
  regular: 'DejaVuSans',
  bold: 'DejaVuSans-Bold',
  italic: 'DejaVuSans-Oblique',
  boldItalic: 'DejaVuSans-BoldOblique',
  mono: 'DejaVuSansMono',
} as const;

const MARGIN = 56;
const BODY_SIZE = 10;
const HEADING_SIZES = { 1: 18, 2: 14, 3: 12, 4: 11, 5: 10.5, 6: 10 } as const;
const INK = '#000000';
const MUTED = '#444444';
const BREAK = '\n';
/** How far a list's items sit in from its marker. */
const LIST_INDENT = 16;

/** How labels and observations look in the PDF, for the legend. */
const LOOKS: { label: string; observation: LegendLine } = {
  label: 'are drawn by Tandem in a grey box',
  observation: { label: 'o1', chip: true, meaning: 'refers to observation o1 under Observations.' },
};

interface Style {
  bold: boolean;
  italic: boolean;
  mono: boolean;
  strike: boolean;
  /** Drawn in a box: a label the export adds (labelChip.ts), never words of the note. */
  chip: boolean;
  size: number;
  color: string;
}

interface Segment {
  text: string;
  style: Style;
}

/** The record as PDF bytes; the legend stands before the first section (the note). */
export async function exportPdf(review: ReviewView, options: ExportOptions): Promise<Buffer> {
  // Loaded with the first PDF: it takes a quarter of a second, which every other reading of the
  // note-reading thread would wait for when the thread starts.
  const { default: PDFDocument } = await import('pdfkit');
  const labels = authorLabels(review.authors);
  const tree = labelPassages(reviewDocument(review, options), labels, unwrittenLabel(review.groupTimes !== null));
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: review.title, Creator: 'Tandem' },
    displayTitle: true,
  });
  for (const name of Object.values(FONTS)) doc.registerFont(name, fontFile(name));
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const colors = new Map(review.authors.map((a) => [a.accountId, a.color]));
  const page = new Page(doc, colors);
  const firstSection = tree.children.findIndex((n) => n.type === 'heading' && n.depth === 2);
  tree.children.forEach((node, i) => {
    if (i === firstSection) legend(page, review, labels);
    page.block(node, 0);
  });
  footers(doc, options.digest);
  doc.end();
  return done;
}

/** Who each label stands for, and how late entries and observations are marked. */
function legend(page: Page, review: ReviewView, labels: Map<string, string>): void {
  const base: Style = { bold: false, italic: false, mono: false, strike: false, chip: false, size: BODY_SIZE - 1, color: INK };
  page.doc.moveDown(0.5);
  page.flow([{ text: 'How to read authorship', style: { ...base, bold: true } }], 0);
  for (const line of authorshipLegend(review, labels, LOOKS)) {
    const color = line.author === undefined ? INK : (page.colors.get(line.author) ?? INK);
    const meaning = line.author === undefined ? { ...base, color: MUTED } : { ...base, color };
    const label = { text: line.label, style: { ...base, bold: true, chip: line.chip, color } };
    page.flow([label, { text: ' ', style: base }, { text: line.author === undefined ? line.meaning : oneLine(line.meaning), style: meaning }], LIST_INDENT);
  }
  page.doc.moveDown(0.5);
}

/** "Digest 1a2b3c4d5e6f… · page 2 of 5" on every page: a loose page still says which record it belongs to. */
function footers(doc: PDFKit.PDFDocument, digest: string): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would otherwise start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(FONTS.regular).fontSize(8).fillColor(MUTED);
    doc.text(`Digest ${digest.slice(0, 12)}… · page ${i - start + 1} of ${count}`, MARGIN, doc.page.height - bottom / 2, { width: doc.page.width - 2 * MARGIN, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}

/** Line breaks inside a one-line value (a name, a title) shown as ↵ instead of starting a line that could pass for the record's own. */
function oneLine(value: string): string {
  return value.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ↵ ');
}

class Page {
  constructor(
    readonly doc: PDFKit.PDFDocument,
    readonly colors: ReadonlyMap<string, string>,
  ) {
    drawChips(doc);
  }

  block(node: RootContent, indent: number): void {
    const body: Style = { bold: false, italic: false, mono: false, strike: false, chip: false, size: BODY_SIZE, color: INK };
    switch (node.type) {
      case 'heading':
        // Keep a heading with at least a few lines of what it heads.
        if (this.doc.y > this.doc.page.height - MARGIN - 4 * BODY_SIZE * 1.4) this.doc.addPage();
        this.doc.moveDown(node.depth <= 2 ? 0.8 : 0.4);
        this.flow(this.segments(node.children, { ...body, bold: true, size: HEADING_SIZES[node.depth] }), indent);
        this.doc.moveDown(0.3);
        return;
      case 'paragraph':
        this.flow(this.segments(node.children, body), indent);
        this.doc.moveDown(0.4);
        return;
      case 'list':
        node.children.forEach((item, i) => {
          const marker = node.ordered ? `${listMarker((node.start ?? 1) + i, node.data?.numbering ?? null)}.` : '•';
          this.marked([{ text: marker, style: body }], item.children, indent);
        });
        return;
      case 'footnoteDefinition':
        this.marked([{ text: node.label ?? node.identifier, style: { ...body, bold: true, chip: true } }], node.children, indent, 2 * LIST_INDENT);
        return;
      case 'blockquote':
        node.children.forEach((c) => this.block(c, indent + LIST_INDENT));
        return;
      case 'thematicBreak': {
        const y = this.doc.y + 4;
        this.doc.moveTo(MARGIN + indent, y).lineTo(this.doc.page.width - MARGIN, y).strokeColor(MUTED).lineWidth(0.5).stroke();
        this.doc.moveDown(1);
        return;
      }
      default:
        // The record's tree holds no other block types (see reviewDocument).
        return;
    }
  }

  /** Blocks after a marker (a bullet, a number, a footnote label) set on their first line. */
  private marked(marker: Segment[], children: RootContent[], indent: number, width = LIST_INDENT): void {
    if (this.doc.y > this.doc.page.height - MARGIN - 2 * BODY_SIZE * 1.4) this.doc.addPage();
    const y = this.doc.y;
    this.flow(marker, indent);
    this.doc.y = y;
    children.forEach((c) => this.block(c, indent + width));
  }

  /** Text set as one flowing paragraph, its segments in their own fonts and colours. */
  flow(segments: Segment[], indent: number): void {
    // pdfkit breaks a continued line only on a newline that starts a segment, so a break joins the next one.
    const parts: Segment[] = [];
    let breaks = '';
    for (const seg of segments) {
      if (seg.text === BREAK) breaks += BREAK;
      else if (seg.text !== '') {
        const text = seg.style.chip ? CHIP_SIDE + seg.text + CHIP_SIDE : seg.text;
        parts.push({ ...seg, text: breaks + text });
        breaks = '';
      }
    }
    const x = MARGIN + indent;
    parts.forEach((seg, i) => {
      const { style } = seg;
      const font = style.mono ? FONTS.mono : style.bold ? (style.italic ? FONTS.boldItalic : FONTS.bold) : style.italic ? FONTS.italic : FONTS.regular;
      this.doc.font(font).fontSize(style.size).fillColor(style.color);
      // Set on every piece, null for none: pdfkit gives a continued line's next piece each option it leaves undefined.
      const opts: ChipTextOptions = { continued: i < parts.length - 1, strike: style.strike, lineGap: 1.5, chip: style.chip ? style.color : null };
      if (i === 0) this.doc.text(seg.text, x, this.doc.y, { ...opts, width: this.doc.page.width - MARGIN - x });
      else this.doc.text(seg.text, opts);
    });
  }

  private segments(nodes: PhrasingContent[], style: Style): Segment[] {
    return nodes.flatMap((node): Segment[] => {
      const author = node.data?.author;
      const s = author ? { ...style, color: this.colors.get(author) ?? style.color } : style;
      switch (node.type) {
        case 'text':
          return [{ text: oneLine(node.value), style: s }];
        case 'labelChip':
          return [{ text: oneLine(node.value), style: { ...s, bold: true, chip: true } }];
        case 'strong':
          return this.segments(node.children, { ...s, bold: true });
        case 'emphasis':
          return this.segments(node.children, { ...s, italic: true });
        case 'delete':
          return this.segments(node.children, { ...s, strike: true });
        case 'inlineCode':
          return [{ text: oneLine(node.value), style: { ...s, mono: true } }];
        case 'break':
          return [{ text: BREAK, style: s }];
        case 'footnoteReference':
          return [{ text: node.label ?? node.identifier, style: { ...s, bold: true, chip: true } }];
        default:
          return [];
      }
    });
  }
}
