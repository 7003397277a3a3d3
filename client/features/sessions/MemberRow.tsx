import type { MemberView } from '../../../shared/domain/session';
import { removeMember } from '../../api/sessions';
import { FormError } from '../../components/FormError';
import { useSubmit } from '../../components/useSubmit';
import { memberRoleLabel } from '../../format';

interface MemberRowProps {
  sessionId: string;
  member: MemberView;
  canRemove: boolean;
  onRemoved(): void;
}

export function MemberRow({ sessionId, member, canRemove, onRemoved }: MemberRowProps) {
  const { isPending, error, run } = useSubmit(async () => {
    if (!window.confirm(`Remove ${member.name} from this session? They will lose access to the note.`)) return;
    await removeMember(sessionId, member.userId);
    onRemoved();
  });

  return (
    <li className="members__row" data-testid="member-row">
      <span className="presence-dot" style={{ backgroundColor: member.color }} aria-hidden="true" />
      <span className="members__who">
        <span className="members__name">{member.name}</span>
        <span className="members__role">{memberRoleLabel[member.role]}</span>
      </span>
      {canRemove && member.notRemovable && (
        <span className="members__kept muted" data-testid="member-kept">
          {member.notRemovable}
        </span>
      )}
      {canRemove && !member.notRemovable && (
        <button
          type="button"
          className="link-button link-button--danger"
          onClick={() => void run()}
          disabled={isPending}
          aria-label={`Remove ${member.name}`}
          data-testid="member-remove"
        >
          Remove
        </button>
      )}
      <FormError error={error} />
    </li>
  );
}
