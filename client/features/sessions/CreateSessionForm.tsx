import { useState } from 'react';
import { sessionKindSchema, type SessionKind } from '../../../shared/domain/session';
import { kindHasFormat, noteFormatSchema, templateSections, type NoteFormat } from '../../../shared/domain/templates';
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

const formatLabel: Record<NoteFormat, string> = { soap: 'SOAP', dap: 'DAP', birp: 'BIRP' };

export function CreateSessionForm() {
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<SessionKind>('individual');
  const [format, setFormat] = useState<NoteFormat>('soap');
  const [scheduled, setScheduled] = useState('');
  const hasFormat = kindHasFormat(kind);
  const { isPending, error, handleSubmit } = useSubmit(async () => {
    const scheduledAt = toIso(scheduled);
    const id = await createSession({ title: title.trim(), kind, ...(hasFormat ? { format } : {}), ...(scheduledAt ? { scheduledAt } : {}) });
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
      <Field
        label="Kind"
        hint={hasFormat ? undefined : `The note starts with ${templateSections(kind).join(', ')}.`}
        error={fieldError(error, 'kind')}
      >
        <select value={kind} onChange={(e) => setKind(sessionKindSchema.parse(e.target.value))} data-testid="session-kind-select">
          {sessionKindSchema.options.map((k) => (
            <option key={k} value={k}>
              {kindLabel[k]}
            </option>
          ))}
        </select>
      </Field>
      {hasFormat && (
        <fieldset className="field choice-group" data-testid="session-format">
          <legend className="field__label">Note format</legend>
          {noteFormatSchema.options.map((f) => (
            <label key={f} className="choice">
              <input type="radio" name="format" value={f} checked={format === f} onChange={() => setFormat(f)} data-testid={`session-format-${f}`} />
              <span>
                <strong>{formatLabel[f]}</strong> <span className="muted">{templateSections(kind, f).join(', ')}</span>
              </span>
            </label>
          ))}
          {fieldError(error, 'format') && <p className="field__error">{fieldError(error, 'format')}</p>}
        </fieldset>
      )}
      <Field label="Scheduled for" hint="Optional." error={fieldError(error, 'scheduledAt')}>
        <input type="datetime-local" value={scheduled} onChange={(e) => setScheduled(e.target.value)} data-testid="session-scheduled-input" />
      </Field>
      <FormError error={error} fields={['title', 'kind', 'format', 'scheduledAt']} />
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
