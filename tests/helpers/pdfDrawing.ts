import { inflateSync } from 'node:zlib';
import { extractTextItems } from 'unpdf';

/** A rectangle drawn on a page (`x y w h re`), in PDF space: origin bottom-left, in points. */
export interface DrawnBox {
  left: number;
  bottom: number;
  right: number;
  top: number;
}

/** A letter as set on a page, and whether it stands inside a drawn box; a line's end reads as a space. */
export interface SetLetter {
  letter: string;
  boxed: boolean;
}

/**
 * Each page's rectangles, read from its content stream: pdf.js's operator list does not run on
 * Node 20 (it needs ArrayBuffer.transferToFixedLength), so the stream is inflated and read here.
 * pdfkit starts every page with the flip `1 0 0 -1 0 <height> cm`, so a rectangle's y runs down.
 */
function pageBoxes(pdf: Buffer): DrawnBox[][] {
  const raw = pdf.toString('latin1');
  const objects = new Map<number, number>();
  for (const m of raw.matchAll(/(?:^|\n)(\d+) 0 obj\b/g)) objects.set(Number(m[1]), m.index! + m[0].length);
  const stream = (id: number): string => {
    const at = objects.get(id)!;
    const dict = raw.slice(at, raw.indexOf('stream', at));
    const length = Number(/\/Length (\d+)/.exec(dict)![1]);
    const start = raw.indexOf('stream', at) + 'stream'.length + 1;
    const bytes = pdf.subarray(start, start + length);
    return (/\/FlateDecode/.test(dict) ? inflateSync(bytes) : bytes).toString('latin1');
  };
  // The pages in reading order, as the page tree lists them (pdfkit writes buffered pages' objects out of order).
  const kids = /\/Type \/Pages[\s\S]*?\/Kids \[([^\]]*)\]/.exec(raw)![1]!;
  const pages = [...kids.matchAll(/(\d+) 0 R/g)].map((m) => raw.slice(objects.get(Number(m[1]))!, raw.indexOf('endobj', objects.get(Number(m[1]))!)));
  return pages.map((page) => {
    const content = stream(Number(/\/Contents (\d+) 0 R/.exec(page)![1]));
    const height = Number(/1 0 0 -1 0 ([\d.]+) cm/.exec(content)![1]);
    return [...content.matchAll(/([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re\b/g)].map(([, x, y, w, h]) => ({
      left: Number(x),
      right: Number(x) + Number(w),
      top: height - Number(y),
      bottom: height - Number(y) - Number(h),
    }));
  });
}

/** The letters of the whole document in the order they are set, each saying whether a box is drawn around it. */
export async function setLetters(pdf: Buffer): Promise<SetLetter[]> {
  const boxes = pageBoxes(pdf);
  const { items } = await extractTextItems(new Uint8Array(pdf));
  return items.flatMap((page, i) =>
    page.flatMap((item) => {
      const letters = [...item.str];
      // Each letter's middle, taking letters as equally wide (a piece may hold a label and words after it), above the baseline.
      const y = item.y + item.fontSize * 0.35;
      const set = letters.map((letter, n) => {
        const x = item.x + (item.width * (n + 0.5)) / letters.length;
        return { letter, boxed: boxes[i]!.some((b) => b.left <= x && x <= b.right && b.bottom <= y && y <= b.top) };
      });
      return item.hasEOL ? [...set, { letter: ' ', boxed: false }] : set;
    }),
  );
}

/**
 * The pieces of unboxed text (the note's words) that a drawn box reaches into, by more than a
 * tenth of a point: a box drawn over the end of a word hides its last letter (walk, 6 Dec: the
 * full stop before an observation's "o1"). Each piece's extent is pdf.js's own (its glyphs'
 * advances), not an estimate.
 */
export async function wordsUnderBoxes(pdf: Buffer): Promise<string[]> {
  const boxes = pageBoxes(pdf);
  const { items } = await extractTextItems(new Uint8Array(pdf));
  return items.flatMap((page, i) =>
    page.flatMap((item) => {
      const y = item.y + item.fontSize * 0.35;
      const onLine = boxes[i]!.filter((b) => b.bottom <= y && y <= b.top);
      const middle = item.x + item.width / 2;
      if (item.str.trim() === '' || onLine.some((b) => b.left <= middle && middle <= b.right)) return [];
      const reached = onLine.some((b) => b.left < item.x + item.width - 0.1 && item.x + 0.1 < b.right);
      return reached ? [item.str] : [];
    }),
  );
}
