import type { Authenticated, LoginService } from '../auth/logins';
import type { BlindRegistry } from '../learning/blindRegistry';
import type { MemberRecord, SessionRecord, Store } from '../persistence/ports';

/**
 * One read per key at a time: a caller asking while the same read is out shares its answer (or its
 * failure). Nothing is kept once the read is back, so an answer is never older than a read that
 * had simply taken as long: no cache to invalidate on a logout or a removal.
 */
export function sharedWhileOut<T>(read: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const out = new Map<string, Promise<T>>();
  return (key) => {
    const pending = out.get(key);
    if (pending) return pending;
    const answer = read(key).finally(() => out.delete(key));
    out.set(key, answer);
    return answer;
  };
}

/** What a websocket upgrade reads from storage (upgrade.ts), shared by upgrades that ask at once. */
export interface UpgradeReads {
  login(token: string | undefined): Promise<Authenticated | null>;
  session(sessionId: string): Promise<SessionRecord | null>;
  members(sessionId: string): Promise<MemberRecord[]>;
  /** Reads whether the session is blind into the registry the write gate asks. */
  refreshBlind(sessionId: string): Promise<void>;
}

/**
 * The upgrade's reads, each shared while out. After a restart or a network blip every page of a
 * clinic reconnects at once, and each upgrade made five storage round trips (login, account,
 * session, members, blind setting): 600 of them queued ~3,000 reads on the storage thread, most of
 * them the same few logins and sessions (#17, reconnect storm).
 */
export function upgradeReads(store: Store, logins: LoginService, blind: BlindRegistry): UpgradeReads {
  const login = sharedWhileOut((token) => logins.check(token));
  return {
    login: (token) => (token === undefined ? Promise.resolve(null) : login(token)),
    session: sharedWhileOut((id) => store.sessions.byId(id)),
    members: sharedWhileOut((id) => store.sessions.members(id)),
    refreshBlind: sharedWhileOut((id) => blind.refresh(id)),
  };
}
