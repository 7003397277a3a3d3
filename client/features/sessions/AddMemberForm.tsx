import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AccountView } from '../../../shared/domain/account';
import { memberRoleSchema, type MemberRole } from '../../../shared/domain/roles';
import type { SessionView } from '../../../shared/domain/session';
import { addMember } from '../../api/sessions';
import { fetchUsers } from '../../api/users';
import { Field } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useSubmit } from '../../components/useSubmit';
import { accountRoleLabel, memberRoleLabel } from '../../format';

interface AddMemberFormProps {
  session: SessionView;
  onAdded(): void;
}

/** Supervisors usually join to watch; anyone else joins to write. */
function defaultRoleFor(account: AccountView | undefined): MemberRole {
  return account?.role === 'supervisor' ? 'supervisor' : 'therapist';
}

export function AddMemberForm({ session, onAdded }: AddMemberFormProps) {
  const state = loadStateOf(useQuery({ queryKey: keys.users, queryFn: () => fetchUsers() }));
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<MemberRole>('therapist');
  const memberIds = new Set(session.members.map((m) => m.userId));
  const candidates = state.status === 'ok' ? state.data.filter((u) => u.active && !memberIds.has(u.id)) : [];

  const { isPending, error, handleSubmit } = useSubmit(async () => {
    await addMember(session.id, userId, role);
    setUserId('');
    setRole('therapist');
    onAdded();
  });

  function handleUserChange(id: string) {
    setUserId(id);
    setRole(defaultRoleFor(candidates.find((u) => u.id === id)));
  }

  return (
    <form className="form form--compact" onSubmit={handleSubmit} aria-label="Add a member">
      <h3 className="panel__subtitle">Add a member</h3>
      <Field label="Person">
        <select value={userId} onChange={(e) => handleUserChange(e.target.value)} data-testid="member-user-select">
          <option value="">{state.status === 'loading' ? 'Loading…' : 'Choose a person'}</option>
          {candidates.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} — {accountRoleLabel[u.role]}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Role in this session">
        <select value={role} onChange={(e) => setRole(memberRoleSchema.parse(e.target.value))} data-testid="member-role-select">
          {memberRoleSchema.options.map((r) => (
            <option key={r} value={r}>
              {memberRoleLabel[r]}
            </option>
          ))}
        </select>
      </Field>
      {state.status === 'error' && <FormError error={state.error} />}
      <FormError error={error} />
      <button type="submit" className="button" disabled={isPending || !userId} data-testid="member-add-submit">
        {isPending ? 'Adding…' : 'Add member'}
      </button>
    </form>
  );
}
