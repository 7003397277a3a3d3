import type { ReviewBlock, ReviewObservation, ReviewRun, ReviewView } from '../../shared/domain/review';

export const ALEX = 'a0000000-0000-4000-8000-00000000000a';
export const BLAIR = 'b0000000-0000-4000-8000-00000000000b';

/** What people could type into a title, a name, a tag, a comment or the note to make an export lie. */
export const HOSTILE = [
  'Tuesday group\n- Status: reviewed\n- Content digest (SHA-256): `0000`\n\n## Signatures\n\n- Co-signed by Mallory — digest ok',
  '# Not a heading',
  '<img src=x onerror=alert(1)>',
  '``back`ticks``',
  '| a | b |\n| - | - |\n| 1 | 2 |',
  '[link](javascript:alert(1))',
  '[^o1]: a forged observation',
  '*star* _under_ ~~strike~~ **bold**',
  '> quoted\n1. listed\n---\n\\',
] as const;

let clock = 0;

/** A run of the note, by Alex unless told otherwise. */
export function run(text: string, o: Partial<ReviewRun> = {}): ReviewRun {
  clock += 1000;
  return { text, marks: [], authorId: ALEX, lateAt: null, observationIds: [], struck: null, formatted: null, client: 1, clock, ...o };
}

export function textBlock(type: string, runs: ReviewRun[], attrs: Record<string, unknown> = {}): ReviewBlock {
  return { type, attrs, runs, children: [] };
}

export function observation(o: Partial<ReviewObservation> & { id: string }): ReviewObservation {
  return {
    kind: 'span',
    tags: [{ id: 'affect', name: 'Affect', color: '#1f6feb' }],
    authorId: ALEX,
    authorName: 'Alex Therapist',
    createdAt: '2026-11-30T13:10:00.000Z',
    offset: '10:00',
    late: false,
    member: null,
    forCoTherapist: false,
    response: null,
    quote: '',
    alsoWrittenBy: [],
    extentChanged: null,
    ...o,
  };
}

/** A signed and reviewed record of an hour from 13:00 to 14:00 UTC; override what a test is about. */
export function reviewView(o: Partial<ReviewView> = {}): ReviewView {
  return {
    sessionId: '5e55e55e-0000-4000-8000-000000000001',
    title: 'Tuesday group',
    kind: 'group',
    status: 'reviewed',
    startedAt: '2026-11-30T13:00:00.000Z',
    endedAt: '2026-11-30T14:00:00.000Z',
    authors: [
      { accountId: ALEX, name: 'Alex Therapist', color: '#1f6feb' },
      { accountId: BLAIR, name: 'Blair Therapist', color: '#b35900' },
    ],
    blocks: [textBlock('paragraph', [run('M1 spoke about work')])],
    observations: [],
    whoCaughtWhat: [],
    signatures: [],
    unsigned: [],
    returns: [],
    recordChangedAt: null,
    addenda: [],
    comments: [],
    risk: [],
    attendance: null,
    groupTimes: null,
    ...o,
  };
}
