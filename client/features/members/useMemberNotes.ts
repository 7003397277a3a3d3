import { useQuery } from '@tanstack/react-query';
import type { SessionView } from '../../../shared/domain/session';
import { fetchMemberNotes } from '../../api/memberNotes';
import { keepSameSession, keys } from '../../query/keys';

/**
 * The session's members with their attendance and notes (`GET /member-notes`), read again when
 * the session moves on or its members change; the last answer (the same session) stays meanwhile,
 * so a focused attendance field is not taken away. The members panel and the end-of-session form
 * share it, so the form starts from what the panel shows. `enabled: false` reads nothing.
 */
export function useMemberNotes(session: SessionView, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: keys.session(session.id, 'memberNotes', session.status, session.groupMembers.join(' ')),
    queryFn: () => fetchMemberNotes(session.id),
    placeholderData: keepSameSession(session.id),
    enabled,
  });
}
