import type { AccountSessionView } from '../../shared/domain/session';
import { sessionDate } from '../supervisor/queue';
import type { ServiceDeps } from './deps';
import { removalRefusal } from './membership';

type Deps = Pick<ServiceDeps, 'store'>;

/**
 * The sessions `accountId` is a member of, newest first, as the clinic admin reads them to take a
 * departed or reassigned clinician off their notes (a walk, 4 Dec: the page said "an admin can
 * remove them, giving a reason", and no screen led there). Each says whether an admin's removal
 * would be refused (the same rule `removeMember` applies: a session keeps one therapist).
 * Process notes are left out: they follow their session (membership.ts).
 */
export async function accountSessions(deps: Deps, accountId: string): Promise<AccountSessionView[]> {
  const sessions = await deps.store.sessions.listForAccount(accountId);
  const views = await Promise.all(
    sessions.map(async (s): Promise<AccountSessionView | null> => {
      const [members, process, link] = await Promise.all([
        deps.store.sessions.members(s.id),
        deps.store.memberNotes.processNote(s.id, 'process'),
        deps.store.memberNotes.groupOf(s.id),
      ]);
      const own = members.find((m) => m.accountId === accountId);
      if (!own || process) return null;
      // An admin's removal is not bound by who wrote, so no writers are read.
      const refusal = removalRefusal(members, new Set(), accountId, { kind: 'admin', reason: 'asked' });
      return {
        id: s.id, title: s.title, kind: s.kind, status: s.status, date: new Date(sessionDate(s)).toISOString(),
        role: own.role, groupSessionId: link?.groupSessionId ?? null, notRemovable: refusal?.message ?? null,
      };
    }),
  );
  return views.filter((v): v is AccountSessionView => v !== null).sort((a, b) => b.date.localeCompare(a.date));
}
