import type { ReviewView } from '../../../shared/domain/review';
import { formatDateTime } from '../../format';

/** Each member's risk assessment and safety plan, as signed with the note (or as they stood at a replay's moment), who last saved it and who wrote each part. */
export function RiskSection({ risk }: { risk: ReviewView['risk'] }) {
  if (risk.length === 0) return null;
  return (
    <section className="review-section" aria-labelledby="risk-review-title" data-testid="review-risk">
      <h2 className="review-section__title" id="risk-review-title">
        Risk assessments and plans
      </h2>
      <ul className="risk-review">
        {risk.map((r) => (
          <li key={r.member}>
            <p>
              <span className="member-badge">{r.member}</span> <span className="muted">last saved by {r.name}, {formatDateTime(r.at)}</span>
            </p>
            <RiskPart title="Assessment" words={r.assessment} author={r.authors.assessment} />
            <RiskPart title="Plan" words={r.plan} author={r.authors.plan} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * One part of a record, with its writer's name only over words: white space alone is "not
 * recorded", as the exports say (walk, 6 Dec: "Assessment (Alex Therapist):" stood over a blank).
 */
function RiskPart({ title, words, author }: { title: string; words: string; author: string }) {
  const written = words.trim() !== '';
  return (
    <p>
      <strong>
        {title}
        {written && ` (${author})`}:
      </strong>{' '}
      {written ? words : <em>not recorded</em>}
    </p>
  );
}
