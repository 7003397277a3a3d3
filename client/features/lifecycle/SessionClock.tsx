import { useState } from 'react';
import { formatDuration, formatOffset } from '../../../shared/domain/observation';
import type { SessionView } from '../../../shared/domain/session';
import { endSession, startSession } from '../../api/lifecycle';
import type { Attendance } from '../../api/memberNotes';
import { FormError } from '../../components/FormError';
import { PageState } from '../../components/PageState';
import { useSubmit } from '../../components/useSubmit';
import { loadStateOf } from '../../query/loadState';
import { useMemberNotes } from '../members/useMemberNotes';
import { EndGroupSession } from './EndGroupSession';
import { useElapsed } from './useElapsed';

interface SessionClockProps {
  session: SessionView;
  /** Therapists start and end the session; everyone sees the clock. */
  canControl: boolean;
  /** Reads the session again; Start and End stay held until it is read (a second press found it still scheduled). */
  onChanged(): Promise<void>;
}

/** The session clock: elapsed mm:ss from the server's start time, with Start and End for therapists. */
export function SessionClock({ session, canControl, onChanged }: SessionClockProps) {
  const elapsed = useElapsed(session.startedAt, session.endedAt);
  const start = useSubmit(async () => {
    await startSession(session.id);
    await onChanged();
  });
  // A group session ends with its attendance confirmed (EndGroupSession); an individual one on a confirm.
  const isGroup = session.kind === 'group' && session.groupMembers.length > 0;
  const [confirming, setConfirming] = useState(false);
  const attendance = useMemberNotes(session, { enabled: confirming });
  const end = useSubmit(async (confirmed?: Record<string, Attendance>) => {
    if (!confirmed && !window.confirm('End the session? The clock stops, and anything written afterwards is labelled as a late entry.')) return;
    await endSession(session.id, confirmed);
    setConfirming(false);
    await onChanged();
  });
  const attendanceState = loadStateOf(attendance);

  return (
    <div className="clock" data-testid="session-clock">
      {elapsed === null ? (
        <span className="clock__time clock__time--idle">Not started</span>
      ) : (
        <span className="clock__time" role="timer" aria-label="Time after the start" data-testid="clock-time">
          {session.endedAt ? `Lasted ${formatDuration(elapsed)}` : formatOffset(elapsed)}
        </span>
      )}
      {canControl && session.status === 'scheduled' && (
        <button type="button" className="button button--small button--primary" onClick={() => void start.run()} disabled={start.isPending} data-testid="session-start">
          {start.isPending ? 'Starting…' : 'Start session'}
        </button>
      )}
      {canControl && session.status === 'live' && (
        <button
          type="button"
          className="button button--small"
          onClick={() => (isGroup ? setConfirming(true) : void end.run())}
          disabled={end.isPending || confirming}
          data-testid="session-end"
        >
          {end.isPending ? 'Ending…' : 'End session'}
        </button>
      )}
      {confirming && session.status === 'live' && (attendanceState.status === 'ok' ? (
        <EndGroupSession members={attendanceState.data.members} ending={end.isPending} onEnd={(a) => void end.run(a)} onCancel={() => setConfirming(false)} />
      ) : (
        <PageState state={attendanceState} onRetry={() => void attendance.refetch()} what="the members’ attendance" />
      ))}
      <FormError error={start.error ?? end.error} />
    </div>
  );
}
