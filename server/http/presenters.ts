import type { AccountView } from '../../shared/domain/account';
import type { AuditEntryView, NoteAccessView } from '../../shared/domain/audit';
import { colorForId, sessionColors } from '../../shared/domain/color';
import type { MemberView, SessionView } from '../../shared/domain/session';
import type { AccountRecord, AuditRecord, MemberRecord, SessionRecord } from '../persistence/ports';
import type { NoteReader } from '../services/noteAccess';
import { mayHold } from '../services/memberGrants';
import { accountChangeOf } from '../../shared/domain/signerChange';

const iso = (ms: number) => new Date(ms).toISOString();

export function presentAccount(a: AccountRecord): AccountView {
  return { id: a.id, email: a.email, name: a.name, role: a.role, active: a.active, color: colorForId(a.id), createdAt: iso(a.createdAt) };
}

export function presentSession(
  s: SessionRecord,
  members: MemberRecord[],
  accounts: Map<string, AccountRecord>,
  viewerId: string,
  links: { groupSessionId: string | null; processNoteOf: string | null } = { groupSessionId: null, processNoteOf: null },
  notRemovable: (accountId: string) => string | null = () => null,
): SessionView {
  const colors = sessionColors(members.map((m) => m.accountId));
  const memberViews: MemberView[] = members.map((m) => {
    const a = accounts.get(m.accountId);
    return { userId: m.accountId, name: a?.name ?? 'Unknown', email: a?.email ?? '', role: m.role, color: colors.get(m.accountId)!, addedAt: iso(m.addedAt), notRemovable: notRemovable(m.accountId), holdsRole: mayHold(a, m.role), accountChange: a && !mayHold(a, m.role) ? accountChangeOf(a) : null };
  });
  return {
    id: s.id,
    title: s.title,
    kind: s.kind,
    status: s.status,
    scheduledAt: s.scheduledAt === null ? null : iso(s.scheduledAt),
    date: iso(s.scheduledAt ?? s.startedAt ?? s.createdAt),
    createdAt: iso(s.createdAt),
    createdBy: s.createdBy,
    startedAt: s.startedAt === null ? null : iso(s.startedAt),
    endedAt: s.endedAt === null ? null : iso(s.endedAt),
    groupMembers: s.groupMembers,
    ...links,
    myRole: members.find((m) => m.accountId === viewerId)?.role ?? null,
    members: memberViews,
  };
}

export function presentAudit(e: AuditRecord & { id: number }, accounts: Map<string, AccountRecord>): AuditEntryView {
  return {
    id: e.id, at: iso(e.at), actorId: e.actorId, actorName: e.actorId ? (accounts.get(e.actorId)?.name ?? null) : null,
    action: e.action, sessionId: e.sessionId, detail: e.detail,
  };
}

export function presentNoteReader(r: NoteReader, accounts: Map<string, AccountRecord>, members: MemberRecord[]): NoteAccessView {
  return {
    accountId: r.accountId, name: accounts.get(r.accountId)?.name ?? 'Unknown', role: members.find((m) => m.accountId === r.accountId)?.role ?? null,
    reads: r.reads, firstAt: iso(r.firstAt), lastAt: iso(r.lastAt), ways: [...r.ways].sort(),
  };
}
