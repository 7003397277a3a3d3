import type { LiveEvent } from '../../shared/domain/supervisor';
import type { Store } from '../persistence/ports';
import { readersOf } from '../services/readableSessions';

type Listener = (event: LiveEvent) => void;

/**
 * Tells open pages that something changed for them: new or changed comments on a session, a new
 * notice. Events carry ids only; the page then asks the API, which checks access and audits the
 * read as for any other request. Session events go only to those who may read the session at that
 * moment: its members in a role their account role fits (policies.ts `can`).
 *
 * With several processes, `shareWith` carries each event to the others (over Redis), which
 * deliver it to the pages open on them.
 */
export class LiveEvents {
  private readonly byAccount = new Map<string, Set<Listener>>();
  private readonly ends = new Map<Listener, () => void>();
  private share: ((accountIds: string[], event: LiveEvent) => void) | null = null;

  constructor(private readonly store: Pick<Store, 'sessions' | 'accounts'>) {}

  /** `end` closes the listener's stream (see reconnectAll). Returns the unsubscribe function. */
  subscribe(accountId: string, listener: Listener, end: () => void = () => {}): () => void {
    const set = this.byAccount.get(accountId) ?? new Set();
    set.add(listener);
    this.byAccount.set(accountId, set);
    this.ends.set(listener, end);
    return () => {
      set.delete(listener);
      this.ends.delete(listener);
      if (set.size === 0) this.byAccount.delete(accountId);
    };
  }

  /**
   * Closes every stream open on this process, after events may have been lost (a Redis outage):
   * each page's EventSource reconnects by itself, and a page reads everything again when its
   * stream opens (client/api/liveEvents.ts), so nothing it missed stays missed.
   */
  reconnectAll(): void {
    for (const end of [...this.ends.values()]) end();
  }

  /** Listeners open now for one account. */
  countFor(accountId: string): number {
    return this.byAccount.get(accountId)?.size ?? 0;
  }

  /** Listeners open now (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const set of this.byAccount.values()) n += set.size;
    return n;
  }

  /** Sends every event also to the other processes (`publish`); what they send is given to `deliver`. */
  shareWith(publish: (accountIds: string[], event: LiveEvent) => void): void {
    this.share = publish;
  }

  toAccounts(accountIds: Iterable<string>, event: LiveEvent): void {
    const ids = [...new Set(accountIds)];
    this.deliver(ids, event);
    if (ids.length > 0) this.share?.(ids, event);
  }

  /** To the pages open on this process (an event from another process arrives here). */
  deliver(accountIds: string[], event: LiveEvent): void {
    for (const id of accountIds) for (const listener of this.byAccount.get(id) ?? []) listener(event);
  }

  /** To every page open on this process, whoever's (each process delivers its own: the codebook's word travels as its own control message). */
  deliverToAll(event: LiveEvent): void {
    for (const set of this.byAccount.values()) for (const listener of set) listener(event);
  }

  /**
   * To every member of the session who may read it, with a page open. A member whose account role
   * no longer fits (a therapist made an admin) was told of each change to the session's comments,
   * by id, for as long as their page stayed open (attack, 6 Dec).
   */
  async toSession(sessionId: string, event: LiveEvent): Promise<void> {
    this.toAccounts(await readersOf(this.store, sessionId), event);
  }
}
