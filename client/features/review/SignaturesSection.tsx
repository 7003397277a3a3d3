import { signedAgain, type ReviewView } from '../../../shared/domain/review';
import type { VerifyResult } from '../../api/lifecycle';
import { formatDateTime } from '../../format';

interface SignaturesSectionProps {
  review: ReviewView;
  verify: VerifyResult;
}

/** Every signature with the digest it names, returns with their reasons, and the server's check. */
export function SignaturesSection({ review, verify }: SignaturesSectionProps) {
  const events = [
    ...review.signatures.map((s) => ({ at: s.at, key: `s:${s.by}:${s.at}`, node: <Signature s={s} again={signedAgain(review.signatures, s)} /> })),
    ...review.returns.map((r) => ({
      at: r.at,
      key: `r:${r.by}:${r.at}`,
      node: (
        <>
          <strong>Returned for revision</strong> by {r.name}, {formatDateTime(r.at)}: “{r.reason}”
        </>
      ),
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));

  return (
    <section className="review-section" aria-labelledby="signatures-title" data-testid="signatures">
      <h2 className="review-section__title" id="signatures-title">
        Signatures
      </h2>
      {events.length === 0 ? (
        <p className="muted">Not signed yet.</p>
      ) : (
        <ol className="signature-list">
          {events.map((e) => (
            <li key={e.key}>{e.node}</li>
          ))}
        </ol>
      )}
      <p className={`verify verify--${verify.matches === null ? 'open' : verify.matches ? 'ok' : 'bad'}`} data-testid="verify">
        {verify.matches === null && 'The note is not locked: it can still change, so there is no signed digest to check yet.'}
        {verify.matches === true && '✓ Verified: the note as stored now has exactly the digest it was signed with.'}
        {verify.matches === false && '✗ The note as stored now does not match the digest it was signed with.'}
        <br />
        <span className="muted">Current content digest (SHA-256):</span> <code className="digest">{verify.digest}</code>
      </p>
    </section>
  );
}

function Signature({ s, again }: { s: ReviewView['signatures'][number]; again: ReviewView['signatures'][number] | undefined }) {
  return (
    <>
      <strong>{s.kind === 'cosigned' ? 'Co-signed' : 'Signed'}</strong> by {s.name}, {formatDateTime(s.at)}
      {again && <span className="muted" data-testid="signature-superseded"> — an earlier version of the note; signed again {formatDateTime(again.at)}</span>}
      <br />
      <span className="muted">Digest</span> <code className="digest">{s.digest ?? '—'}</code>
    </>
  );
}
