import { useState } from 'react';
import { accountRoleSchema, type AccountRole } from '../../../shared/domain/roles';
import { createUser } from '../../api/users';
import { Field } from '../../components/Field';
import { fieldError, FormError } from '../../components/FormError';
import { useSubmit } from '../../components/useSubmit';
import { accountRoleLabel } from '../../format';

const MIN_PASSWORD = 10;

export function CreateUserForm({ onCreated }: { onCreated(): void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<AccountRole>('clinician');
  const [created, setCreated] = useState<string | null>(null);
  const { isPending, error, handleSubmit } = useSubmit(async () => {
    setCreated(null);
    await createUser({ name: name.trim(), email: email.trim(), password, role });
    setCreated(name.trim());
    setName('');
    setEmail('');
    setPassword('');
    onCreated();
  });

  return (
    <form className="form" onSubmit={handleSubmit} noValidate>
      <Field label="Name" error={fieldError(error, 'name')}>
        <input value={name} onChange={(e) => setName(e.target.value)} required data-testid="user-name-input" />
      </Field>
      <Field label="Email" error={fieldError(error, 'email')}>
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required data-testid="user-email-input" />
      </Field>
      <Field
        label="First password"
        hint={`At least ${MIN_PASSWORD} characters. Hand it over in person; they can change it under their account.`}
        error={fieldError(error, 'password')}
      >
        <input
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          data-testid="user-password-input"
        />
      </Field>
      <Field label="Role" error={fieldError(error, 'role')}>
        <select value={role} onChange={(e) => setRole(accountRoleSchema.parse(e.target.value))} data-testid="user-role-input">
          {accountRoleSchema.options.map((r) => (
            <option key={r} value={r}>
              {accountRoleLabel[r]}
            </option>
          ))}
        </select>
      </Field>
      <FormError error={error} fields={['name', 'email', 'password', 'role']} />
      {created && (
        <p className="form-success" role="status">
          Account for {created} created.
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={isPending} data-testid="create-user-submit">
        {isPending ? 'Creating…' : 'Create account'}
      </button>
    </form>
  );
}
