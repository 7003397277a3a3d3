import { extractText } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { authorLabels, labelPassages, unwrittenLabel } from '../../server/review/authorLabels';
import { exportPdf } from '../../server/review/exportPdf';
import { reviewDocument } from '../../server/review/reviewDocument';
import { plain, section } from '../helpers/markdownTree';
import { wordsUnderBoxes } from '../helpers/pdfDrawing';
import { pdfFacts } from '../helpers/pdfFacts';
import { ALEX, BLAIR, HOSTILE, observation, reviewView, run, textBlock } from '../helpers/reviewFixture';

const options = { timeZone: 'Europe/Berlin', digest: 'd'.repeat(64) };
const person = (accountId: string, name: string) => ({ accountId, name, color: '#1f6feb' });

describe('authorship in print', () => {
  it('gives every author initials of their own, whatever their script', () => {
    const labels = authorLabels([
      person('1', 'Alex Tan'),
      person('2', 'Ana Torres'),
      person('3', 'Łukasz Ñúñez-Ólafsson'),
      person('4', '<img src=x>'),
      person('5', '—'),
      person('6', 'Template'),
    ]);
    expect([...labels.values()]).toEqual(['AT', 'AT2', 'ŁÑÓ', 'ISX', 'A', 'T']);
  });

  it('starts each passage of the note with its author’s label, leaving the template’s own headings bare', () => {
    const review = reviewView({
      blocks: [
        textBlock('heading', [run('Attendance', { authorId: null })], { level: 2 }),
        textBlock('paragraph', [run('M1 and M2'), run(' arrived late', { authorId: BLAIR, observationIds: ['o'] }), run(', both tired')]),
        textBlock('paragraph', [run('Risk: ', { authorId: null }), run('none noted', { authorId: BLAIR })]),
        textBlock('paragraph', [run('Plan', { marks: ['bold'] }), run(' (from the template)', { authorId: null })]),
        // One of Alex's spaces among Blair's words (both typing at one spot): no label for a space.
        textBlock('paragraph', [run('Money', { authorId: BLAIR }), run(' '), run('worries', { authorId: BLAIR })]),
      ],
      observations: [observation({ id: 'o', authorId: BLAIR, authorName: 'Blair Therapist', quote: ' arrived late' })],
    });
    const labelled = labelPassages(reviewDocument(review, options), authorLabels(review.authors));
    expect(section(labelled, 'Note').map(plain)).toEqual([
      'Attendance',
      '<kbd>AT</kbd> M1 and M2 <kbd>BT</kbd> arrived late[^o1]<kbd>AT</kbd> , both tired',
      'Risk: <kbd>BT</kbd> none noted',
      '<kbd>AT</kbd> Plan <kbd>template</kbd> (from the template)',
      '<kbd>BT</kbd> Money worries',
    ]);
    // In a member note those words came from its group note, and say so (walk, 4 Dec: "[template]").
    const memberNote = labelPassages(reviewDocument(review, options), authorLabels(review.authors), unwrittenLabel(true));
    expect(section(memberNote, 'Note').map(plain)[3]).toBe('<kbd>AT</kbd> Plan <kbd>group note</kbd> (from the template)');
    // Only the note's words carry labels: the export's own lines are nobody's passage.
    expect(section(labelled, 'Observations').map(plain)).toEqual(['Affect — <kbd>Blair Therapist, 10:00 after the start</kbd> — “ arrived late”']);
  });
});

describe('PDF export', () => {
  it('is a PDF set in embedded DejaVu fonts (no standard font that would garble a name outside Latin-1)', async () => {
    const [h] = HOSTILE;
    const review = reviewView({
      title: h,
      authors: [
        { accountId: ALEX, name: `Łukasz ${h}`, color: '#1f6feb' },
        { accountId: BLAIR, name: 'Ayşe Yılmaz', color: '#b35900' },
      ],
      blocks: [textBlock('paragraph', [run(h), run(' and ', { authorId: BLAIR, marks: ['italic'] }), run('code', { marks: ['code'] })])],
      signatures: [{ kind: 'signed', by: ALEX, name: `Łukasz ${h}`, at: '2026-11-30T14:05:00.000Z', digest: options.digest }],
    });
    const facts = pdfFacts(await exportPdf(review, options));
    expect(facts.isPdf).toBe(true);
    expect(facts.pages).toBe(1);
    expect(facts.fonts).toEqual(['DejaVuSans', 'DejaVuSans-Bold', 'DejaVuSans-Oblique', 'DejaVuSansMono']);
  });

  // Walk, 6 Dec: the box of an observation's "o2" was drawn over the full stop before it ("came up[o2]"),
  // and over half the closing quote of "today."[o3]; a label's box reached as far into a word after it.
  it('draws no label’s box over the note’s words beside it', async () => {
    const review = reviewView({
      blocks: [
        textBlock('paragraph', [run('M2 went quiet when her father came up.', { observationIds: ['a'] })]),
        textBlock('paragraph', [run('M1 sat by the door', { authorId: BLAIR, observationIds: ['b'] }), run(', arms crossed.', { authorId: BLAIR })]),
        textBlock('blockquote', [run('M3: "I don\'t want to talk today."', { authorId: BLAIR, observationIds: ['c'] })]),
      ],
      observations: ['a', 'b', 'c'].map((id) => observation({ id, authorId: BLAIR, authorName: 'Blair Therapist' })),
    });
    expect(await wordsUnderBoxes(await exportPdf(review, options))).toEqual([]);
  });

  // Walk, 6 Dec: a list the co-therapist numbered a, b, c printed 1., 2. beside her label saying so.
  it('numbers a list as the note does: a, b, c, or roman numerals from where it starts', async () => {
    const item = (text: string) => ({ type: 'listItem', attrs: {}, runs: [], children: [textBlock('paragraph', [run(text)])] });
    const list = (start: number, type: string | null, texts: string[]) => ({ type: 'orderedList', attrs: { start, type }, runs: [], children: texts.map(item) });
    const review = reviewView({ blocks: [list(1, 'a', ['Listen', 'Repeat']), list(3, 'I', ['Third', 'Fourth']), list(7, null, ['Seventh'])] });
    const { text } = await extractText(new Uint8Array(await exportPdf(review, options)), { mergePages: true });
    const markers = [...text.matchAll(/^(\S+)\s+AT\s+(\w+)$/gm)].map(([, marker, words]) => `${marker} ${words}`);
    expect(markers).toEqual(['a. Listen', 'b. Repeat', 'III. Third', 'IV. Fourth', '7. Seventh']);
  });

  it('flows a long note onto as many pages as it needs', async () => {
    const blocks = Array.from({ length: 300 }, (_, i) => textBlock('paragraph', [run(`Paragraph ${i} of a long session, long enough to take a line of its own.`)]));
    const short = pdfFacts(await exportPdf(reviewView(), options));
    const long = pdfFacts(await exportPdf(reviewView({ blocks }), options));
    expect(short.pages).toBe(1);
    expect(long.pages).toBeGreaterThan(5);
  });
});
