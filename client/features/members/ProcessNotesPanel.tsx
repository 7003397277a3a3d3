import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { SessionView } from '../../../shared/domain/session';
import { createProcessNote, fetchProcessNote, removeProcessNote, setProcessRetention, shareProcessNote, withdrawRemovalAsk } from '../../api/processNotes';
import { FormError } from '../../components/FormError';
import { PageState } from '../../components/PageState';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';
import { useSubmit } from '../../components/useSubmit';
import { formatDateTime } from '../../format';
import { Link } from '../../router';
import { StepButton } from './StepButton';
import { askedKeepers, inWords, othersAgree, youAndOthers } from './processNoteWords';

const RETENTION: { value: string; label: string; days: number | null }[] = [
  { value: 'keep', label: 'until removed', days: null },
  { value: '30', label: '30 days', days: 30 },
  { value: '90', label: '90 days', days: 90 },
  { value: '365', label: '1 year', days: 365 },
];

/**
 * The therapists' process notes for this session: their analysis and their own reactions, kept
 * apart from the record (never exported, signed or copied into member notes). Only the session's
 * therapists see this panel's controls; the supervisor sees the notes once they are shared.
 */
export function ProcessNotesPanel({ session, isTherapist }: { session: SessionView; isTherapist: boolean }) {
  const load = {
    state: loadStateOf(useQuery({ queryKey: keys.session(session.id, 'processNote'), queryFn: () => fetchProcessNote(session.id) })),
    reload: useStale(keys.session(session.id, 'processNote')),
  };
  const [confirming, setConfirming] = useState(false);
  const [sharing, setSharing] = useState(false);
  const act = useSubmit(async (action: () => Promise<unknown>) => {
    await action();
    setConfirming(false);
    load.reload();
  });
  if (load.state.status !== 'ok') return isTherapist ? <PageState state={load.state} onRetry={load.reload} what="the process notes" /> : null;
  const answer = load.state.data;
  if (answer && 'removedAt' in answer) return <RemovedPanel removedAt={answer.removedAt} />;
  const note = answer;
  if (!note && !isTherapist) return null;
  // They are their keepers' notes: the first press asks the other keepers, their presses share (walk, 4 Dec).
  const hasCoTherapist = (note?.otherKeepers.length ?? 0) > 0;
  const asksFirst = hasCoTherapist && !note?.shareAsked;
  const retention = RETENTION.find((r) => r.days === note?.retainDays)?.value ?? 'keep';
  // Removing them, or keeping them for less time, takes the co-therapist's words too: asked first, as sharing is (attack, 6 Dec).
  const removeAsksFirst = hasCoTherapist && !note?.removalAsked;
  const keptFor = (days: number) => RETENTION.find((r) => r.days === days)?.label ?? `${days} days`;

  // Each step cannot be taken back, so it is opened first; one waiting for the co-therapist's answer is not offered again.
  const steps = note && [
    {
      shown: (!note.sharedAt || note.unsharedSupervisors > 0) && !note.shareAsked?.byMe && note.shareAsked?.waitsForMe !== false, open: sharing, onOpen: () => setSharing(true), onConfirm: () => void act.run(() => shareProcessNote(session.id)),
      label: `${note.shareAsked ? 'Agree to share' : 'Share'} with the ${note.sharedAt ? 'new ' : ''}supervisor…`, confirmLabel: asksFirst ? 'Ask to share' : 'Share for good', tone: 'primary' as const, testId: 'process-share',
    },
    {
      shown: !note.removalAsked?.byMe && note.removalAsked?.waitsForMe !== false, open: confirming, onOpen: () => setConfirming(true), onConfirm: () => void act.run(() => removeProcessNote(session.id)),
      label: note.removalAsked ? 'Agree to remove…' : 'Remove…', confirmLabel: removeAsksFirst ? 'Ask to remove' : 'Remove for good', tone: 'danger' as const, testId: 'process-remove',
    },
  ];

  return (
    <section className="panel process-panel" aria-labelledby="process-title" data-testid="process-panel">
      <h2 className="panel__title" id="process-title">
        Process notes
      </h2>
      <p className="muted panel__hint">
        Your own analysis and reactions, apart from the record: never signed, exported or copied into member notes.
      </p>
      {!note ? (
        <button type="button" className="button button--small" disabled={act.isPending} onClick={() => void act.run(() => createProcessNote(session.id, null))} data-testid="process-create">
          Start process notes
        </button>
      ) : (
        <>
          <p>
            <Link to={`/sessions/${note.processSessionId}`} data-testid="process-open">
              Open the process notes
            </Link>
          </p>
          <p className="muted" data-testid="process-shared">
            {note.sharedAt ? `Shared with the supervisor on ${formatDateTime(note.sharedAt)}${note.sharedBy ? ` by ${note.sharedBy}` : ''}.` : 'Only the therapists can open them.'}
          </p>
          {note.shareAsked && (
            <p className="notice notice--info" data-testid="process-share-asked">
              {note.shareAsked.byMe
                ? `You asked on ${formatDateTime(note.shareAsked.at)} to share them with the supervisor; they are shared once ${othersAgree(note, note.shareAsked)}.`
                : `${note.shareAsked.byName} asked on ${formatDateTime(note.shareAsked.at)} to share them with the supervisor. ${note.shareAsked.waitsForMe ? `They are shared only if ${youAndOthers(note.shareAsked)} agree.` : `You agreed; they are shared once ${othersAgree(note, note.shareAsked)}.`}`}
            </p>
          )}
          {note.removalAsked && (
            <p className="notice notice--info" data-testid="process-removal-asked">
              {note.removalAsked.byMe
                ? `You asked on ${formatDateTime(note.removalAsked.at)} to remove them for good; they are removed once ${othersAgree(note, note.removalAsked)}.`
                : `${note.removalAsked.byName} asked on ${formatDateTime(note.removalAsked.at)} to remove them for good. ${note.removalAsked.waitsForMe ? `They are removed only if ${youAndOthers(note.removalAsked)} agree.` : `You agreed; they are removed once ${othersAgree(note, note.removalAsked)}.`}`}
              {note.removalAsked.byMe && (
                <>
                  {' '}
                  <button type="button" className="button button--small" disabled={act.isPending} onClick={() => void act.run(() => withdrawRemovalAsk(session.id))} data-testid="process-removal-withdraw">
                    Withdraw my ask
                  </button>
                </>
              )}
            </p>
          )}
          {note.retentionAsked && (
            <p className="notice notice--info" data-testid="process-retention-asked">
              {note.retentionAsked.byMe
                ? `You asked on ${formatDateTime(note.retentionAsked.at)} to keep them ${keptFor(note.retentionAsked.retainDays)}; that applies once ${othersAgree(note, note.retentionAsked)}.`
                : `${note.retentionAsked.byName} asked on ${formatDateTime(note.retentionAsked.at)} to keep them ${keptFor(note.retentionAsked.retainDays)}. ${note.retentionAsked.waitsForMe ? `Choose the same to agree${note.retentionAsked.waitingFor.length > 0 ? ` (${inWords(note.retentionAsked.waitingFor)} must too)` : ''}.` : `You agreed; that applies once ${othersAgree(note, note.retentionAsked)}.`}`}
            </p>
          )}
          {isTherapist && (
            <>
              <label className="field">
                <span className="field__label">Keep them</span>
                <select
                  value={retention}
                  disabled={act.isPending}
                  onChange={(e) => {
                    // Read now: by the time the action runs, React has put the controlled select
                    // back to the stored choice, and "30 days" was sent as "until removed" (walk, 4 Dec).
                    const days = RETENTION.find((r) => r.value === e.target.value)!.days;
                    void act.run(() => setProcessRetention(session.id, days));
                  }}
                  data-testid="process-retention"
                >
                  {RETENTION.map((r) => (
                    <option key={r.value} value={r.value}>
                      {r.label}
                    </option>
                  ))}
                </select>
                {note.removesAt && <span className="field__hint">Removed on {formatDateTime(note.removesAt)}.</span>}
              </label>
              <div className="button-row">
                {/* Asked first, as removing is: one press let the supervisor read a therapist's
                    countertransference notes at once, for good (walk, 4 Dec). */}
                {steps?.filter((step) => step.shown).map(({ shown: _, ...step }) => (
                  <StepButton key={step.testId} busy={act.isPending} {...step} />
                ))}
              </div>
              {sharing && (!note.sharedAt || note.unsharedSupervisors > 0) && !note.shareAsked?.byMe && (
                <p className="muted" data-testid="process-share-explain">
                  {asksFirst
                    ? `${askedKeepers(note)} asked to agree; once ${note.otherKeepers.length > 1 ? 'they all' : 'they'} do, the supervisor can open and read these notes. Sharing cannot be taken back.`
                    : 'The supervisor can then open and read these notes. Sharing cannot be taken back.'}
                </p>
              )}
            </>
          )}
        </>
      )}
      <FormError error={act.error} />
    </section>
  );
}

/** Removed for good: said, with no "Start" (a new start is refused, 409: walk, 6 Dec). */
function RemovedPanel({ removedAt }: { removedAt: string }) {
  return (
    <section className="panel process-panel" aria-labelledby="process-title" data-testid="process-panel">
      <h2 className="panel__title" id="process-title">
        Process notes
      </h2>
      <p className="muted" data-testid="process-removed">
        Removed for good on {formatDateTime(removedAt)}. This session’s process notes cannot be started again.
      </p>
    </section>
  );
}
