import type { ReactNode } from 'react';
import { ThemeToggle } from '../theme/ThemeToggle';
import { FlashMessage } from './Flash';

/** The centred card the login and setup pages sit in, before anyone is signed in. */
export function AuthCard({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-page__tools">
        <ThemeToggle />
      </div>
      <div className="auth-card">
        <p className="brand brand--large">Tandem</p>
        <h1 className="auth-card__title">{title}</h1>
        {intro && <p className="auth-card__intro">{intro}</p>}
        <FlashMessage />
        {children}
      </div>
    </main>
  );
}
