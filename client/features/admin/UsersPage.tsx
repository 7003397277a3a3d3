import { useQuery } from '@tanstack/react-query';
import { queryKeys } from '../../api/queryKeys';
import { fetchUsers } from '../../api/users';
import { PageState } from '../../components/PageState';
import { CreateUserForm } from './CreateUserForm';
import { LoginThrottlesPanel } from './LoginThrottlesPanel';
import { UserRow } from './UserRow';
import { TableScroll } from '../../components/TableScroll';

/** `/admin/users`: every account, with role and activation controls, and a form to add one. */
export function UsersPage() {
  const users = useQuery({ queryKey: queryKeys.users, queryFn: fetchUsers });
  return (
    <div className="page page--with-aside">
      <section className="page__main">
        <h1 className="page__title">Accounts</h1>
        {users.data ? (
          <TableScroll label="Accounts">
            <table className="table" data-testid="users-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...users.data]
                  .sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name))
                  .map((u) => (
                    <UserRow key={u.id} account={u} />
                  ))}
              </tbody>
            </table>
          </TableScroll>
        ) : (
          <PageState query={users} what="accounts" />
        )}
      </section>
      <aside className="page__aside panel">
        <h2 className="panel__title">New account</h2>
        <CreateUserForm />
        <LoginThrottlesPanel />
      </aside>
    </div>
  );
}
