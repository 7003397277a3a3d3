import { useState } from 'react';
import { login } from '../../api/auth';
import { useAuth } from '../../auth/useCurrentUser';
import { AuthCard } from '../../components/AuthCard';
import { Field } from '../../components/Field';
import { useFlash } from '../../components/Flash';
import { FormError } from '../../components/FormError';
import { useSubmit } from '../../components/useSubmit';

export function LoginPage() {
  const { signedIn } = useAuth();
  const flash = useFlash();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { isPending, error, handleSubmit } = useSubmit(
    async () => {
      const user = await login({ email: email.trim(), password });
      flash.clear();
      // The router then leaves /login for the page that sent us here.
      signedIn(user);
    },
    { unauthorizedIsExpiry: false },
  );

  return (
    <AuthCard title="Log in">
      <form className="form" onSubmit={handleSubmit} noValidate>
        <Field label="Email">
          <input
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            data-testid="login-email"
          />
        </Field>
        <Field label="Password">
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            data-testid="login-password"
          />
        </Field>
        <FormError error={error} />
        <button type="submit" className="button button--primary" disabled={isPending} data-testid="login-submit">
          {isPending ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </AuthCard>
  );
}
