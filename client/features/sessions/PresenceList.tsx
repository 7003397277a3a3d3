import type { Person } from '../../collab/presence';

/** Who has the note open right now, each in their caret colour. */
export function PresenceList({ people }: { people: Person[] }) {
  return (
    <ul className="presence" aria-label="Connected now" data-testid="presence-list">
      {people.map((p) => (
        <li key={p.clientId} className="presence__person" data-testid="presence-person">
          <span className="presence-dot" style={{ backgroundColor: p.color }} aria-hidden="true" />
          <span className="presence__name">{p.isSelf ? `${p.name} (you)` : p.name}</span>
          {p.isWatching && <span className="presence__tag">watching</span>}
        </li>
      ))}
    </ul>
  );
}
