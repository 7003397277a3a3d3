import { DEFAULT_COMPETENCIES, type CompetencyView, type SupervisionNoteView } from '../../shared/domain/supervisor';
import type { Authenticated } from '../auth/logins';
import { forbidden, notFound } from '../domain/errors';
import { mayHold } from '../services/memberGrants';
import type { AccountRecord, CompetencyRecord, MemberRecord, SessionRecord, Store, SupervisionNoteRecord } from '../persistence/ports';

/** Seeds the default competency codebook (idempotent, every process at start). */
export async function seedCompetencies(store: Pick<Store, 'competencies'>): Promise<void> {
  const now = Date.now();
  await store.competencies.ensure(DEFAULT_COMPETENCIES.map((c, i) => ({ ...c, retired: false, position: i, createdAt: now })));
}

export const presentCompetency = (c: CompetencyRecord): CompetencyView => ({ id: c.id, name: c.name, description: c.description, retired: c.retired });

/**
 * The session, if the caller may read and write its supervision notes: its supervisor or one of
 * its two therapists, acting in the account role that fits (an admin never, a non-member never).
 * A separate rule from the note's (`auth/policies.ts`): nobody else's role reaches these notes.
 */
export async function loadForSupervision(store: Store, auth: Authenticated, sessionId: string): Promise<{ session: SessionRecord; members: MemberRecord[]; me: MemberRecord }> {
  const session = await store.sessions.byId(sessionId);
  if (!session) throw notFound('The session');
  const members = await store.sessions.members(sessionId);
  const me = members.find((m) => m.accountId === auth.account.id);
  if (!me || !mayHold(auth.account, me.role)) throw forbidden('Supervision notes are for this session’s supervisor and therapists only.');
  return { session, members, me };
}

export function presentSupervisionNote(
  n: SupervisionNoteRecord,
  accounts: Map<string, AccountRecord>,
  members: MemberRecord[],
  codebook: Map<string, CompetencyRecord>,
): SupervisionNoteView {
  const name = (id: string) => accounts.get(id)?.name ?? 'Former member';
  return {
    id: n.id, authorId: n.authorId, authorName: name(n.authorId), authorRole: members.find((m) => m.accountId === n.authorId)?.role ?? null,
    aboutId: n.aboutId, aboutName: n.aboutId ? name(n.aboutId) : null, body: n.body,
    codes: n.codes.map((id) => ({ id, name: codebook.get(id)?.name ?? id })), createdAt: new Date(n.createdAt).toISOString(),
  };
}
