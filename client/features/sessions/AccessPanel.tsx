import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { NoteReadWay } from '../../../shared/domain/audit';
import { fetchNoteAccess } from '../../api/sessions';
import { PageState } from '../../components/PageState';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';
import { formatDateTime, memberRoleLabel } from '../../format';

/** Each way of reading, as what the person did ("comments" alone read as a way of reading nothing: walk, 4 Dec). */
const wayLabel: Record<NoteReadWay, string> = {
  live: 'opened the note',
  record: 'read its signatures and addenda on the note’s page',
  review: 'read the review',
  replay: 'replayed it',
  timeline: 'read its timeline',
  comments: 'read its comments',
  export: 'exported it',
  concordance: 'read the concordance',
  private: 'read their own private observations',
  queue: 'read a return reason in the review queue',
  sign_check: 'read what it says for a member since, beside that member’s note',
};

/**
 * How often the panel asks again while it is shown: a read by the co-therapist or the supervisor
 * appeared only after Refresh (walk, 4 Dec). Reads are not told live; a page's reads are few.
 */
export const ACCESS_POLL_MS = 30_000;

/**
 * Who has read this session's note, how and when: the audit log's answer, for its members.
 * `opened`: the page's own copy of the note has reached the server (its opening is recorded when
 * the connection is let in). The panel asks again then: asked before, it stayed blank under its
 * heading for half a minute for the first person into a new note (walk, 6 Dec).
 */
export function AccessPanel({ sessionId, opened = false }: { sessionId: string; opened?: boolean }) {
  const state = loadStateOf(useQuery({ queryKey: keys.session(sessionId, 'access'), queryFn: () => fetchNoteAccess(sessionId), refetchInterval: ACCESS_POLL_MS }));
  const reload = useStale(keys.session(sessionId, 'access'));
  useEffect(() => {
    if (opened) void reload();
  }, [opened, reload]);
  return (
    <section className="panel" aria-labelledby="access-title" data-testid="access-panel">
      <h2 className="panel__title" id="access-title">
        Who has read this note
      </h2>
      {state.status === 'ok' && state.data.length === 0 ? (
        <p className="muted panel__empty" data-testid="access-none">
          No reads recorded yet.
        </p>
      ) : state.status === 'ok' ? (
        <ul className="members">
          {state.data.map((r) => (
            <li key={r.accountId} className="members__row" data-testid="access-row">
              <span className="members__who">
                <span className="members__name">{r.name}</span>
                <span className="members__role">{r.role ? memberRoleLabel[r.role] : 'no longer a member'}</span>
                <span className="muted">
                  {r.ways.map((w) => wayLabel[w]).join(', ')} · {r.reads}× · last {formatDateTime(r.lastAt)}
                </span>
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <PageState state={state} onRetry={reload} what="who has read the note" />
      )}
      <button type="button" className="link-button" onClick={reload}>
        Refresh
      </button>
    </section>
  );
}
