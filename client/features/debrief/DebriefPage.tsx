import { useQuery } from '@tanstack/react-query';
import { debriefFields, MAX_DEBRIEF_CHARS, type DebriefFieldId } from '../../../shared/domain/debrief';
import { fetchSession } from '../../api/sessions';
import { useCurrentUser } from '../../auth/useCurrentUser';
import { PageState } from '../../components/PageState';
import { useAnnouncePersonColor } from '../../components/PersonColor';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';
import { formatDateTime } from '../../format';
import { Link, navigate } from '../../router';
import { ConcordanceSection } from '../review/ConcordanceSection';
import { EarlierVersions } from './EarlierVersions';
import { useDebrief, type FieldState } from './useDebrief';

/**
 * `/sessions/:id/debrief`: the pair's huddle before the session and debrief after it, written
 * together; their supervisor reads it. Training material, kept apart from the session's record.
 */
export function DebriefPage({ id }: { id: string }) {
  const session = { state: loadStateOf(useQuery({ queryKey: keys.session(id, 'view'), queryFn: () => fetchSession(id) })), reload: useStale(keys.session(id, 'view')) };
  const debrief = useDebrief(id);
  const me = useCurrentUser().id;
  useAnnouncePersonColor(session.state.status === 'ok' ? (session.state.data.members.find((m) => m.userId === me)?.color ?? null) : null);
  if (session.state.status !== 'ok') {
    return (
      <div className="page">
        <PageState state={session.state} onRetry={session.reload} what="the session" />
      </div>
    );
  }
  const { view, fields } = debrief;
  if (!view) {
    return (
      <div className="page">
        <PageState state={debrief.loadError ? { status: 'error', error: debrief.loadError } : { status: 'loading' }} onRetry={() => void debrief.reload()} what="the debrief" />
      </div>
    );
  }
  const label = (text: string) => text.replace('{a}', view.raters.a?.name ?? 'the first therapist').replace('{b}', view.raters.b?.name ?? 'the second therapist');
  const part = (which: 'huddle' | 'debrief') =>
    debriefFields
      .filter((f) => f.part === which)
      .map((f) => <DebriefField key={f.id} field={f.id} label={label(f.label)} state={fields.get(f.id)} canEdit={view.canEdit} onEdit={debrief.edit} onKeepMine={debrief.keepMine} onKeepBoth={debrief.keepBoth} onUseTheirs={debrief.useTheirs} />);

  return (
    <div className="page debrief" data-testid="debrief-page">
      <header className="debrief__header">
        <Link to={`/sessions/${id}`} className="session-header__back">
          ← Open the note
        </Link>
        <h1 className="session-header__title">Huddle and debrief · {session.state.data.title}</h1>
        <p className="muted debrief__about">
          For the two of you and your supervisor: training material, not part of the client’s record. It is never in the note, its signature, its
          exports or its replay. {view.canEdit ? 'What you type is saved as you pause and reaches your co-therapist within a few seconds.' : 'You are reading what the pair wrote.'}
        </p>
      </header>
      <section className="review-section debrief__part" aria-labelledby="huddle-title">
        <h2 className="review-section__title" id="huddle-title">
          Before the session: huddle
        </h2>
        {part('huddle')}
      </section>
      <ConcordanceSection sessionId={id} compact onShow={(observationId) => navigate(`/sessions/${id}/review?focus=${encodeURIComponent(observationId)}`)} />
      <section className="review-section debrief__part" aria-labelledby="debrief-title">
        <h2 className="review-section__title" id="debrief-title">
          After the session: debrief
        </h2>
        {part('debrief')}
      </section>
    </div>
  );
}

interface DebriefFieldProps {
  field: DebriefFieldId;
  label: string;
  state: FieldState | undefined;
  canEdit: boolean;
  onEdit(field: DebriefFieldId, text: string): void;
  onKeepMine(field: DebriefFieldId): void;
  onKeepBoth(field: DebriefFieldId): void;
  onUseTheirs(field: DebriefFieldId): void;
}

function DebriefField({ field, label, state, canEdit: isTherapist, onEdit, onKeepMine, onKeepBoth, onUseTheirs }: DebriefFieldProps) {
  if (!state) return null;
  // A field named for the other therapist is their own account: shown, not written by me.
  const canEdit = isTherapist && state.saved.canEdit;
  const inputId = `debrief-${field}`;
  const text = state.draft ?? state.saved.body;
  const status = state.saving
    ? 'Saving…'
    : state.draft !== null
      ? 'Not saved yet'
      : state.saved.updatedByName
        ? `Saved by ${state.saved.updatedByName}, ${formatDateTime(state.saved.updatedAt)}`
        : 'Nothing written yet';
  return (
    <div className="field debrief__field" data-testid={`debrief-field-${field}`}>
      <label htmlFor={inputId} className="field__label">
        {label}
      </label>
      {canEdit ? (
        <textarea id={inputId} rows={3} maxLength={MAX_DEBRIEF_CHARS} value={text} onChange={(e) => onEdit(field, e.target.value)} data-testid={`debrief-input-${field}`} />
      ) : (
        <p className="debrief__read" data-testid={`debrief-text-${field}`}>
          {state.saved.body || <span className="muted">Nothing written.</span>}
        </p>
      )}
      {isTherapist && !canEdit && (
        <p className="field__hint muted" data-testid={`debrief-not-yours-${field}`}>
          Your co-therapist’s own account: only they write it.
        </p>
      )}
      {(canEdit || state.saved.updatedByName) && (
        <p className="field__hint" role="status" data-testid={`debrief-status-${field}`}>
          {status}
        </p>
      )}
      {state.error && (
        <p className="field__error" data-testid={`debrief-error-${field}`}>
          {state.error}
        </p>
      )}
      <EarlierVersions field={field} versions={state.saved.earlier} />
      {state.conflict && (
        <div className="notice notice--warning" role="alert" data-testid={`debrief-conflict-${field}`}>
          <p>
            {state.saved.updatedByName ?? 'Your co-therapist'} saved this field while you were writing. Their text: <q>{state.saved.body}</q>
          </p>
          <div className="notice__actions">
            <button type="button" className="button button--small" onClick={() => onUseTheirs(field)}>
              Use theirs
            </button>
            <button type="button" className="button button--small button--primary" onClick={() => onKeepBoth(field)} data-testid={`debrief-keep-both-${field}`}>
              Keep both (theirs, then mine)
            </button>
            <button type="button" className="button button--small" onClick={() => onKeepMine(field)}>
              Keep mine (save over theirs)
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
