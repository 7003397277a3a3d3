import { sessionStatusSchema } from '../../../shared/domain/session';
import type { SessionSearch } from '../../api/supervisor';
import { statusLabel } from '../../format';

interface Props {
  value: SessionSearch;
  onChange(value: SessionSearch): void;
  /** People who appear in the caller's sessions, to narrow by member. */
  people: { id: string; name: string }[];
}

/** Search of the sessions list: title words, date range, state and member. */
export function SessionSearchForm({ value, onChange, people }: Props) {
  const set = (patch: SessionSearch) => onChange({ ...value, ...patch });
  return (
    <form className="filters session-search" role="search" aria-label="Search sessions" onSubmit={(e) => e.preventDefault()}>
      <label>
        Title{' '}
        <input type="search" value={value.q ?? ''} onChange={(e) => set({ q: e.target.value || undefined })} placeholder="Words in the title" data-testid="session-search" />
      </label>
      <label>
        From <input type="date" value={value.from ?? ''} onChange={(e) => set({ from: e.target.value || undefined })} />
      </label>
      <label>
        To <input type="date" value={value.to ?? ''} onChange={(e) => set({ to: e.target.value || undefined })} />
      </label>
      <label>
        State{' '}
        <select value={value.status ?? ''} onChange={(e) => set({ status: e.target.value || undefined })}>
          <option value="">Any</option>
          {sessionStatusSchema.options.map((s) => (
            <option key={s} value={s}>
              {statusLabel[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Member{' '}
        <select value={value.member ?? ''} onChange={(e) => set({ member: e.target.value || undefined })}>
          <option value="">Anyone</option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
