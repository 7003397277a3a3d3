import type { CaughtSummary, ReviewPerson } from '../../../shared/domain/review';
import { TableScroll } from '../../components/TableScroll';

/**
 * Per therapist: what they noticed, what they passed to the other, and how the other answered —
 * the co-therapy counterpart of comparing two coders.
 */
export function WhoCaughtWhat({ summaries, authors }: { summaries: CaughtSummary[]; authors: ReviewPerson[] }) {
  const colors = new Map(authors.map((a) => [a.accountId, a.color]));
  return (
    <section className="review-section" aria-labelledby="caught-title" data-testid="who-caught-what">
      <h2 className="review-section__title" id="caught-title">
        Who caught what
      </h2>
      <TableScroll label="Who caught what">
        <table className="table table--dense caught">
          <thead>
            {/* Each flag column says how the co-therapist answered this therapist's flags; the
                one-line names ("Other: “I missed that”") read as riddles (walk, 4 Dec). */}
            <tr>
              <th scope="col" rowSpan={2}>
                Therapist
              </th>
              <th scope="col" rowSpan={2}>
                Observations
              </th>
              <th scope="colgroup" colSpan={4}>
                Flagged for the co-therapist
              </th>
              <th scope="col" rowSpan={2}>
                Said “I missed that” to the co-therapist’s flags
              </th>
              <th scope="col" rowSpan={2}>
                By tag
              </th>
            </tr>
            <tr>
              <th scope="col">in all</th>
              <th scope="col">answered “I missed that”</th>
              <th scope="col">answered “I saw it”</th>
              <th scope="col">not answered</th>
            </tr>
          </thead>
          <tbody>
            {summaries.map((s) => (
              <tr key={s.accountId} data-testid="caught-row">
                <th scope="row">
                  <span className="presence-dot" style={{ backgroundColor: colors.get(s.accountId) }} aria-hidden="true" /> {s.name}
                </th>
                <td>{s.made}</td>
                <td>{s.flaggedForOther}</td>
                <td>{s.acknowledgedByOther}</td>
                <td>{s.disputedByOther}</td>
                <td>{s.unanswered}</td>
                <td>{s.acknowledgedOwnMiss}</td>
                <td className="caught__tags">
                  {Object.keys(s.byTag).length === 0
                    ? '—'
                    : Object.entries(s.byTag)
                        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
                        .map(([name, n]) => `${name} ${n}`)
                        .join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
