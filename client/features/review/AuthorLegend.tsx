import type { ReviewPerson } from '../../../shared/domain/review';
import { authorColorVars } from '../../theme/readableColor';

/** Whose words are in which colour (text without a colour came with the template). */
export function AuthorLegend({ authors }: { authors: ReviewPerson[] }) {
  return (
    <ul className="legend-authors" aria-label="Authors" data-testid="author-legend">
      {authors.map((a) => (
        <li key={a.accountId} className="author-text" style={authorColorVars(a.color)}>
          <span className="legend-authors__swatch" style={{ backgroundColor: a.color }} aria-hidden="true" />
          {a.name}
        </li>
      ))}
      <li className="legend-authors__template">Template</li>
      <li className="legend-authors__late">
        <span className="rn-late">late entry</span> written after the session ended
      </li>
      <li className="legend-authors__late">
        <del>struck</del> <span className="rn-late">deleted by …</span> words the other therapist deleted, or their writer after the session
      </li>
      <li className="legend-authors__late">
        <span className="rn-late">struck through by …</span> words whose look the other changed
      </li>
    </ul>
  );
}
