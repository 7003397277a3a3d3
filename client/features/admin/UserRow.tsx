import type { AccountView } from '../../../shared/domain/account';
import { accountRoleSchema, type AccountRole } from '../../../shared/domain/roles';
import { endLogins, updateUser } from '../../api/users';
import { useCurrentUser } from '../../auth/useCurrentUser';
import { FormError } from '../../components/FormError';
import { useSubmit } from '../../components/useSubmit';
import { accountRoleLabel } from '../../format';
import { Link } from '../../router';

interface UserRowProps {
  account: AccountView;
  onChanged(): void;
}

/**
 * One account with its role picker and (de)activation; admins cannot lock themselves out here.
 * Each field's `data-label` names it on a phone, where the row is a card (`table--stacked`).
 */
export function UserRow({ account, onChanged }: UserRowProps) {
  const me = useCurrentUser();
  const isMe = me.id === account.id;
  // Asked first: a role or an activation changed by a slip of the mouse took effect at once (walk, 4 Dec).
  const { isPending, error, run } = useSubmit(async (patch: { role?: AccountRole; active?: boolean }) => {
    const question =
      patch.role !== undefined
        ? `Make ${account.name} ${patch.role === 'admin' ? 'an' : 'a'} ${accountRoleLabel[patch.role]}? Their open notes reconnect under the new role; the sessions they are a member of keep them in the role they have there.`
        : patch.active === false
          ? `Deactivate ${account.name}? Every login of theirs ends and they cannot log in until reactivated. They stay members of their sessions.`
          : `Reactivate ${account.name}? They can log in again.`;
    if (!window.confirm(question)) return;
    await updateUser(account.id, patch);
    onChanged();
  });
  const logout = useSubmit(async () => {
    if (!window.confirm(`End every login of ${account.name}? Their open notes close and they must log in again.`)) return;
    await endLogins(account.id);
  });

  return (
    <tr className={account.active ? undefined : 'table__row--muted'} data-testid="user-row">
      <td>
        {/* The name leads to the account's sessions, to change its memberships; admins are members of none. */}
        {account.role === 'admin' ? (
          account.name
        ) : (
          <Link to={`/admin/users/${encodeURIComponent(account.id)}`} title={`Sessions of ${account.name}`} data-testid="user-sessions">
            {account.name}
          </Link>
        )}
        {isMe && <span className="muted"> (you)</span>}
        <FormError error={error ?? logout.error} />
      </td>
      <td data-label="Email">{account.email}</td>
      <td data-label="Role">
        <select
          aria-label={`Role of ${account.name}`}
          value={account.role}
          disabled={isMe || isPending}
          onChange={(e) => void run({ role: accountRoleSchema.parse(e.target.value) })}
          data-testid="user-role-select"
        >
          {accountRoleSchema.options.map((r) => (
            <option key={r} value={r}>
              {accountRoleLabel[r]}
            </option>
          ))}
        </select>
      </td>
      <td data-label="Status">
        <span className={`status ${account.active ? 'status--live' : 'status--inactive'}`}>
          {account.active ? 'Active' : 'Deactivated'}
        </span>
      </td>
      <td className="table__actions">
        {!isMe && (
          <span className="button-row button-row--end">
            <button
              type="button"
              className="button button--small"
              disabled={isPending}
              onClick={() => void run({ active: !account.active })}
              data-testid="user-toggle-active"
            >
              {account.active ? 'Deactivate' : 'Reactivate'}
            </button>
            {account.active && (
              <button type="button" className="button button--small" disabled={logout.isPending} onClick={() => void logout.run()} data-testid="user-end-logins">
                End logins
              </button>
            )}
          </span>
        )}
      </td>
    </tr>
  );
}
