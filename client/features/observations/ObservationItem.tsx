import type { FlagResponse, Observation } from '../../../shared/domain/observation';
import type { ExtentChange } from '../../../shared/note/extentChanges';
import { formatTime } from '../review/reviewFormat';
import { FlagState } from './FlagState';
import { TagChips } from './TagChips';

export interface ObservationItemProps {
  observation: Observation;
  tags: { id: string; name: string; color: string }[];
  author: { name: string; color: string };
  /** mm:ss after the start, or null when the clock had not started. */
  offset: string | null;
  quote: string | null;
  response: FlagResponse | null;
  /** The other therapist's change of which words it quotes (shared/note/extentChanges.ts), or null. */
  extentChange: ExtentChange | null;
  nameOf(accountId: string): string;
  /** Whom "for my co-therapist" points at, seen from the author. */
  flaggedFor: string;
  /** A flag for me I may answer now. */
  canAnswer: boolean;
  /** Written after the session ended (the server's time). */
  late: boolean;
  /** The note is signed: a tagged line left empty stays so. */
  locked: boolean;
  onReveal(): void;
  onAcknowledge(): void;
  onDispute(): void;
}

/** One observation in the session page's list: what, about whom, by whom, when, and its flag. */
export function ObservationItem(props: ObservationItemProps) {
  const { observation: o, tags, author, offset, quote, response, extentChange: e, nameOf, flaggedFor, canAnswer } = props;
  return (
    <li className="obs-item" data-testid="observation-item" data-observation-id={o.id}>
      <div className="obs-item__head">
        <TagChips tags={tags} />
        {o.member && <span className="member-badge">{o.member}</span>}
      </div>
      {quote !== null ? (
        <button type="button" className="obs-item__quote" onClick={props.onReveal} title="Show in the note">
          {quote ? (
            `“${quote}”`
          ) : o.kind === 'line' ? (
            // "yet" on a signed note promised words that can no longer come (walk, 6 Dec).
            <span className="obs-item__empty">{props.locked ? 'Nothing written after the tag’s label' : 'Nothing written after the tag yet'}</span>
          ) : (
            '“…”'
          )}
        </button>
      ) : (
        <span className="obs-item__quote obs-item__quote--gone">The tagged text was removed.</span>
      )}
      {e && (
        // B's Backspace joined A's next line into her tagged line, every word still A's: only the
        // review said so (attack, 6 Dec). Shown here, A can put it right while the session runs.
        <p className="obs-item__meta" data-testid="observation-extent-changed">
          What it quotes was changed by {nameOf(e.by)}, {formatTime(e.at)}
          {e.was ? `; as tagged: “${e.was}”` : '; as tagged, it quoted nothing'}
        </p>
      )}
      <p className="obs-item__meta">
        <span className="presence-dot" style={{ backgroundColor: author.color }} aria-hidden="true" />
        {author.name}
        {offset && <span> · {offset}</span>}
        {props.late && <span> · late entry</span>}
        {o.kind === 'line' && <span> · line</span>}
      </p>
      {o.forCoTherapist && (
        <FlagState
          forName={flaggedFor}
          response={response ? { byName: nameOf(response.by), answer: response.answer, note: response.note } : null}
        />
      )}
      {canAnswer && (
        <div className="obs-item__actions">
          <button type="button" className="button button--small" onClick={props.onAcknowledge} data-testid="flag-acknowledge">
            I missed that
          </button>
          <button type="button" className="button button--small" onClick={props.onDispute} data-testid="flag-dispute">
            I saw it…
          </button>
        </div>
      )}
    </li>
  );
}
