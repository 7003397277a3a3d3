import type { LiveEvent } from '../../shared/domain/supervisor';
import type { Store } from '../persistence/ports';

type Listener = (event: LiveEvent) => void;

/**
 * Tells open pages that something changed for them: new or changed comments on a session, a new
 * notice. Events carry ids only; the page then asks the API, which checks access and audits the
 * read as for any other request. Session events go only to the session's members at that moment.
 *
 * In this process only: with several processes behind a load balancer, a page on another process
 * learns of the change at its next load (see README, "Live comment threads").
 */
export class LiveEvents {
  private readonly byAccount = new Map<string, Set<Listener>>();

  constructor(private readonly store: Pick<Store, 'sessions'>) {}

  subscribe(accountId: string, listener: Listener): () => void {
    const set = this.byAccount.get(accountId) ?? new Set();
    set.add(listener);
    this.byAccount.set(accountId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byAccount.delete(accountId);
    };
  }

  /** Listeners open now (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const set of this.byAccount.values()) n += set.size;
    return n;
  }

  toAccounts(accountIds: Iterable<string>, event: LiveEvent): void {
    for (const id of new Set(accountIds)) for (const listener of this.byAccount.get(id) ?? []) listener(event);
  }

  /** To every member of the session with a page open. */
  async toSession(sessionId: string, event: LiveEvent): Promise<void> {
    const members = await this.store.sessions.members(sessionId);
    this.toAccounts(members.map((m) => m.accountId), event);
  }
}
