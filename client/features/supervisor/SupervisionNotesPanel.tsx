import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { MemberView } from '../../../shared/domain/session';
import { addSupervisionNote, fetchCompetencies, fetchSupervisionNotes } from '../../api/supervisor';
import { FormError } from '../../components/FormError';
import { PageState } from '../../components/PageState';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';
import { useSubmit } from '../../components/useSubmit';
import { formatDateTime } from '../../format';
import './supervisor.css';

/**
 * Supervision notes on this session: the supervisor's (coded from the clinic's competency
 * codebook, about one therapist or the pair) and the therapists' own reflections. Not part of the
 * client's record: never in the note, its exports or its replay; only these three people see them.
 */
export function SupervisionNotesPanel({ sessionId, isSupervisor, therapists }: { sessionId: string; isSupervisor: boolean; therapists: MemberView[] }) {
  const notes = {
    state: loadStateOf(useQuery({ queryKey: keys.session(sessionId, 'supervisionNotes'), queryFn: () => fetchSupervisionNotes(sessionId) })),
    reload: useStale(keys.session(sessionId, 'supervisionNotes')),
  };
  const codebook = loadStateOf(useQuery({ queryKey: keys.competencies, queryFn: () => fetchCompetencies() }));
  const [body, setBody] = useState('');
  const [codes, setCodes] = useState<string[]>([]);
  const [aboutId, setAboutId] = useState<string>('');
  const { isPending, error, run } = useSubmit(async () => {
    await addSupervisionNote(sessionId, { body: body.trim(), codes, aboutId: aboutId || null });
    setBody('');
    setCodes([]);
    notes.reload();
  });
  const usable = codebook.status === 'ok' ? codebook.data.filter((c) => !c.retired) : [];

  return (
    <section className="panel supervision-notes no-print" aria-labelledby="supervision-title" data-testid="supervision-notes">
      <h2 className="panel__title" id="supervision-title">
        Supervision notes
      </h2>
      <p className="muted supervision-notes__apart">Not part of the client’s record. Only the supervisor and the two therapists see these.</p>
      {notes.state.status !== 'ok' ? (
        <PageState state={notes.state} onRetry={notes.reload} what="the supervision notes" />
      ) : notes.state.data.length === 0 ? (
        <p className="muted panel__empty">None yet.</p>
      ) : (
        <ol className="supervision-notes__list">
          {notes.state.data.map((n) => (
            <li key={n.id} className="supervision-note" data-testid="supervision-note">
              <p className="supervision-note__meta">
                <strong>{n.authorName}</strong>
                {n.authorRole === 'therapist' ? ' (reflection)' : ''}
                {n.aboutName ? ` about ${n.aboutName}` : ''} · <span className="muted">{formatDateTime(n.createdAt)}</span>
              </p>
              <p className="supervision-note__body">{n.body}</p>
              {n.codes.length > 0 && (
                <ul className="supervision-note__codes" aria-label="Competencies">
                  {n.codes.map((c) => (
                    <li key={c.id} className="competency-chip">
                      {c.name}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
      <form
        className="form form--compact"
        onSubmit={(e) => {
          e.preventDefault();
          if (body.trim()) void run();
        }}
      >
        <label className="field">
          <span className="field__label">{isSupervisor ? 'New supervision note' : 'My reflection'}</span>
          <textarea rows={3} value={body} maxLength={20000} onChange={(e) => setBody(e.target.value)} data-testid="supervision-input" />
        </label>
        {usable.length > 0 && (
          <fieldset className="choice-group">
            <legend className="field__label">Competencies</legend>
            {usable.map((c) => (
              <label key={c.id} className="choice" title={c.description}>
                <input
                  type="checkbox"
                  checked={codes.includes(c.id)}
                  onChange={(e) => setCodes((prev) => (e.target.checked ? [...prev, c.id] : prev.filter((x) => x !== c.id)))}
                />{' '}
                {c.name}
              </label>
            ))}
          </fieldset>
        )}
        {isSupervisor && therapists.length > 0 && (
          <label className="field">
            <span className="field__label">About</span>
            <select value={aboutId} onChange={(e) => setAboutId(e.target.value)}>
              <option value="">The pair</option>
              {therapists.map((t) => (
                <option key={t.userId} value={t.userId}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <FormError error={error} />
        <button type="submit" className="button button--small button--primary" disabled={isPending || !body.trim()} data-testid="supervision-submit">
          {isPending ? 'Saving…' : 'Add'}
        </button>
      </form>
    </section>
  );
}
