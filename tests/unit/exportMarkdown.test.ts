import type { RootContent } from 'mdast';
import { describe, expect, it } from 'vitest';
import type { CommentView } from '../../shared/domain/review';
import { authorLabels } from '../../server/review/authorLabels';
import { exportMarkdown } from '../../server/review/exportMarkdown';
import { observationQuotes } from '../../server/review/observationQuotes';
import { listItems, parseMarkdown, plain, section, sections, walk } from '../helpers/markdownTree';
import { ALEX, BLAIR, HOSTILE, observation, reviewView, run, textBlock } from '../helpers/reviewFixture';

const SUPERVISOR = 'c0000000-0000-4000-8000-00000000000c';
const DIGEST = 'd'.repeat(64);
const options = { timeZone: 'Europe/Berlin', digest: DIGEST };
/** A therapist's signature at a UTC time of 30 Nov, of the content whose digest is 64 of `digest` (a letter) or `digest` itself. */
const signature = (by: string, at: string, digest: string) =>
  ({ kind: 'signed' as const, by, name: by === ALEX ? 'Alex Therapist' : 'Blair Therapist', at: `2026-11-30T${at}:00.000Z`, digest: digest.length === 1 ? digest.repeat(64) : digest });
const berlin = (wall: string) => `${wall} (Europe/Berlin, UTC+01:00)`;

const comment = (o: Partial<CommentView> & { id: string; body: string }): CommentView => ({
  authorId: SUPERVISOR,
  authorName: 'Sam Supervisor',
  parentId: null,
  anchor: { type: 'observation', observationId: 'obs-span' },
  createdAt: '2026-12-01T09:00:00.000Z',
  updatedAt: '2026-12-01T09:00:00.000Z',
  deleted: false,
  ...o,
});

describe('Markdown export', () => {
  it.each(HOSTILE.map((h) => [h]))('keeps %j as text in its own place, under only the export’s own header and sections', (h) => {
    const review = reviewView({
      title: h,
      authors: [
        { accountId: ALEX, name: `Alex ${h}`, color: '#1f6feb' },
        { accountId: BLAIR, name: `Blair ${h}`, color: '#b35900' },
      ],
      blocks: [
        textBlock('heading', [run(h)], { level: 1 }),
        textBlock('paragraph', [run(h, { observationIds: ['obs-span'] })]),
        textBlock('paragraph', [run('Affect — ', { observationIds: ['obs-line'] }), run(h, { authorId: BLAIR })]),
        { type: 'bulletList', attrs: {}, runs: [], children: [{ type: 'listItem', attrs: {}, runs: [], children: [textBlock('paragraph', [run(h)])] }] },
      ],
      observations: [
        observation({
          id: 'obs-span',
          tags: [{ id: 't', name: h, color: '#000000' }, { id: 'affect', name: 'Affect', color: '#000000' }],
          authorName: `Alex ${h}`,
          member: 'M1',
          forCoTherapist: true,
          response: { by: BLAIR, byName: `Blair ${h}`, at: '2026-11-30T13:12:00.000Z', answer: 'disputed', note: h },
          quote: h,
        }),
        observation({ id: 'obs-line', kind: 'line', authorName: `Alex ${h}`, offset: '20:00', quote: h, extentChanged: { by: BLAIR, byName: `Blair ${h}`, at: '2026-11-30T13:20:00.000Z', was: h } }),
      ],
      signatures: [
        { kind: 'signed', by: ALEX, name: `Alex ${h}`, at: '2026-11-30T14:05:00.000Z', digest: 'a'.repeat(64) },
        { kind: 'cosigned', by: SUPERVISOR, name: `Sam ${h}`, at: '2026-11-30T16:00:00.000Z', digest: 'b'.repeat(64) },
      ],
      returns: [{ by: SUPERVISOR, name: `Sam ${h}`, at: '2026-11-30T15:00:00.000Z', reason: h }],
      addenda: [{ id: 'add', by: ALEX, name: `Alex ${h}`, at: '2026-12-01T08:00:00.000Z', text: h }],
      comments: [
        comment({ id: 'c1', authorName: `Sam ${h}`, anchor: { type: 'passage', start: { client: 1, clock: 0 }, end: { client: 1, clock: 5 }, quote: h }, body: h }),
        comment({ id: 'c2', authorName: `Alex ${h}`, parentId: 'c1', createdAt: '2026-12-01T09:10:00.000Z', body: h }),
      ],
    });
    const root = parseMarkdown(exportMarkdown(review, options));

    // Only the export's own kinds of node: no html but its labels' tags, no links, images, tables, quotes or code blocks.
    const kinds = new Set(Array.from(walk(root), (n) => n.type));
    expect([...kinds].filter((k) => !['root', 'heading', 'list', 'listItem', 'paragraph', 'text', 'inlineCode', 'strong', 'emphasis', 'break', 'footnoteDefinition', 'footnoteReference', 'html'].includes(k))).toEqual([]);
    expect([...new Set(Array.from(walk(root)).flatMap((n) => (n.type === 'html' ? [n.value] : [])))]).toEqual(['<kbd>', '</kbd>']);
    const codes = Array.from(walk(root)).flatMap((n) => (n.type === 'inlineCode' ? [n.value] : []));
    expect(codes).toEqual([DIGEST, 'a'.repeat(64), 'b'.repeat(64)]);
    const references = Array.from(walk(root)).flatMap((n) => (n.type === 'footnoteReference' ? [n.identifier] : []));
    expect(references).toEqual(['o1', 'o2']);

    expect(sections(root).map((s) => [s.depth, s.heading])).toEqual([
      [1, h],
      [2, 'Note'],
      [2, 'Observations'],
      [2, 'Signatures'],
      [2, 'Addenda'],
      [2, 'Supervisor comments'],
    ]);
    const [header, legendTitle, legend, ...afterLegend] = sections(root)[0]!.body;
    expect(afterLegend).toEqual([]);
    const labels = authorLabels(review.authors);
    const [alex, blair] = [labels.get(ALEX)!, labels.get(BLAIR)!];
    expect(plain(legendTitle!)).toBe('How to read authorship');
    expect(listItems(legend).map(plain).slice(0, 2)).toEqual([`<kbd>${alex}</kbd> Alex ${h}`, `<kbd>${blair}</kbd> Blair ${h}`]);
    expect(listItems(header).map(plain)).toEqual([
      'Kind: Group',
      'Status: Reviewed',
      `Started: ${berlin('2026-11-30 14:00')}`,
      `Ended: ${berlin('2026-11-30 15:00')}`,
      `Authors: Alex ${h}, Blair ${h}`,
      'Attendance: not recorded',
      `Content digest (SHA-256): ${DIGEST}`,
    ]);

    const note = section(root, 'Note');
    expect(note.map((n) => [n.type, plain(n)])).toEqual([
      ['heading', `<kbd>${alex}</kbd> ${h}`],
      ['paragraph', `<kbd>${alex}</kbd> ${h}[^o1]`],
      ['paragraph', `<kbd>${alex}</kbd> Affect — [^o2]<kbd>${blair}</kbd> ${h}`],
      ['list', `<kbd>${alex}</kbd> ${h}`],
    ]);

    const observations = section(root, 'Observations');
    expect(observations.map((n) => (n.type === 'footnoteDefinition' ? n.identifier : n.type))).toEqual(['o1', 'o2']);
    expect(observations.map(plain)).toEqual([
      `${h}, Affect — <kbd>Alex ${h}, 10:00 after the start</kbd>, about M1, flagged for the co-therapist; <kbd>answered “I saw it” by Blair ${h} at ${berlin('2026-11-30 14:12')}</kbd>: “${h}” — “${h}”`,
      `Affect — <kbd>Alex ${h}, 20:00 after the start</kbd> — tagged line: “${h}” <kbd>what it quotes changed by Blair ${h}, ${berlin('2026-11-30 14:20')}</kbd> — as tagged: “${h}”`,
    ]);

    expect(section(root, 'Signatures').flatMap(listItems).map(plain)).toEqual([
      `<kbd>Signed by Alex ${h} at ${berlin('2026-11-30 15:05')}</kbd> — digest ${'a'.repeat(64)} — <kbd>superseded: returned for revision at ${berlin('2026-11-30 16:00')}</kbd>`,
      `<kbd>Returned for revision by Sam ${h} at ${berlin('2026-11-30 16:00')}</kbd>: ${h}`,
      `<kbd>Co-signed by Sam ${h} at ${berlin('2026-11-30 17:00')}</kbd> — digest ${'b'.repeat(64)}`,
    ]);

    const [addendumHeading, ...addendum] = section(root, 'Addenda');
    expect(addendumHeading).toMatchObject({ type: 'heading', depth: 3 });
    expect(plain(addendumHeading!)).toBe(`Addendum by Alex ${h}, ${berlin('2026-12-01 09:00')}`);
    expect(addendum.every((n) => n.type === 'paragraph')).toBe(true);
    expect(addendum.map(plain).join('\n\n')).toBe(h);

    const [thread] = listItems(section(root, 'Supervisor comments')[0]);
    expect(plain(thread!.children[0]!)).toBe(`<kbd>Sam ${h}, ${berlin('2026-12-01 10:00')}</kbd>, on “${h}”: ${h}`);
    expect(listItems(thread!.children[1]).map(plain)).toEqual([`<kbd>Alex ${h}, ${berlin('2026-12-01 10:10')}</kbd>: ${h}`]);
  });

  it('puts the note’s headings below the export’s own sections, levels kept apart down to 6', () => {
    const blocks = [1, 2, 3, 4, 5, 6].map((level) => textBlock('heading', [run(`Level ${level}`)], { level }));
    const root = parseMarkdown(exportMarkdown(reviewView({ blocks }), options));
    expect(section(root, 'Note').map((n) => (n.type === 'heading' ? [n.depth, plain(n)] : n.type))).toEqual([
      [3, '<kbd>AT</kbd> Level 1'],
      [4, '<kbd>AT</kbd> Level 2'],
      [5, '<kbd>AT</kbd> Level 3'],
      [6, '<kbd>AT</kbd> Level 4'],
      [6, '<kbd>AT</kbd> Level 5'],
      [6, '<kbd>AT</kbd> Level 6'],
    ]);
  });

  it('labels a late passage once, however many keystrokes it took, with who wrote it and when', () => {
    // Typed after the end one key at a time: the server stamps every keystroke as its own late entry.
    const typed = (word: string, author: string, minute: number) =>
      [...word].map((c, i) => run(c, { authorId: author, lateAt: `2026-11-30T15:${String(minute + i).padStart(2, '0')}:00.000Z` }));
    const blocks = [
      textBlock('paragraph', [run('During the session. '), ...typed('Later', ALEX, 0)]),
      textBlock('paragraph', [...typed('Alex', ALEX, 10), ...typed('Blair', BLAIR, 20), run(' on time'), ...typed('again', ALEX, 30)]),
    ];
    const note = section(parseMarkdown(exportMarkdown(reviewView({ blocks }), options)), 'Note');
    // The words inside each late entry's label (an html <kbd> tag, its words, </kbd>).
    const labels = (n: RootContent) => Array.from(walk(n)).flatMap((x) => ('children' in x ? x.children.filter((c, i) => c.type === 'html' && c.value === '<kbd>' && plain(x.children[i + 1]!).startsWith('late entry')) : []));
    expect(note.map(plain)).toEqual([
      `<kbd>AT</kbd> During the session. Later <kbd>late entry by Alex Therapist, 2026-11-30 16:00–16:04 (Europe/Berlin, UTC+01:00)</kbd>`,
      `<kbd>AT</kbd> Alex <kbd>late entry by Alex Therapist, 2026-11-30 16:10–16:13 (Europe/Berlin, UTC+01:00)</kbd> ` +
        `<kbd>BT</kbd> Blair <kbd>late entry by Blair Therapist, 2026-11-30 16:20–16:24 (Europe/Berlin, UTC+01:00)</kbd>` +
        ` <kbd>AT</kbd> on timeagain <kbd>late entry by Alex Therapist, 2026-11-30 16:30–16:34 (Europe/Berlin, UTC+01:00)</kbd>`,
    ]);
    expect(note.map((n) => labels(n).length)).toEqual([1, 3]);
  });

  it('labels no late entry of spaces alone', () => {
    const blocks = [textBlock('paragraph', [run('Slept badly.', { authorId: ALEX }), run(' ', { authorId: BLAIR, lateAt: '2026-11-30T15:00:00.000Z' }), run('Ate well.', { authorId: ALEX })])];
    const note = section(parseMarkdown(exportMarkdown(reviewView({ blocks }), options)), 'Note');
    expect(note.map(plain)).toEqual(['<kbd>AT</kbd> Slept badly. Ate well.']);
  });

  it('strikes another’s deleted words where they stood, with one label for one person’s deletion, spaced from the words around it', () => {
    const struck = (text: string, at: string) => run(text, { struck: { by: BLAIR, at } });
    const blocks = [
      // A word and the space after it, deleted key by key (two times), then the words after it.
      textBlock('paragraph', [run('Talked about '), struck('returning', '2026-11-30T13:20:00.000Z'), struck(' ', '2026-11-30T13:21:00.000Z'), run('to work.')]),
      textBlock('paragraph', [run('Mood '), struck('not ', '2026-11-30T13:22:00.000Z'), run('low.')]),
      textBlock('paragraph', [struck('A whole line.', '2026-11-30T13:23:00.000Z')]),
      // Part of a word: the label is spaced from the rest of it.
      textBlock('paragraph', [run('Feels '), struck('un', '2026-11-30T13:24:00.000Z'), run('safe at home.')]),
    ];
    const md = exportMarkdown(reviewView({ blocks }), options);
    // Plain letters in the file: no character written as an entity to keep a label from joining a word.
    expect(md).not.toMatch(/&#x/);
    const note = section(parseMarkdown(md), 'Note');
    expect(note.map(plain)).toEqual([
      `<kbd>AT</kbd> Talked about returning <kbd>deleted by Blair Therapist, ${berlin('2026-11-30 14:21')}</kbd> to work.`,
      `<kbd>AT</kbd> Mood not <kbd>deleted by Blair Therapist, ${berlin('2026-11-30 14:22')}</kbd> low.`,
      `<kbd>AT</kbd> A whole line. <kbd>deleted by Blair Therapist, ${berlin('2026-11-30 14:23')}</kbd>`,
      `<kbd>AT</kbd> Feels un <kbd>deleted by Blair Therapist, ${berlin('2026-11-30 14:24')}</kbd> safe at home.`,
    ]);
    expect(note.flatMap((n) => Array.from(walk(n)).filter((x) => x.type === 'delete').map(plain))).toEqual(['returning', 'not', 'A whole line.', 'un']);
  });

  it('exports a tagged line with the words written on it, and says so when there are none', () => {
    const blocks = [
      textBlock('paragraph', [run('Affect · M2 — ', { observationIds: ['with-words'] }), run('went quiet when her father came up')]),
      textBlock('paragraph', [run('Risk — ', { observationIds: ['no-words'] })]),
      textBlock('paragraph', [run('She '), run('laughed', { observationIds: ['span'] }), run(' at it')]),
      // Blair wrote inside Alex's tagged words, and after Alex's tagged line's label.
      textBlock('paragraph', [run('went ', { observationIds: ['mixed'] }), run('very ', { observationIds: ['mixed'], authorId: BLAIR }), run('quiet', { observationIds: ['mixed'] })]),
      textBlock('paragraph', [run('Nonverbal — ', { observationIds: ['line-by-other'] }), run('arms crossed', { authorId: BLAIR })]),
    ];
    const quotes = observationQuotes(blocks, new Set(['with-words', 'no-words', 'line-by-other']));
    expect(Object.fromEntries([...quotes].map(([id, q]) => [id, [q.quote, [...q.writers].sort()]]))).toEqual({
      'with-words': ['went quiet when her father came up', [ALEX]],
      'no-words': ['', []],
      span: ['laughed', [ALEX]],
      mixed: ['went very quiet', [ALEX, BLAIR]],
      'line-by-other': ['arms crossed', [BLAIR]],
    });
    const blair = [{ id: BLAIR, name: 'Blair Therapist' }];
    const observations = [
      observation({ id: 'with-words', kind: 'line', member: 'M2', quote: quotes.get('with-words')!.quote }),
      observation({ id: 'no-words', kind: 'line', tags: [{ id: 'risk', name: 'Risk', color: '#000000' }], quote: quotes.get('no-words')!.quote }),
      observation({ id: 'span', quote: quotes.get('span')!.quote }),
      observation({ id: 'gone', quote: '' }),
      observation({ id: 'mixed', quote: quotes.get('mixed')!.quote, alsoWrittenBy: blair }),
      observation({ id: 'line-by-other', kind: 'line', quote: quotes.get('line-by-other')!.quote, alsoWrittenBy: blair }),
      // Blair joined Alex's next line into his tagged line (attack, 6 Dec).
      observation({ id: 'joined', kind: 'line', quote: 'tearful.No risk indicators today.', extentChanged: { by: BLAIR, byName: 'Blair Therapist', at: '2026-11-30T13:20:00.000Z', was: 'tearful.' } }),
    ];
    const root = parseMarkdown(exportMarkdown(reviewView({ blocks, observations }), options));
    expect(section(root, 'Observations').map(plain)).toEqual([
      'Affect — <kbd>Alex Therapist, 10:00 after the start</kbd>, about M2 — tagged line: “went quiet when her father came up”',
      'Risk — <kbd>Alex Therapist, 10:00 after the start</kbd> — tagged line with nothing written after its label',
      'Affect — <kbd>Alex Therapist, 10:00 after the start</kbd> — “laughed”',
      'Affect — <kbd>Alex Therapist, 10:00 after the start</kbd> — the tagged words are no longer in the note',
      'Affect — <kbd>Alex Therapist, 10:00 after the start</kbd> — “went very quiet” <kbd>with words by Blair Therapist</kbd>',
      'Affect — <kbd>Alex Therapist, 10:00 after the start</kbd> — tagged line: “arms crossed” <kbd>with words by Blair Therapist</kbd>',
      `Affect — <kbd>Alex Therapist, 10:00 after the start</kbd> — tagged line: “tearful.No risk indicators today.” <kbd>what it quotes changed by Blair Therapist, ${berlin('2026-11-30 14:20')}</kbd> — as tagged: “tearful.”`,
    ]);
  });

  it('keeps bold, italic, strike and code on the words that carry them, with the words intact', () => {
    const runs = [
      run('Plain '),
      run(' bold with spaces ', { marks: ['bold'] }),
      run('italic by Alex', { marks: ['italic'] }),
      run('italic by Blair', { marks: ['italic'], authorId: BLAIR }),
      run('gone', { marks: ['strike'] }),
      run('a `tick`', { marks: ['code'] }),
      run('*'),
    ];
    const [paragraph] = section(parseMarkdown(exportMarkdown(reviewView({ blocks: [textBlock('paragraph', runs)] }), options)), 'Note');
    // Each passage starts with its author's initials, as in the PDF (authorLabels.ts).
    expect(plain(paragraph!)).toBe(`<kbd>AT</kbd> ${runs.slice(0, 3).map((r) => r.text).join('')}<kbd>BT</kbd> ${runs[3]!.text}<kbd>AT</kbd> ${runs.slice(4).map((r) => r.text).join('')}`);
    const marked = Array.from(walk(paragraph!)).flatMap((n) => (n.type === 'strong' || n.type === 'emphasis' || n.type === 'delete' || n.type === 'inlineCode' ? [[n.type, plain(n)]] : []));
    expect(marked).toEqual([
      ['strong', 'bold with spaces'],
      ['emphasis', 'italic by Alex'],
      ['emphasis', 'italic by Blair'],
      ['delete', 'gone'],
      ['inlineCode', 'a `tick`'],
    ]);
  });

  it('writes a group’s attendance in the header, every member in the group’s order, and none for an individual session', () => {
    const header = (review: Parameters<typeof exportMarkdown>[0]) => listItems(sections(parseMarkdown(exportMarkdown(review, options)))[0]!.body[0]).map(plain);
    const attendance = [
      { member: 'M1', attendance: 'present' as const },
      { member: 'M2', attendance: 'late' as const },
      { member: 'M3', attendance: 'absent' as const },
    ];
    expect(header(reviewView({ attendance }))).toContain('Attendance: M1 present, M2 late, M3 absent');
    expect(header(reviewView({ attendance: null }))).toContain('Attendance: not recorded');
    expect(header(reviewView({ kind: 'individual', attendance: null })).filter((l) => l.startsWith('Attendance'))).toEqual([]);
  });

  it('marks each signature a later return for revision voided, and only those', () => {
    const review = reviewView({
      signatures: [
        signature(ALEX, '14:05', 'a'),
        signature(BLAIR, '14:06', 'a'),
        signature(ALEX, '16:05', 'c'),
        signature(BLAIR, '16:06', 'c'),
      ],
      returns: [
        { by: SUPERVISOR, name: 'Sam Supervisor', at: '2026-11-30T15:00:00.000Z', reason: 'Add the plan.' },
        { by: SUPERVISOR, name: 'Sam Supervisor', at: '2026-11-30T15:30:00.000Z', reason: 'And the risk.' },
      ],
    });
    const lines = section(parseMarkdown(exportMarkdown(review, options)), 'Signatures').flatMap(listItems).map(plain);
    expect(lines.map((l) => l.includes('superseded'))).toEqual([true, true, false, false, false, false]);
    // The first return after a signature is the one that voided it.
    expect(lines[0]!.endsWith(`<kbd>superseded: returned for revision at ${berlin('2026-11-30 16:00')}</kbd>`)).toBe(true);
  });

  // A walk (4 Dec): signatures made again before a return read "returned for revision" too.
  it('names what superseded a signature first: signing again, or a return', () => {
    const review = reviewView({
      signatures: [
        signature(ALEX, '14:05', 'a'),
        signature(ALEX, '14:09', 'c'),
        signature(ALEX, '16:05', 'e'),
      ],
      returns: [{ by: SUPERVISOR, name: 'Sam Supervisor', at: '2026-11-30T15:00:00.000Z', reason: 'Add the plan.' }],
    });
    const lines = section(parseMarkdown(exportMarkdown(review, options)), 'Signatures').flatMap(listItems).map(plain).filter((l) => l.startsWith('<kbd>Signed'));
    expect(lines.map((l) => l.replace(/^.* — <kbd>superseded: /, '').replace(/ at .*$/, ''))).toEqual(['an earlier version, signed again', 'returned for revision', expect.stringMatching(/^<kbd>Signed/)]);
  });

  // A clinician walk, 1 Dec: A signed, B changed the note and signed, A signed again; A's first
  // signature was listed like the valid ones.
  it('marks a signature its signer made again later as an earlier version', () => {
    const review = reviewView({
      signatures: [
        signature(ALEX, '14:05', 'a'),
        signature(BLAIR, '14:08', 'c'),
        signature(ALEX, '14:09', 'c'),
      ],
    });
    const lines = section(parseMarkdown(exportMarkdown(review, options)), 'Signatures').flatMap(listItems).map(plain);
    expect(lines.map((l) => l.includes('superseded'))).toEqual([true, false, false]);
    expect(lines[0]!.endsWith(`<kbd>superseded: an earlier version, signed again at ${berlin('2026-11-30 15:09')}</kbd>`)).toBe(true);
  });

  // Attack, 4 Dec: words stored after the lock; the export printed one digest above signatures of another.
  it('says under the digest when a locked note is not the content its signatures are of', () => {
    const signed = (digest: string) => reviewView({
      status: 'signed',
      signatures: [
        signature(ALEX, '14:05', digest),
        signature(BLAIR, '14:06', digest),
      ],
    });
    const header = (digest: string) => listItems(sections(parseMarkdown(exportMarkdown(signed(digest), options)))[0]!.body[0]!).map(plain);
    expect(header('a'.repeat(64)).at(-1)).toBe(`The note changed after it was signed: the signatures are of the content with digest ${'a'.repeat(64)}.`);
    expect(header(DIGEST).at(-1)).toBe(`Content digest (SHA-256): ${DIGEST}`);
    // Not locked: signatures of an earlier version are the sign panel's business, not a change after the lock.
    expect(listItems(sections(parseMarkdown(exportMarkdown({ ...signed('a'.repeat(64)), status: 'ended' }, options)))[0]!.body[0]!).map(plain).at(-1)).toBe(`Content digest (SHA-256): ${DIGEST}`);
  });

  // A walk (4 Dec): the whole record was said to be "recorded by" whoever saved it last.
  it('names who wrote each part of a risk record, and who saved it last', () => {
    const review = reviewView({
      risk: [{ member: 'M2', assessment: 'Passive SI, no plan.', plan: 'Call on Friday.', by: ALEX, name: 'Alex Therapist', at: '2026-11-30T14:05:00.000Z', authors: { assessment: 'Blair Therapist', plan: 'Alex Therapist' } }],
    });
    const risk = section(parseMarkdown(exportMarkdown(review, options)), 'Risk assessments and plans');
    expect(risk.map(plain).join('')).toBe(`M2 — <kbd>last saved by Alex Therapist, ${berlin('2026-11-30 15:05')}</kbd><kbd>Assessment (Blair Therapist)</kbd>: Passive SI, no plan.<kbd>Plan (Alex Therapist)</kbd>: Call on Friday.`);
  });

  it('writes times as local wall time with the configured zone and its offset', () => {
    const review = reviewView({ signatures: [{ kind: 'signed', by: ALEX, name: 'Alex Therapist', at: '2026-07-01T08:30:00.000Z', digest: null }] });
    const at = (timeZone: string) => plain(section(parseMarkdown(exportMarkdown(review, { ...options, timeZone })), 'Signatures')[0]!);
    expect(at('Europe/Berlin')).toBe('<kbd>Signed by Alex Therapist at 2026-07-01 10:30 (Europe/Berlin, UTC+02:00)</kbd> — digest not recorded');
    expect(at('America/New_York')).toBe('<kbd>Signed by Alex Therapist at 2026-07-01 04:30 (America/New_York, UTC-04:00)</kbd> — digest not recorded');
    expect(at('UTC')).toBe('<kbd>Signed by Alex Therapist at 2026-07-01 08:30 (UTC)</kbd> — digest not recorded');
  });
});
