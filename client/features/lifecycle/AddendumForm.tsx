import { useState } from 'react';
import { addAddendum } from '../../api/lifecycle';
import { FormError } from '../../components/FormError';
import { useSubmit } from '../../components/useSubmit';
import { newUuid } from '../observations/uuid';

/** Writes an addendum: once added it cannot be changed, so the button says so. */
export function AddendumForm({ sessionId, onAdded }: { sessionId: string; onAdded(): Promise<void> }) {
  const [text, setText] = useState('');
  // One per draft: if the answer to "Add" is lost and it is pressed again, the server adds nothing more.
  const [requestId, setRequestId] = useState(newUuid);
  const { isPending, error, handleSubmit } = useSubmit(async () => {
    await addAddendum(sessionId, text.trim(), requestId);
    setText('');
    setRequestId(newUuid());
    await onAdded();
  });
  return (
    <form className="form form--compact addendum-form" onSubmit={handleSubmit} noValidate>
      <label className="field">
        <span className="field__label">New addendum</span>
        <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} maxLength={20000} data-testid="addendum-input" />
        <span className="field__hint">Dated and attributed to you. It cannot be edited once added.</span>
      </label>
      <FormError error={error} />
      <button type="submit" className="button button--primary" disabled={isPending || !text.trim()} data-testid="addendum-submit">
        {isPending ? 'Adding…' : 'Add addendum'}
      </button>
    </form>
  );
}
