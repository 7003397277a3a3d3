import { useState } from 'react';
import { changePassword } from '../../api/auth';
import { Field } from '../../components/Field';
import { fieldError, FormError } from '../../components/FormError';
import { useSubmit } from '../../components/useSubmit';

const MIN_PASSWORD = 10;

export function PasswordChangeForm() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const mismatch = confirm.length > 0 && confirm !== newPassword;
  const { isPending, error, handleSubmit } = useSubmit(async () => {
    setDone(false);
    if (newPassword !== confirm) return;
    await changePassword({ currentPassword, newPassword });
    setCurrent('');
    setNew('');
    setConfirm('');
    setDone(true);
  });

  return (
    <form className="form" onSubmit={handleSubmit} noValidate data-testid="password-form">
      <Field label="Current password" error={fieldError(error, 'currentPassword')}>
        <input type="password" autoComplete="current-password" value={currentPassword} onChange={(e) => setCurrent(e.target.value)} required />
      </Field>
      <Field label="New password" hint={`At least ${MIN_PASSWORD} characters.`} error={fieldError(error, 'newPassword')}>
        <input type="password" autoComplete="new-password" minLength={MIN_PASSWORD} value={newPassword} onChange={(e) => setNew(e.target.value)} required />
      </Field>
      <Field label="Repeat the new password" error={mismatch ? 'The two new passwords differ.' : null}>
        <input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} required />
      </Field>
      <FormError error={error} fields={['currentPassword', 'newPassword']} />
      {done && (
        <p className="form-success" role="status">
          Your password was changed, and every other login of your account has ended.
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={isPending || mismatch || !confirm}>
        {isPending ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
