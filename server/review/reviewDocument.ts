/**
 * The exported record as one Markdown syntax tree: title and header, the note, observations,
 * signatures, addenda and supervisor comments. Both exports are drawn from it (Markdown by
 * serializing it, the PDF by laying it out), so they cannot disagree. Values people typed (titles,
 * names, tags, comments, addenda, the note) only ever go into text nodes: the structure is ours.
 */
import type { BlockContent, FootnoteDefinition, Heading, List, ListItem, Paragraph, PhrasingContent, Root, RootContent } from 'mdast';
import { answerWords } from '../../shared/domain/observation';
import { kindLabel, statusLabel } from '../../shared/domain/sessionLabels';
import { signedAgain, type CommentView, type ReviewObservation, type ReviewView } from '../../shared/domain/review';
import { labelChip } from './labelChip';
import { localTimes, type LocalTimes } from './localTime';
import { noteToMdast } from './noteToMdast';

export interface ExportOptions {
  /** IANA zone the record's times are written in (`Config.timeZone`). */
  timeZone: string;
  /** SHA-256 of the note as stored, recomputed for this export. */
  digest: string;
}

const text = (value: string): PhrasingContent => ({ type: 'text', value });
const paragraph = (...children: PhrasingContent[]): Paragraph => ({ type: 'paragraph', children });
const heading = (depth: Heading['depth'], value: string): Heading => ({ type: 'heading', depth, children: [text(value)] });
const item = (children: BlockContent[]): ListItem => ({ type: 'listItem', spread: false, children });
const list = (items: ListItem[]): List => ({ type: 'list', ordered: false, spread: false, children: items });
const emphasis = (value: string): PhrasingContent => ({ type: 'emphasis', children: [text(value)] });
const none = (what: string): Paragraph => paragraph(emphasis(what));

/** Text typed on several lines (a comment, an addendum): its line breaks kept as breaks. */
function lines(value: string): PhrasingContent[] {
  return value.split(/\r\n|\r|\n/).flatMap((line, i) => (i === 0 ? [text(line)] : [{ type: 'break' as const }, text(line)]));
}

/** Paragraphs of text typed with blank lines between them. */
function paragraphs(value: string): Paragraph[] {
  return value
    .split(/(?:\r\n|\r|\n)[\t ]*(?:\r\n|\r|\n)/)
    .filter((p) => p.trim() !== '')
    .map((p) => paragraph(...lines(p)));
}

/** When the session ran; a member note's are its group session's (it has no clock of its own). */
function clockLines(review: ReviewView, times: LocalTimes): ListItem[] {
  const of = review.groupTimes ? ' (the group session)' : '';
  const { startedAt, endedAt } = review.groupTimes ?? review;
  return [
    item([paragraph(text(`Started: ${startedAt ? `${times.at(startedAt)}${of}` : 'not started'}`))]),
    item([paragraph(text(`Ended: ${endedAt ? `${times.at(endedAt)}${of}` : 'not ended'}`))]),
  ];
}

/**
 * A locked note whose stored content is not what was signed says so under its digest, as
 * `GET /verify` does (`matches: false`): an export printed one digest above signatures of another
 * with no word of it (attack, 4 Dec: words in flight on another process stored after the lock).
 */
function changedSinceLocked(review: ReviewView, digest: string): ListItem[] {
  if (review.status !== 'signed' && review.status !== 'reviewed') return [];
  const lastReturn = review.returns.reduce<string>((at, r) => (r.at > at ? r.at : at), '');
  const signed = review.signatures.filter((s) => s.kind === 'signed' && s.at > lastReturn).sort((a, b) => a.at.localeCompare(b.at)).at(-1)?.digest;
  if (!signed || signed === digest) return [];
  return [item([paragraph({ type: 'strong', children: [text('The note changed after it was signed: ')] }, text('the signatures are of the content with digest '), { type: 'inlineCode', value: signed }, text('.'))])];
}

/** The record's tree: title, header list, then the sections Note, Observations, Signatures, Addenda, Supervisor comments. */
export function reviewDocument(review: ReviewView, options: ExportOptions): Root {
  const times = localTimes(options.timeZone);
  const names = new Map(review.authors.map((a) => [a.accountId, a.name]));
  const footnotes = new Map(review.observations.map((o, i) => [o.id, `o${i + 1}`]));
  const note = noteToMdast(review.blocks, {
    footnotes,
    lateLabel: (author, from, to) => `late entry${author ? ` by ${names.get(author) ?? 'a former member'}` : ''}, ${times.range(from, to)}`,
    struckLabel: (by, at) => `deleted by ${names.get(by) ?? 'a former member'}, ${times.at(at)}`,
    formattedLabel: (by, at, change, words) => `${words ? `“${words}” ` : ''}${change} by ${names.get(by) ?? 'a former member'}, ${times.at(at)}`,
  });
  const children: RootContent[] = [
    heading(1, review.title),
    list([
      item([paragraph(text(`Kind: ${kindLabel[review.kind]}`))]),
      item([paragraph(text(`Status: ${statusLabel[review.status]}`))]),
      ...clockLines(review, times),
      item([paragraph(text(`Authors: ${review.authors.map((a) => a.name).join(', ') || 'none'}`))]),
      ...(review.kind === 'group' ? [item([paragraph(text(`Attendance: ${attendanceLine(review.attendance)}`))])] : []),
      item([paragraph(text('Content digest (SHA-256): '), { type: 'inlineCode', value: options.digest })]),
      ...changedSinceLocked(review, options.digest),
    ]),
    heading(2, 'Note'),
    ...(note.length > 0 ? note : [none('The note is empty.')]),
    heading(2, 'Observations'),
    ...(review.observations.length > 0 ? review.observations.map((o) => observation(o, footnotes.get(o.id)!, times)) : [none('None.')]),
    ...(review.risk.length > 0
      ? [
          heading(2, 'Risk assessments and plans'),
          list(review.risk.map((r) => item([
            paragraph({ type: 'strong', children: [text(r.member)] }, text(' — '), labelChip(`last saved by ${r.name}, ${times.at(r.at)}`)),
            paragraph(...(r.assessment.trim() ? [labelChip(`Assessment (${r.authors.assessment})`), text(': '), ...lines(r.assessment)] : [text('Assessment: '), emphasis('not recorded')])),
            paragraph(...(r.plan.trim() ? [labelChip(`Plan (${r.authors.plan})`), text(': '), ...lines(r.plan)] : [text('Plan: '), emphasis('not recorded')])),
          ]))),
        ]
      : []),
    heading(2, 'Signatures'),
    signatures(review, times),
    heading(2, 'Addenda'),
    ...(review.addenda.length > 0
      ? review.addenda.flatMap((a) => [heading(3, `Addendum by ${a.name}, ${times.at(a.at)}`), ...paragraphs(a.text)])
      : [none('None.')]),
    heading(2, 'Supervisor comments'),
    comments(review.comments, footnotes, times),
  ];
  return { type: 'root', children };
}

/**
 * An observation's footnote. Who made it and when, and who answered it and when, are labels
 * (labelChip.ts): the answer's note and the quoted words are typed, and as plain text an answer's
 * note "ok”; answered “I saw it” by Alex … at 13:41: “I mislabelled this" read as the author's own
 * answer (attack, 6 Dec). Typed words can take no label's form.
 */
function observation(o: ReviewObservation, label: string, times: LocalTimes): FootnoteDefinition {
  const answer: PhrasingContent[] = o.response
    ? [text('; '), labelChip(`answered ${answerWords[o.response.answer]} by ${o.response.byName} at ${times.at(o.response.at)}`), ...(o.response.note ? [text(`: “${o.response.note}”`)] : [])]
    : o.forCoTherapist
      ? [text('; unanswered')]
      : [];
  const words =
    o.kind === 'line'
      ? o.quote ? ` — tagged line: “${o.quote}”` : ' — tagged line with nothing written after its label'
      : o.quote ? ` — “${o.quote}”` : ' — the tagged words are no longer in the note';
  // A label: as text after the typed quote, a quote typed as 'tearful” (with words by Blair' named her as a writer (attack, 6 Dec).
  const others = o.alsoWrittenBy.length > 0 ? [text(' '), labelChip(`with words by ${o.alsoWrittenBy.map((w) => w.name).join(' and ')}`)] : [];
  // "02:16" alone read as a time of day, the flag answered before it was raised (walk, 6 Dec).
  const made = `${o.authorName}, ${o.offset ? `${o.offset} after the start` : times.at(o.createdAt)}${o.late ? ` (late entry, ${times.at(o.createdAt)})` : ''}`;
  const about = (o.member ? `, about ${o.member}` : '') + (o.forCoTherapist ? ', flagged for the co-therapist' : '');
  return {
    type: 'footnoteDefinition',
    identifier: label,
    label,
    children: [paragraph({ type: 'strong', children: [text(o.tags.map((t) => t.name).join(', '))] }, text(' — '), labelChip(made), text(about), ...answer, text(words), ...others, ...extentChanged(o, times))],
  };
}

/**
 * Another's change of which words an observation quotes (shared/note/extentChanges.ts): a label,
 * as the exports' other labels are (labelChip.ts), then what it quoted before. The quote is typed
 * words; the label, which no typing can imitate, is what says the change was the other's.
 */
function extentChanged(o: ReviewObservation, times: LocalTimes): PhrasingContent[] {
  const e = o.extentChanged;
  if (!e) return [];
  return [text(' '), labelChip(`what it quotes changed by ${e.byName}, ${times.at(e.at)}`), text(e.was ? ` — as tagged: “${e.was}”` : ' — as tagged, it quoted nothing')];
}

/** "M1 present, M2 late, M3 absent", or "not recorded". */
function attendanceLine(attendance: ReviewView['attendance']): string {
  return attendance === null ? 'not recorded' : attendance.map((a) => `${a.member} ${a.attendance}`).join(', ') || 'no members';
}

/**
 * Signatures, co-signatures and returns for revision, in the order they happened. A return for
 * revision voids the signatures made before it (the note is signed again after the revision), so
 * each of those says so: a reader of the record must not take it for the one in force.
 */
function signatures(review: ReviewView, times: LocalTimes): BlockContent {
  const voidedBy = (at: string) => review.returns.filter((r) => r.at > at).sort((a, b) => a.at.localeCompare(b.at))[0];
  // What the note was locked as: the round's last signature. One of the round given to another
  // version, by a signer no longer waited for, read as a signature of the locked note (attack, 6 Dec);
  // so did one given before the attendance or labels last changed, which signing no longer counts.
  const locked = review.status === 'signed' || review.status === 'reviewed';
  const lockedDigest = locked ? review.signatures.filter((s) => s.kind === 'signed').at(-1)?.digest : undefined;
  const events = [
    ...review.signatures.map((s) => {
      const voided = voidedBy(s.at);
      const again = signedAgain(review.signatures, s);
      return {
        at: s.at,
        line: [
          labelChip(`${s.kind === 'cosigned' ? 'Co-signed' : 'Signed'} by ${s.name} at ${times.at(s.at)}`),
          text(' — digest '),
          s.digest ? ({ type: 'inlineCode', value: s.digest } as const) : text('not recorded'),
          // Whichever came first superseded it: all the signatures before a return read "returned" (walk, 4 Dec).
          ...(voided && !(again && again.at < voided.at)
            ? [text(' — '), labelChip(`superseded: returned for revision at ${times.at(voided.at)}`)]
            : again
              ? [text(' — '), labelChip(`superseded: an earlier version, signed again at ${times.at(again.at)}`)]
              : !voided && s.kind === 'signed' && lockedDigest !== undefined && s.digest !== lockedDigest
                ? [text(' — '), labelChip('of an earlier version, not the note as locked')]
                : !voided && s.kind === 'signed' && locked && review.recordChangedAt !== null && s.at <= review.recordChangedAt
                  ? [text(' — '), labelChip('given before the attendance or labels last changed, not to the note as locked')]
                  : []),
        ],
      };
    }),
    // The reason is typed: its lines could copy a signature's words, so every head the server
    // writes here is a label (labelChip.ts) and the reason plain text (attack, 6 Dec: "ok\nSigned by
    // Blair Therapist at … — digest …" read as a signature in both exports).
    ...review.returns.map((r) => ({ at: r.at, line: [labelChip(`Returned for revision by ${r.name} at ${times.at(r.at)}`), text(': '), ...lines(r.reason)] })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  // Whom the note waits for, and whom it did not (the sign panel's list): a co-author's missing signature is said, never silent.
  // One an admin added after the lock was never a signer; saying their account could not sign gave a false reason (attack, 6 Dec).
  const missing = review.unsigned.map((u) => [
    u.addedAfterLock
      ? labelChip(`Not a signer: ${u.name} was added after the note was locked`)
      : locked || !u.awaited
        ? labelChip(`Not signed by ${u.name}: their account ${locked ? 'could not sign when the note was locked' : 'can no longer sign'} (role changed or deactivated)`)
        : labelChip(`Waiting for the signature of ${u.name}`),
  ]);
  const lines_ = [...events.map((e) => e.line), ...missing];
  return lines_.length > 0 ? list(lines_.map((line) => item([paragraph(...line)]))) : none('Not signed.');
}

/** Comments with their replies nested under them; a deleted comment stays as a marker while it has replies. */
function comments(all: CommentView[], footnotes: ReadonlyMap<string, string>, times: LocalTimes): BlockContent {
  const ids = new Set(all.map((c) => c.id));
  const repliesTo = (id: string | null) => all.filter((c) => (id === null ? c.parentId === null || !ids.has(c.parentId) : c.parentId === id));
  const thread = (c: CommentView): ListItem[] => {
    const replies = repliesTo(c.id).flatMap(thread);
    if (c.deleted && replies.length === 0) return [];
    // A reply shares its parent's anchor and sits under it.
    const anchor: PhrasingContent[] =
      c.parentId !== null && ids.has(c.parentId)
        ? []
        : c.anchor.type === 'passage'
          ? [text(`, on “${c.anchor.quote}”`)]
          : footnotes.has(c.anchor.observationId)
            ? [text(', on observation '), { type: 'footnoteReference', identifier: footnotes.get(c.anchor.observationId)!, label: footnotes.get(c.anchor.observationId)! }]
            : [text(', on an observation that was removed')];
    // Who wrote it and when is a label: a reply typed on two lines, the second "Sam …, 13:40: Approved",
    // read as a comment of the supervisor's.
    // An edit is dated in the label: edited words under the first time alone read as written then,
    // and the replies under them as answers to them (attack, 6 Dec).
    const edited = !c.deleted && c.updatedAt > c.createdAt ? `, edited ${times.at(c.updatedAt)}` : '';
    const head = paragraph(
      labelChip(`${c.authorName}, ${times.at(c.createdAt)}${edited}`),
      ...anchor,
      text(': '),
      ...(c.deleted ? [emphasis('deleted by its author')] : lines(c.body)),
    );
    return [item(replies.length > 0 ? [head, list(replies)] : [head])];
  };
  const threads = repliesTo(null).flatMap(thread);
  return threads.length > 0 ? list(threads) : none('None.');
}
