/**
 * The note rendered read-only from the review's blocks (not an editor): each author's words in
 * their colour, observations underlined in their tag's colour, late entries labelled with their
 * time, and passages that carry a comment highlighted and numbered.
 */
import { createElement, forwardRef, Fragment, type ReactNode } from 'react';
import { formattedLabels, lateEntryLabels, struckLabels, type ReviewBlock, type ReviewRun } from '../../../shared/domain/review';
import { numberingOf } from '../../../shared/note/noteSchema';
import { MENTION_NODE } from '../../../shared/ydoc/sessionDoc';
import { formatTime } from './reviewFormat';
import { indexNote, type Passage } from './noteIndex';
import { NoteRun, type NoteLook } from './NoteRun';

interface ReviewNoteProps {
  blocks: ReviewBlock[];
  passages: Passage[];
  look: NoteLook;
}

export const ReviewNote = forwardRef<HTMLDivElement, ReviewNoteProps>(function ReviewNote({ blocks, passages, look }, ref) {
  const index = indexNote(blocks);
  const runs = (list: ReviewRun[]) => renderRuns(list, index.startOf, passages, look);
  const empty = index.runs.length === 0;
  return (
    <div className="rn" ref={ref} data-testid="review-note">
      {empty ? <p className="muted">The note is empty.</p> : blocks.map((b, i) => <NoteBlock key={i} block={b} runs={runs} />)}
    </div>
  );
});

function renderRuns(list: ReviewRun[], startOf: Map<ReviewRun, number>, passages: Passage[], look: NoteLook): ReactNode {
  // Another's words someone deleted: labelled once, after the last run of that deletion.
  const struck = struckLabels(list);
  // Another's words whose formatting someone changed: labelled once, after the last run of that
  // change, or for a change of the line's kind at the line's end.
  const formatted = formattedLabels(list);
  // Each author's late entry, labelled once after its last run with when it was written (walk,
  // 3 Dec: two therapists' entries side by side read as one, with the later one's time).
  const late = lateEntryLabels(list);
  return list.map((run) => {
    const lateEnds = late.get(run);
    const struckEnds = struck.get(run);
    const formattedEnds = formatted.get(run);
    return (
      <Fragment key={`${run.client}:${run.clock}`}>
        <NoteRun run={run} start={startOf.get(run) ?? 0} passages={passages} look={look} />
        {struckEnds && (
          <span className="rn-late rn-struck-label" data-testid="struck-label">
            deleted by {look.authors.get(struckEnds.by)?.name ?? 'a former member'}, {formatTime(struckEnds.at)}
          </span>
        )}
        {formattedEnds?.map((label, i) => (
          <span key={i} className="rn-late rn-struck-label" data-testid="formatted-label">
            {label.quoted !== undefined && `“${label.quoted}” `}
            {label.change} by {look.authors.get(label.by)?.name ?? 'a former member'}, {formatTime(label.at)}
          </span>
        ))}
        {lateEnds && (
          // Named, as the exports name it: by colour alone two therapists' entries read alike (walk, 6 Dec).
          <span className="rn-late" data-testid="late-label">
            late entry{lateEnds.by !== null && ` by ${look.authors.get(lateEnds.by)?.name ?? 'a former member'}`}, {formatTime(lateEnds.to)}
          </span>
        )}
      </Fragment>
    );
  });
}

function NoteBlock({ block, runs }: { block: ReviewBlock; runs: (list: ReviewRun[]) => ReactNode }): ReactNode {
  const children = block.children.map((c, i) => <NoteBlock key={i} block={c} runs={runs} />);
  const inline = block.runs.length > 0 ? runs(block.runs) : children;
  switch (block.type) {
    case 'heading': {
      const noteLevel = Math.min(6, Math.max(1, Number(block.attrs.level ?? 2)));
      const level = Math.min(6, Math.max(3, noteLevel + 1));
      // Sized by the note's own level, which the page's outline cannot show past h6 (walk, 6 Dec: a heading
      // labelled "made a level-4 heading" looked just like the level-2 sections around it).
      return createElement(`h${level}`, { className: 'rn-heading', 'data-level': noteLevel }, inline);
    }
    case 'paragraph':
      return block.runs.length === 0 && block.children.length === 0 ? null : <p>{inline}</p>;
    case 'bulletList':
      return <ul>{children}</ul>;
    case 'orderedList':
      // Numbered as the note numbers it: the co-therapist's "numbered a, b, c" label stood beside 1., 2. (walk, 6 Dec).
      return (
        <ol start={typeof block.attrs.start === 'number' ? block.attrs.start : undefined} type={numberingOf(block.attrs.type) ?? undefined}>
          {children}
        </ol>
      );
    case 'listItem':
      return <li>{children}</li>;
    case 'blockquote':
      return <blockquote>{children}</blockquote>;
    case 'codeBlock':
      return <pre>{inline}</pre>;
    case 'horizontalRule':
      return <hr />;
    case 'hardBreak':
      return <br />;
    case MENTION_NODE:
      return <span className="mention">@{String(block.attrs.id ?? '')}</span>;
    case 'text':
      return <>{runs(block.runs)}</>;
    default:
      return block.runs.length > 0 ? <p>{inline}</p> : <div>{children}</div>;
  }
}
