import { useEffect, useRef } from 'react';
import { useAuth, useCurrentUser } from '../../auth/useCurrentUser';
import { usePersonColor } from '../../components/PersonColor';
import { accountRoleLabel } from '../../format';
import { Link, usePathname } from '../../router';
import { useTheme } from '../../theme/ThemeProvider';

/** The signed-in person's menu: who they are, change password, log out. */
export function AccountMenu() {
  const user = useCurrentUser();
  const color = usePersonColor();
  const { choice, choose } = useTheme();
  const { logOut } = useAuth();
  const path = usePathname();
  const menu = useRef<HTMLDetailsElement>(null);

  // A disclosure menu closes when the person goes elsewhere or clicks outside it.
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [path]);
  useEffect(() => {
    function handlePointerDown(event: PointerEvent) {
      const el = menu.current;
      if (el?.open && !el.contains(event.target as Node)) el.open = false;
    }
    function handleKeyDown(event: KeyboardEvent) {
      if (event.key === 'Escape' && menu.current?.open) menu.current.open = false;
    }
    document.addEventListener('pointerdown', handlePointerDown);
    document.addEventListener('keydown', handleKeyDown);
    return () => {
      document.removeEventListener('pointerdown', handlePointerDown);
      document.removeEventListener('keydown', handleKeyDown);
    };
  }, []);

  // The router takes a signed-out person to the login page.
  const handleLogOut = () => void logOut();

  return (
    <details className="account-menu" ref={menu}>
      <summary className="account-menu__summary" data-testid="account-menu">
        {color && <span className="presence-dot" style={{ backgroundColor: color }} title="Your colour in this session" aria-hidden="true" data-testid="account-color" />}
        <span className="account-menu__name">{user.name}</span>
        <span className="account-menu__role">{accountRoleLabel[user.role]}</span>
      </summary>
      <div className="account-menu__panel">
        <p className="account-menu__email">{user.email}</p>
        <Link to="/account" className="account-menu__item">
          Change password
        </Link>
        {choice !== 'system' && (
          <button type="button" className="account-menu__item" onClick={() => choose('system')} data-testid="theme-device">
            Light or dark as the device is set
          </button>
        )}
        <button type="button" className="account-menu__item" onClick={handleLogOut} data-testid="logout">
          Log out
        </button>
      </div>
    </details>
  );
}
