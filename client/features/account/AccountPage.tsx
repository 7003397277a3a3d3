import { useCurrentUser } from '../../auth/useCurrentUser';
import { accountRoleLabel } from '../../format';
import { PasswordChangeForm } from './PasswordChangeForm';

export function AccountPage() {
  const user = useCurrentUser();
  return (
    <div className="page page--narrow">
      <h1 className="page__title">Your account</h1>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{user.name}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Role</dt>
        <dd>{accountRoleLabel[user.role]}</dd>
      </dl>
      <section className="panel">
        <h2 className="panel__title">Change password</h2>
        <PasswordChangeForm />
      </section>
    </div>
  );
}
