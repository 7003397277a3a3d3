import type { LoginService } from '../auth/logins';
import type { CollabServer } from '../collab/CollabServer';
import type { Logger } from '../log';
import type { Store } from '../persistence/ports';
import type { AccessRevocation } from './accessRevocation';

/**
 * Keeps open sockets honest about their logins: writing or moving the cursor counts as use of the
 * login (so a clinician typing for an hour is not logged out), and a socket whose login expired,
 * was logged out elsewhere, or whose account was deactivated is closed at once.
 */
export function watchLogins(
  deps: { collab: Pick<CollabServer, 'connections'>; access: AccessRevocation; store: Store; logins: LoginService; log: Logger },
  everyMs: number,
): () => void {
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const byLogin = new Map<string, ReturnType<CollabServer['connections']>>();
      for (const c of deps.collab.connections()) byLogin.set(c.principal.loginId, [...(byLogin.get(c.principal.loginId) ?? []), c]);
      const now = Date.now();
      for (const [loginId, conns] of byLogin) {
        const login = await deps.store.logins.get(loginId);
        const lastUse = Math.max(login?.lastSeenAt ?? 0, ...conns.map((c) => c.lastActivityAt));
        if (!login || deps.logins.isExpired(lastUse, login.createdAt, now)) {
          if (login) await deps.logins.end(loginId);
          deps.access.loginEnded(loginId, 'login expired');
        } else if (lastUse > login.lastSeenAt) {
          await deps.store.logins.touch(loginId, lastUse);
        }
      }
      await deps.logins.purgeExpired(now);
    } catch (err) {
      deps.log.error('login sweep failed', { err });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
