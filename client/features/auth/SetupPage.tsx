import { useState } from 'react';
import { createFirstAccount } from '../../api/auth';
import { useAuth } from '../../auth/useCurrentUser';
import { AuthCard } from '../../components/AuthCard';
import { Field } from '../../components/Field';
import { fieldError, FormError } from '../../components/FormError';
import { useSubmit } from '../../components/useSubmit';
import { ApiError } from '../../api/http';

const MIN_PASSWORD = 10;

/** First visit: create the clinic's admin account (it is logged in straight away). */
export function SetupPage() {
  const { signedIn, reload } = useAuth();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { isPending, error, handleSubmit } = useSubmit(async () => {
    try {
      const user = await createFirstAccount({ name: name.trim(), email: email.trim(), password });
      signedIn(user);
    } catch (err) {
      // Someone else finished setup meanwhile: show the login page instead of a dead end.
      if (err instanceof ApiError && err.status === 409) await reload();
      throw err;
    }
  });

  return (
    <AuthCard title="Set up Tandem" intro="Create the clinic administrator's account. You can add clinicians and supervisors next.">
      <form className="form" onSubmit={handleSubmit} noValidate>
        <Field label="Your name" error={fieldError(error, 'name')}>
          <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" required data-testid="setup-name" />
        </Field>
        <Field label="Email" error={fieldError(error, 'email')}>
          <input
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            autoComplete="username"
            required
            data-testid="setup-email"
          />
        </Field>
        <Field label="Password" hint={`At least ${MIN_PASSWORD} characters.`} error={fieldError(error, 'password')}>
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
            minLength={MIN_PASSWORD}
            required
            data-testid="setup-password"
          />
        </Field>
        <FormError error={error} fields={['name', 'email', 'password']} />
        <button type="submit" className="button button--primary" disabled={isPending} data-testid="setup-submit">
          {isPending ? 'Creating…' : 'Create admin account'}
        </button>
      </form>
    </AuthCard>
  );
}
