import { useQuery } from '@tanstack/react-query';
import { ColumnHeads } from '../../components/ColumnHeads';
import { fetchUsers } from '../../api/users';
import { PageState } from '../../components/PageState';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';
import { CreateUserForm } from './CreateUserForm';
import { LoginThrottlesPanel } from './LoginThrottlesPanel';
import { UserRow } from './UserRow';
import { TableScroll } from '../../components/TableScroll';

/** `/admin/users`: every account, with role and activation controls, and a form to add one. */
export function UsersPage() {
  const state = loadStateOf(useQuery({ queryKey: keys.users, queryFn: () => fetchUsers() }));
  const reload = useStale(keys.users);
  return (
    <div className="page page--with-aside">
      <section className="page__main">
        <h1 className="page__title">Accounts</h1>
        <p className="muted">A clinician’s or supervisor’s name leads to their sessions, where you can take them off one (for instance when they leave the clinic).</p>
        {state.status === 'ok' ? (
          <TableScroll label="Accounts">
            <table className="table table--stacked" data-testid="users-table">
              <ColumnHeads names={['Name', 'Email', 'Role', 'Status']} />
              <tbody>
                {[...state.data]
                  .sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name))
                  .map((u) => (
                    <UserRow key={u.id} account={u} onChanged={reload} />
                  ))}
              </tbody>
            </table>
          </TableScroll>
        ) : (
          <PageState state={state} onRetry={reload} what="accounts" />
        )}
      </section>
      <aside className="page__aside panel">
        <h2 className="panel__title">New account</h2>
        <CreateUserForm onCreated={reload} />
        <LoginThrottlesPanel />
      </aside>
    </div>
  );
}
