import { useQuery } from '@tanstack/react-query';
import { ColumnHeads } from '../../components/ColumnHeads';
import { useState, type FormEvent } from 'react';
import type { AccountView } from '../../../shared/domain/account';
import type { AccountSessionView } from '../../../shared/domain/session';
import { removeMember } from '../../api/sessions';
import { fetchAccountSessions, fetchUsers } from '../../api/users';
import { Field } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { PageState } from '../../components/PageState';
import { TableScroll } from '../../components/TableScroll';
import { useSubmit } from '../../components/useSubmit';
import { formatDateTime, kindLabel, memberRoleLabel, statusLabel } from '../../format';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';
import { Link } from '../../router';

interface RemovalProps {
  account: AccountView;
  session: AccountSessionView;
  onRemoved(): Promise<void>;
}

/** Remove… opens a reason field; the removal is sent with it (the server keeps it in the audit log). */
function Removal({ account, session, onRemoved }: RemovalProps) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const remove = useSubmit(async () => {
    await removeMember(session.id, account.id, reason.trim());
    await onRemoved();
  });
  if (session.notRemovable) return <span className="muted" data-testid="account-session-kept">{session.notRemovable}</span>;
  if (!asking) {
    return (
      <button
        type="button"
        className="button button--small"
        onClick={() => setAsking(true)}
        aria-label={`Remove ${account.name} from ${session.title}…`}
        data-testid="account-session-remove"
      >
        Remove…
      </button>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void remove.run();
  };
  return (
    <form className="form" onSubmit={submit} data-testid="account-session-removal">
      <Field label={`Why remove ${account.name} from “${session.title}”?`} hint="Kept in the audit log with your name.">
        <input value={reason} onChange={(e) => setReason(e.target.value)} minLength={3} maxLength={500} required autoFocus />
      </Field>
      <span className="button-row">
        <button type="submit" className="button button--small button--danger" disabled={remove.isPending || reason.trim().length < 3}>
          Remove from this session
        </button>
        <button type="button" className="button button--small" onClick={() => setAsking(false)} disabled={remove.isPending}>
          Cancel
        </button>
      </span>
      <FormError error={remove.error} />
    </form>
  );
}

const roleIn = (s: AccountSessionView) => (s.groupSessionId ? `${memberRoleLabel[s.role]} · member note` : memberRoleLabel[s.role]);

/**
 * `/admin/users/:id`: the sessions an account is a member of, for the clinic admin to take a
 * clinician who left or was reassigned off their notes, with a reason. Unlike a therapist, an
 * admin may remove one who has written in the note or whose note is signed (membership.ts).
 */
export function AccountSessionsPage({ id }: { id: string }) {
  const users = loadStateOf(useQuery({ queryKey: keys.users, queryFn: () => fetchUsers() }));
  const sessions = loadStateOf(useQuery({ queryKey: keys.accountSessions(id), queryFn: () => fetchAccountSessions(id) }));
  const reload = useStale(keys.users);
  const account = users.status === 'ok' ? users.data.find((a) => a.id === id) : undefined;
  return (
    <div className="page">
      <p>
        <Link to="/admin/users">← Accounts</Link>
      </p>
      <h1 className="page__title">Sessions of {account?.name ?? 'this account'}</h1>
      <p className="muted">
        Removing someone from a session ends their access to its note at once (their open pages close), and to its process notes
        and unsigned member notes. What they wrote stays in the note, credited to them.
      </p>
      {sessions.status === 'ok' && account ? (
        sessions.data.length === 0 ? (
          <p data-testid="account-sessions-none">{account.name} is a member of no session.</p>
        ) : (
          <TableScroll label={`Sessions of ${account.name}`}>
            <table className="table" data-testid="account-sessions">
              <ColumnHeads names={['Session', 'Date', 'State', 'Role']} />
              <tbody>
                {sessions.data.map((s) => (
                  <tr key={s.id} data-testid="account-session-row">
                    <td>
                      {s.title} <span className="muted">({kindLabel[s.kind]})</span>
                    </td>
                    <td>{formatDateTime(s.date)}</td>
                    <td>{statusLabel[s.status]}</td>
                    <td>{roleIn(s)}</td>
                    <td className="table__actions">
                      <Removal account={account} session={s} onRemoved={reload} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )
      ) : (
        // The sessions answer 404 for an unknown account; the accounts list is read first here only to name it.
        <PageState state={sessions.status === 'ok' ? users : sessions} onRetry={reload} what="sessions" />
      )}
    </div>
  );
}
