import { useState } from 'react';
import { sessionKindSchema, type SessionKind } from '../../../shared/domain/session';
import { createSession } from '../../api/sessions';
import { Field } from '../../components/Field';
import { fieldError, FormError } from '../../components/FormError';
import { useSubmit } from '../../components/useSubmit';
import { kindLabel } from '../../format';
import { navigate } from '../../router';

/** `<input type="datetime-local">` gives local wall time; the API wants an instant. */
function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function CreateSessionForm() {
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<SessionKind>('individual');
  const [scheduled, setScheduled] = useState('');
  const { isPending, error, handleSubmit } = useSubmit(async () => {
    const scheduledAt = toIso(scheduled);
    const id = await createSession({ title: title.trim(), kind, ...(scheduledAt ? { scheduledAt } : {}) });
    navigate(`/sessions/${id}`);
  });

  return (
    <form className="form" onSubmit={handleSubmit} noValidate>
      <Field label="Title" error={fieldError(error, 'title')}>
        <input
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          maxLength={200}
          required
          placeholder="e.g. Tuesday group, week 6"
          data-testid="session-title-input"
        />
      </Field>
      <Field label="Kind" error={fieldError(error, 'kind')}>
        <select value={kind} onChange={(e) => setKind(sessionKindSchema.parse(e.target.value))} data-testid="session-kind-select">
          {sessionKindSchema.options.map((k) => (
            <option key={k} value={k}>
              {kindLabel[k]}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Scheduled for" hint="Optional." error={fieldError(error, 'scheduledAt')}>
        <input type="datetime-local" value={scheduled} onChange={(e) => setScheduled(e.target.value)} data-testid="session-scheduled-input" />
      </Field>
      <FormError error={error} fields={['title', 'kind', 'scheduledAt']} />
      <button
        type="submit"
        className="button button--primary"
        disabled={isPending || title.trim().length === 0}
        data-testid="create-session-submit"
      >
        {isPending ? 'Creating…' : 'Create session'}
      </button>
    </form>
  );
}
