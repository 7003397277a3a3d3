import { Fragment, type ReactNode } from 'react';
import type { ReviewRun } from '../../../shared/domain/review';
import { cutRun, type Passage } from './noteIndex';
import { authorColorVars } from '../../theme/readableColor';

/** How the review draws the note's runs: author colours, observation colours, focus and tagged-line words. */
export interface NoteLook {
  authors: Map<string, { name: string; color: string }>;
  /** First tag's colour of each observation. */
  observationColor: Map<string, string>;
  focusedObservation: string | null;
  /** The tagged line each run is a word of (runs written after a line's marker). */
  lineWords: Map<ReviewRun, string>;
  /** Runs where the writer changes within a line, which a print names (authorTurns.ts). */
  authorTurns: ReadonlySet<ReviewRun>;
}

interface NoteRunProps {
  run: ReviewRun;
  /** Reading-order index of the run's first character. */
  start: number;
  passages: Passage[];
  look: NoteLook;
}

/** Deleted spaces alone would show nothing beside their label: each is shown as "␣" (walk, 1 Dec). */
const visibleSpaces = (text: string): string => (/^\s+$/.test(text) ? '␣'.repeat(text.length) : text);

function formatted(text: string, marks: string[], struck: boolean): ReactNode {
  let node: ReactNode = text;
  if (struck) node = <del>{node}</del>;
  if (marks.includes('code')) node = <code>{node}</code>;
  if (marks.includes('strike')) node = <s>{node}</s>;
  if (marks.includes('underline')) node = <u>{node}</u>;
  if (marks.includes('italic')) node = <em>{node}</em>;
  if (marks.includes('bold')) node = <strong>{node}</strong>;
  return node;
}

/**
 * One run of text in its author's colour. Each piece is an element carrying the Yjs id of its
 * first character (data-client, data-clock), which is how a selection becomes a comment anchor.
 */
export function NoteRun({ run, start, passages, look }: NoteRunProps) {
  const author = run.authorId ? look.authors.get(run.authorId) : undefined;
  // A tagged line's words read as part of it, like the marker before them.
  const lineOf = look.lineWords.get(run);
  const ids = lineOf ? [...run.observationIds, lineOf] : run.observationIds;
  const observed = ids.length > 0;
  const obsColor = observed ? look.observationColor.get(ids[0]!) : undefined;
  const focused = observed && look.focusedObservation !== null && ids.includes(look.focusedObservation);
  return (
    <>
      {cutRun(run, start, passages).map((piece, i) => (
        <Fragment key={piece.clock}>
          <span
            className={[
              'rn-run',
              observed ? 'rn-run--observed' : '',
              focused ? 'rn-run--focused' : '',
              piece.passages.length > 0 ? 'rn-run--commented' : '',
              run.lateAt ? 'rn-run--late' : '',
              run.struck ? 'rn-run--struck' : '',
            ]
              .filter(Boolean)
              .join(' ')}
            style={{ ...authorColorVars(author?.color), ['--obs-color' as string]: obsColor }}
            data-client={run.client}
            data-clock={piece.clock}
            data-author={run.authorId ?? undefined}
            data-writer={i === 0 && author && look.authorTurns.has(run) ? author.name : undefined}
            data-observations={observed ? run.observationIds.join(' ') : undefined}
            data-struck-by={run.struck?.by}
            title={author ? `Written by ${author.name}${run.lateAt ? ' (late entry)' : ''}${run.struck ? `; deleted by ${look.authors.get(run.struck.by)?.name ?? 'a former member'}` : ''}` : undefined}
          >
            {formatted(run.struck ? visibleSpaces(piece.text) : piece.text, run.marks, run.struck !== null)}
          </span>
          {piece.endsPassages.map((n) => (
            <sup key={n} className="rn-comment-ref" aria-label={`Comment ${n}`}>
              <a href={`#passage-comment-${n}`}>{n}</a>
            </sup>
          ))}
        </Fragment>
      ))}
    </>
  );
}
