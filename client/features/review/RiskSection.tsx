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
            <p>
              <strong>Assessment{r.assessment && ` (${r.authors.assessment})`}:</strong> {r.assessment || <em>not recorded</em>}
            </p>
            <p>
              <strong>Plan{r.plan && ` (${r.authors.plan})`}:</strong> {r.plan || <em>not recorded</em>}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
