import { useState } from 'react';
import type { ReviewObservation, ReviewPerson } from '../../../shared/domain/review';
import { ObservationFilters } from './ObservationFilters';
import { filterObservations, NO_FILTER, type ObservationFilter } from './observationFilter';
import type { Thread } from './commentThreads';
import { ReviewObservationItem } from './ReviewObservationItem';

interface ReviewObservationsProps {
  sessionId: string;
  observations: ReviewObservation[];
  authors: ReviewPerson[];
  therapists: { accountId: string; name: string }[];
  threadsFor(observationId: string): Thread[];
  me: string;
  canComment: boolean;
  canReply: boolean;
  replaying: boolean;
  onShow(observationId: string): void;
  onChanged(): void;
}

/** The observations beside the note, filterable, oldest first. */
export function ReviewObservations(props: ReviewObservationsProps) {
  const { observations, authors, therapists } = props;
  const [filter, setFilter] = useState<ObservationFilter>(NO_FILTER);
  const shown = filterObservations(observations, filter);
  const colors = new Map(authors.map((a) => [a.accountId, a.color]));
  const others = (authorId: string) => therapists.filter((t) => t.accountId !== authorId).map((t) => t.name).join(' and ') || 'the co-therapist';

  return (
    <section className="panel review-panel" aria-labelledby="review-observations-title" data-testid="review-observations">
      <h2 className="panel__title" id="review-observations-title">
        Observations{' '}
        <span className="muted" data-testid="observation-count">
          ({shown.length === observations.length ? observations.length : `${shown.length} of ${observations.length}`})
        </span>
      </h2>
      {props.replaying && <p className="muted panel__empty">As they stood at the moment chosen on the timeline.</p>}
      <ObservationFilters observations={observations} filter={filter} onChange={setFilter} />
      {shown.length === 0 ? (
        <p className="muted panel__empty">{observations.length === 0 ? 'No observations.' : 'None match these filters.'}</p>
      ) : (
        <ol className="obs-list">
          {shown.map((o) => (
            <ReviewObservationItem
              key={o.id}
              sessionId={props.sessionId}
              observation={o}
              authorColor={colors.get(o.authorId)}
              flaggedFor={others(o.authorId)}
              threads={props.replaying ? [] : props.threadsFor(o.id)}
              me={props.me}
              canComment={props.canComment && !props.replaying}
              canReply={props.canReply && !props.replaying}
              onShow={() => props.onShow(o.id)}
              onChanged={props.onChanged}
            />
          ))}
        </ol>
      )}
    </section>
  );
}
