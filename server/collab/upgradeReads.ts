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
export function upgradeReads(store: Store, logins: LoginService, blind: BlindRegistry, epoch: () => number = () => 0): UpgradeReads {
  // A read out since before a revocation is not shared with an upgrade decided after it: its
  // answer may be the one the revocation changed (keyed by `epoch`; see decidedAfterRevocations below).
  const shared = <T>(read: (key: string) => Promise<T>) => {
    const out = sharedWhileOut((keyed: string) => read(keyed.slice(keyed.indexOf(':') + 1)));
    return (key: string) => out(`${epoch()}:${key}`);
  };
  const login = shared((token) => logins.check(token));
  return {
    login: (token) => (token === undefined ? Promise.resolve(null) : login(token)),
    session: shared((id) => store.sessions.byId(id)),
    members: shared((id) => store.sessions.members(id)),
    refreshBlind: shared((id) => blind.refresh(id)),
  };
}

/** Decisions made again when a revocation came while one was being made, before the upgrade is sent to reconnect. */
const DECISIONS_PER_UPGRADE = 3;

/**
 * `decide`, made again while a revocation on this process (a removal, a role change, a logout, a
 * lock) came meanwhile: the revocation closed the connections there were, and an upgrade, not yet
 * one, was let in under the rights its reads found before (attack, 6 Dec: a member removed, or a
 * therapist made an admin, while their upgrade was decided got 101 and the note). A decision
 * dropped frees its socket place (`release`). Past the bound: `gaveUp` (closed 4205, the page
 * reconnects).
 */
export async function decidedAfterRevocations<D extends object>(epoch: () => number, decide: () => Promise<D>, gaveUp: D): Promise<D> {
  for (let n = 0; n < DECISIONS_PER_UPGRADE; n++) {
    const before = epoch();
    const decision = await decide();
    if (epoch() === before) return decision;
    if ('release' in decision && typeof decision.release === 'function') decision.release();
  }
  return gaveUp;
}
