import type { ReviewObservation } from '../../../shared/domain/review';
import { isFiltering, NO_FILTER, type ObservationFilter } from './observationFilter';

interface ObservationFiltersProps {
  observations: ReviewObservation[];
  filter: ObservationFilter;
  onChange(filter: ObservationFilter): void;
}

/** Narrow the observations by tag, author, group member, flag and answer. */
export function ObservationFilters({ observations, filter, onChange }: ObservationFiltersProps) {
  const tags = new Map(observations.flatMap((o) => o.tags.map((t) => [t.id, t.name] as const)));
  const authors = new Map(observations.map((o) => [o.authorId, o.authorName] as const));
  const members = [...new Set(observations.map((o) => o.member).filter((m): m is string => m !== null))].sort();
  const set = <K extends keyof ObservationFilter>(key: K, value: ObservationFilter[K]) => onChange({ ...filter, [key]: value });

  return (
    <div className="obs-filters" role="group" aria-label="Filter observations" data-testid="observation-filters">
      <label>
        <span>Tag</span>
        <select value={filter.tag} onChange={(e) => set('tag', e.target.value)} data-testid="filter-tag">
          <option value="">All tags</option>
          {[...tags].sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Author</span>
        <select value={filter.author} onChange={(e) => set('author', e.target.value)} data-testid="filter-author">
          <option value="">Both therapists</option>
          {[...authors].map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Member</span>
        <select value={filter.member} onChange={(e) => set('member', e.target.value)} data-testid="filter-member">
          <option value="">Anyone</option>
          {members.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Flag</span>
        <select value={filter.flag} onChange={(e) => set('flag', e.target.value as ObservationFilter['flag'])} data-testid="filter-flag">
          <option value="any">Flagged or not</option>
          <option value="flagged">Flagged for the co-therapist</option>
          <option value="not-flagged">Not flagged</option>
        </select>
      </label>
      <label>
        <span>Answer</span>
        <select value={filter.answer} onChange={(e) => set('answer', e.target.value as ObservationFilter['answer'])} data-testid="filter-answer">
          <option value="any">Any</option>
          <option value="answered">Answered</option>
          <option value="unanswered">Unanswered flags</option>
          <option value="acknowledged">Acknowledged</option>
          <option value="disputed">Disputed</option>
        </select>
      </label>
      {isFiltering(filter) && (
        <button type="button" className="link-button" onClick={() => onChange(NO_FILTER)}>
          Clear filters
        </button>
      )}
    </div>
  );
}
