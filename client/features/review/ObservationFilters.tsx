import type { ReviewObservation } from '../../../shared/domain/review';
import { isFiltering, NO_FILTER, type ObservationFilter } from './observationFilter';

interface ObservationFiltersProps {
  observations: ReviewObservation[];
  filter: ObservationFilter;
  onChange(filter: ObservationFilter): void;
}

type Choice = readonly [value: string, label: string];

/** One labelled filter menu; the first choice is the "no filter" one. */
function FilterSelect(props: { label: string; testId: string; value: string; choices: Choice[]; onChange(value: string): void }) {
  return (
    <label>
      <span>{props.label}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId}>
        {props.choices.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Narrow the observations by tag, author, group member, flag and answer. */
export function ObservationFilters({ observations, filter, onChange }: ObservationFiltersProps) {
  const tags = [...new Map(observations.flatMap((o) => o.tags.map((t) => [t.id, t.name] as const)))].sort((a, b) => a[1].localeCompare(b[1]));
  const authors = [...new Map(observations.map((o) => [o.authorId, o.authorName] as const))];
  const members = [...new Set([...observations.map((o) => o.member), filter.member || null].filter((m): m is string => m !== null))].sort().map((m) => [m, m] as const);
  const hasFlags = observations.some((o) => o.forCoTherapist) || filter.flag !== 'any' || filter.answer !== 'any';
  const set = <K extends keyof ObservationFilter>(key: K) => (value: string) => onChange({ ...filter, [key]: value as ObservationFilter[K] });

  return (
    <div className="obs-filters" role="group" aria-label="Filter observations" data-testid="observation-filters">
      <FilterSelect label="Tag" testId="filter-tag" value={filter.tag} onChange={set('tag')} choices={[['', 'All tags'], ...tags]} />
      <FilterSelect label="Author" testId="filter-author" value={filter.author} onChange={set('author')} choices={[['', 'Both therapists'], ...authors]} />
      {/* Only the filters that can narrow anything: no member menu when no observation names one, no flag menus without flags. */}
      {members.length > 0 && <FilterSelect label="Member" testId="filter-member" value={filter.member} onChange={set('member')} choices={[['', 'Anyone'], ...members]} />}
      {hasFlags && (
        <>
      <FilterSelect
        label="Flag"
        testId="filter-flag"
        value={filter.flag}
        onChange={set('flag')}
        choices={[['any', 'Flagged or not'], ['flagged', 'Flagged for the co-therapist'], ['not-flagged', 'Not flagged']]}
      />
      <FilterSelect
        label="Answer"
        testId="filter-answer"
        value={filter.answer}
        onChange={set('answer')}
        choices={[['any', 'Any'], ['answered', 'Answered'], ['unanswered', 'Unanswered flags'], ['acknowledged', '“I missed that”'], ['disputed', '“I saw it”']]}
      />
        </>
      )}
      {isFiltering(filter) && (
        <button type="button" className="link-button" onClick={() => onChange(NO_FILTER)}>
          Clear filters
        </button>
      )}
    </div>
  );
}
