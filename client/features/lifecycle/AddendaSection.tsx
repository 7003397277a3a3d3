import type { ReviewView } from '../../../shared/domain/review';
import { formatDateTime } from '../../format';
import { AddendumForm } from './AddendumForm';

interface AddendaSectionProps {
  sessionId: string;
  addenda: ReviewView['addenda'];
  /** Therapists add addenda once the note is locked. */
  canAdd: boolean;
  onAdded(): Promise<void>;
  /**
   * The moment a replay shows (ms), or null for now. A replay of the note at 00:00 listed an
   * addendum written after signing (walk, 6 Dec): the addenda made later are left out, and none
   * is added while looking at the past.
   */
  asOf?: number | null;
}

/** Dated, attributed additions below a locked note; each one is itself final. */
export function AddendaSection({ sessionId, addenda: all, canAdd: mayAdd, onAdded, asOf = null }: AddendaSectionProps) {
  const addenda = asOf === null ? all : all.filter((a) => Date.parse(a.at) <= asOf);
  const canAdd = mayAdd && asOf === null;
  if (addenda.length === 0 && !canAdd) return null;
  return (
    <section className="addenda" aria-labelledby="addenda-title" data-testid="addenda">
      <h2 className="addenda__title" id="addenda-title">
        Addenda
      </h2>
      {addenda.length === 0 ? (
        <p className="muted">None. The note is locked; add anything further here, dated and signed with your name.</p>
      ) : (
        <ol className="addenda__list">
          {addenda.map((a) => (
            <li key={a.id} className="addendum" data-testid="addendum">
              <p className="addendum__meta">
                Addendum by <strong>{a.name}</strong>, {formatDateTime(a.at)}
              </p>
              <p className="addendum__text">{a.text}</p>
            </li>
          ))}
        </ol>
      )}
      {canAdd && <AddendumForm sessionId={sessionId} onAdded={onAdded} />}
    </section>
  );
}
