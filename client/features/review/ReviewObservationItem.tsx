import { useState } from 'react';
import type { ReviewObservation } from '../../../shared/domain/review';
import { createComment } from '../../api/review';
import { formatDateTime } from '../../format';
import { FlagState } from '../observations/FlagState';
import { TagChips } from '../observations/TagChips';
import { CommentForm } from './CommentForm';
import { CommentThread } from './CommentThread';
import type { Thread } from './commentThreads';

interface ReviewObservationItemProps {
  sessionId: string;
  observation: ReviewObservation;
  authorColor: string | undefined;
  flaggedFor: string;
  threads: Thread[];
  me: string;
  /** The supervisor comments; everyone in the session replies. */
  canComment: boolean;
  canReply: boolean;
  onShow(): void;
  onChanged(): void;
}

/** One observation beside the note: tags, member, words, who and when, its flag, its comments. */
export function ReviewObservationItem(props: ReviewObservationItemProps) {
  const { sessionId, observation: o, authorColor, flaggedFor, threads, me, canComment, canReply } = props;
  const [commenting, setCommenting] = useState(false);
  return (
    <li className="obs-item review-obs" data-testid="review-observation" data-observation-id={o.id}>
      <div className="obs-item__head">
        <TagChips tags={o.tags} />
        {o.member && <span className="member-badge">{o.member}</span>}
      </div>
      <button type="button" className="obs-item__quote" onClick={props.onShow} title="Show in the note" data-testid="observation-show">
        {/* An empty line quoted as “…” read as words left out (walk, 6 Dec); the exports say the same as this. */}
        {o.quote.trim() ? `“${o.quote.trim()}”` : o.kind === 'line' ? 'Nothing written after the tag’s label' : '“…”'}
      </button>
      {o.alsoWrittenBy.length > 0 && (
        <p className="obs-item__meta" data-testid="observation-also-written-by">
          With words by {o.alsoWrittenBy.map((w) => w.name).join(' and ')}
        </p>
      )}
      {o.extentChanged && (
        // Every word may still be its writer's while the observation quotes more or less than its author tagged (attack, 6 Dec).
        <p className="obs-item__meta" data-testid="observation-extent-changed">
          What it quotes was changed by {o.extentChanged.byName}, {formatDateTime(o.extentChanged.at)}
          {o.extentChanged.was ? `; as tagged: “${o.extentChanged.was}”` : '; as tagged, it quoted nothing'}
        </p>
      )}
      <p className="obs-item__meta">
        <span className="presence-dot" style={{ backgroundColor: authorColor }} aria-hidden="true" />
        {o.authorName}
        {/* "02:16" alone reads as a time of day (walk, 6 Dec). */}
        <span> · {o.offset ? `${o.offset} after the start` : formatDateTime(o.createdAt)}</span>
        {o.late && <span> · late entry</span>}
        {o.kind === 'line' && <span> · line</span>}
      </p>
      {o.forCoTherapist && (
        <FlagState forName={flaggedFor} response={o.response ? { byName: o.response.byName, answer: o.response.answer, note: o.response.note } : null} />
      )}
      {threads.map((t) => (
        <CommentThread key={t.comment.id} sessionId={sessionId} thread={t} me={me} canReply={canReply} onChanged={props.onChanged} />
      ))}
      {canComment &&
        (commenting ? (
          <CommentForm
            label="Your comment on this observation"
            submitLabel="Add comment"
            onCancel={() => setCommenting(false)}
            onSubmit={async (body) => {
              await createComment(sessionId, { type: 'observation', observationId: o.id }, body);
              setCommenting(false);
              props.onChanged();
            }}
          />
        ) : (
          <button type="button" className="link-button no-print" onClick={() => setCommenting(true)} data-testid="observation-comment">
            Comment
          </button>
        ))}
    </li>
  );
}
