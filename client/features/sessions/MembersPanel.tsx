import type * as Y from 'yjs';
import { isLocked } from '../../../shared/domain/lifecycle';
import type { MemberRole } from '../../../shared/domain/roles';
import type { SessionView } from '../../../shared/domain/session';
import { useCurrentUser } from '../../auth/useCurrentUser';
import { AddMemberForm } from './AddMemberForm';
import { MemberRow } from './MemberRow';
import { useReadAgainOnNewWriter } from './useReadAgainOnNewWriter';

/** Therapists first: they write the note. */
const roleOrder: Record<MemberRole, number> = { therapist: 0, supervisor: 1 };

interface MembersPanelProps {
  session: SessionView;
  /** The note, once open: a co-therapist who begins writing in it can no longer be removed. */
  doc: Y.Doc | null;
  onChanged(): void;
}

/** The session's members; its therapists can add and remove them until the note is signed. */
export function MembersPanel({ session, doc, onChanged }: MembersPanelProps) {
  const user = useCurrentUser();
  const canManage = session.myRole === 'therapist' && !isLocked(session.status);
  const hasRemovableCoTherapist = session.members.some((m) => m.role === 'therapist' && m.userId !== user.id && m.notRemovable === null);
  useReadAgainOnNewWriter(doc, canManage && hasRemovableCoTherapist, onChanged);
  const members = [...session.members].sort(
    (a, b) => roleOrder[a.role] - roleOrder[b.role] || a.name.localeCompare(b.name),
  );

  return (
    <section className="panel" aria-labelledby="members-title" data-testid="members-panel">
      <h2 className="panel__title" id="members-title">
        Members
      </h2>
      <ul className="members">
        {members.map((m) => (
          <MemberRow
            key={m.userId}
            sessionId={session.id}
            member={m}
            canRemove={canManage && m.userId !== user.id}
            onRemoved={onChanged}
          />
        ))}
      </ul>
      {canManage && <AddMemberForm session={session} onAdded={onChanged} />}
    </section>
  );
}
