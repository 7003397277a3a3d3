import { useState } from 'react';
import { cosignSession, returnSession } from '../../api/lifecycle';
import { FormError } from '../../components/FormError';
import { useSubmit } from '../../components/useSubmit';
import { useThreadStates } from '../supervisor/threadStates';

interface SupervisorActionsProps {
  sessionId: string;
  onDone(message: string): void;
}

/** For the supervisor of a signed note: co-sign it, or return it to the therapists with a reason. */
export function SupervisorActions({ sessionId, onDone }: SupervisorActionsProps) {
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');
  // Said before co-signing (walk, 4 Dec: a note was co-signed with two threads open, unmentioned).
  const open = [...useThreadStates().values()].filter((t) => !t.resolved).length;
  const openWords = open === 0 ? '' : `${open === 1 ? 'One comment thread is' : `${open} comment threads are`} still open. `;
  const cosign = useSubmit(async () => {
    if (!window.confirm(`${openWords}Co-sign this note? Your signature records the same content digest as the therapists’.`)) return;
    await cosignSession(sessionId);
    onDone('Co-signed. The session is reviewed.');
  });
  const giveBack = useSubmit(async () => {
    await returnSession(sessionId, reason.trim());
    setReturning(false);
    onDone('Returned to the therapists for revision. They will sign again.');
  });

  return (
    <section className="panel supervisor-actions no-print" aria-labelledby="supervisor-title" data-testid="supervisor-actions">
      <h2 className="panel__title" id="supervisor-title">
        Your decision
      </h2>
      <p className="muted">Both therapists have signed; the note is locked. Co-sign it, or return it for revision with your reason.</p>
      {open > 0 && (
        <p className="notice notice--info" data-testid="cosign-open-threads">
          {openWords}Co-signing leaves them on the record as they are; they can still be answered and resolved.
        </p>
      )}
      {!returning ? (
        <div className="button-row">
          <button type="button" className="button button--primary" onClick={() => void cosign.run()} disabled={cosign.isPending} data-testid="cosign">
            {cosign.isPending ? 'Co-signing…' : 'Co-sign'}
          </button>
          <button type="button" className="button" onClick={() => setReturning(true)} data-testid="return-open">
            Return for revision…
          </button>
        </div>
      ) : (
        <form className="form form--compact" onSubmit={giveBack.handleSubmit}>
          <label className="field">
            <span className="field__label">Why it goes back</span>
            <textarea rows={3} value={reason} autoFocus maxLength={2000} onChange={(e) => setReason(e.target.value)} data-testid="return-reason" />
            <span className="field__hint">Kept on the record; the therapists see it when they sign again.</span>
          </label>
          <div className="button-row">
            <button type="submit" className="button button--primary" disabled={giveBack.isPending || reason.trim().length < 3} data-testid="return-submit">
              {giveBack.isPending ? 'Returning…' : 'Return for revision'}
            </button>
            <button type="button" className="button" onClick={() => setReturning(false)}>
              Cancel
            </button>
          </div>
          <FormError error={giveBack.error} />
        </form>
      )}
      <FormError error={cosign.error} />
    </section>
  );
}
