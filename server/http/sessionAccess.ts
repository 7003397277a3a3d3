import { can, type SessionAction } from '../auth/policies';
import type { Authenticated } from '../auth/logins';
import type { MemberRecord, SessionRecord } from '../persistence/ports';
import type { HttpDeps } from './context';
import { forbidden, notFound } from '../domain/errors';

/** Loads a session the caller may act on, or throws 404 (no such session) / 403 (not allowed). */
export async function loadSessionFor(
  deps: Pick<HttpDeps, 'store'>,
  auth: Authenticated,
  id: string,
  action: SessionAction,
): Promise<SessionRecord & { myMembership: MemberRecord }> {
  const session = await deps.store.sessions.byId(id);
  if (!session) throw notFound('The session');
  const member = await deps.store.sessions.member(id, auth.account.id);
  if (!member || !can(auth.account, action, member.role)) {
    throw forbidden(member ? 'Your role in this session does not allow this.' : 'You are not a member of this session.');
  }
  return { ...session, myMembership: member };
}
