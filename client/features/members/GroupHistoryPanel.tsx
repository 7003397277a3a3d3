import { useQuery } from '@tanstack/react-query';
import { nextSessionTitle } from '../../../shared/domain/nextSessionTitle';
import type { SessionView } from '../../../shared/domain/session';
import { fetchGroupHistory } from '../../api/memberNotes';
import { createSession } from '../../api/sessions';
import { FormError } from '../../components/FormError';
import { PageState } from '../../components/PageState';
import { keepSameSession, keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';
import { useSubmit } from '../../components/useSubmit';
import { formatDateTime, formatDay } from '../../format';
import { Link, navigate } from '../../router';

/**
 * A recurring group over time: its sessions, and for each member their note in each session, so a
 * member's notes line up week to week. Therapists start the next session from here, with the
 * group's labels and team.
 */
export function GroupHistoryPanel({ session, isTherapist }: { session: SessionView; isTherapist: boolean }) {
  // Read again as the session moves on; the last answer (the same group) stays meanwhile.
  const load = {
    state: loadStateOf(useQuery({ queryKey: keys.session(session.id, 'groupHistory', session.status), queryFn: () => fetchGroupHistory(session.id), placeholderData: keepSameSession(session.id) })),
    reload: useStale(keys.session(session.id, 'groupHistory')),
  };
  const next = useSubmit(async () => {
    navigate(`/sessions/${await createSession({ title: nextSessionTitle(session.title, new Date()), kind: 'group', continues: session.id })}`);
  });
  const history = load.state.status === 'ok' ? load.state.data : null;
  // One already planned after this session is the next one: a second click made another of the
  // same title (walk, 4 Dec).
  const here = history ? history.sessions.findIndex((s) => s.id === session.id) : -1;
  const planned = history && here >= 0 ? history.sessions.slice(here + 1).find((s) => s.status === 'scheduled') : undefined;
  const labels = history ? [...new Set(history.sessions.flatMap((s) => s.members.map((m) => m.member)))] : [];

  return (
    <section className="panel" aria-labelledby="group-history-title" data-testid="group-history-panel">
      <h2 className="panel__title" id="group-history-title">
        This group over time
      </h2>
      {!history ? (
        <PageState state={load.state} onRetry={load.reload} what="the group’s sessions" />
      ) : history.sessions.length < 2 ? (
        <p className="muted panel__empty">The first session of this group.</p>
      ) : (
        <div className="group-history">
          <table>
            <thead>
              <tr>
                <th scope="col">Member</th>
                {history.sessions.map((s, i) => (
                  <th scope="col" key={s.id}>
                    {s.id === session.id ? `${i + 1} (this)` : <Link to={`/sessions/${s.id}`}>{i + 1}</Link>}
                    {/* The day only, its time on hover: a column per week stays narrow enough for the panel. */}
                    {s.startedAt && <span className="muted group-history__date" title={formatDateTime(s.startedAt)}>{formatDay(s.startedAt)}</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {labels.map((label) => (
                <tr key={label}>
                  <th scope="row">
                    <span className="member-badge">{label}</span>
                  </th>
                  {history.sessions.map((s) => {
                    const m = s.members.find((x) => x.member === label);
                    return (
                      <td key={s.id} data-testid={`group-history-${label}-${s.id}`}>
                        {/* Attendance beside the note: a member who came late reads so week to week (walk, 4 Dec: only "note" showed). */}
                        {!m ? '—' : m.attendance === 'absent' ? <span className="muted">absent</span> : (
                          <>
                            {m.attendance === 'late' && <span className="muted">late · </span>}
                            {m.noteSessionId ? <Link to={`/sessions/${m.noteSessionId}`}>note</Link> : <span className="muted">·</span>}
                          </>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {isTherapist && planned && (
        <Link to={`/sessions/${planned.id}`} className="button button--small" data-testid="group-next-session-open">
          Open the next session: {planned.title}
        </Link>
      )}
      {isTherapist && !planned && (
        <button type="button" className="button button--small" onClick={() => void next.run()} disabled={next.isPending} data-testid="group-next-session">
          Next session of this group
        </button>
      )}
      <FormError error={next.error} />
    </section>
  );
}
