import * as Y from 'yjs';
import type { Connection } from './Connection';
import { TimeBudget } from './timeBudget';

/**
 * Bytes of held updates (see HeldUpdates) one account may have across all notes of this process.
 * An honest client holds a co-therapist's edits a crash lost, a few keystrokes' worth; a member
 * with 16 sockets each holding 4 MiB, in as many notes as she could open, grew the process by
 * 64 MB a note (attack, 2 Dec).
 */
export const MAX_HELD_BYTES_PER_ACCOUNT = 4 * 1024 * 1024;

/** Held updates per connection (within the account's bytes). */
const MAX_HELD_PER_CONNECTION = 64;

/**
 * Time one account's held updates may take to be judged again, per window (ms): a tenth of a core.
 * Held letters placed after the co-therapist's next characters become judgeable at each keystroke
 * of hers, one letter going in each time: judged again whole every time, 70 of them cost each of
 * her keystrokes 0.3–0.8 s (re-check, 2 Dec). Past it they wait for the next window.
 */
export const REJUDGE_BUDGET = { ms: 100, windowMs: 1000 };

/** What each account holds across the process's notes, in bytes, and the time its held updates took to judge again; one per CollabServer. */
export class HeldBudget {
  private readonly bytes = new Map<string, number>();
  private readonly judging: TimeBudget;

  constructor(
    private readonly maxBytes = MAX_HELD_BYTES_PER_ACCOUNT,
    time = REJUDGE_BUDGET,
    now?: () => number,
  ) {
    this.judging = new TimeBudget(time, now);
  }

  /** How long until `account`'s held updates may be judged again, ms (0: now). */
  judgingWait(account: string): number {
    return this.judging.wait(account);
  }

  /** Counts `ms` spent judging `account`'s held updates again. */
  judged(account: string, ms: number): void {
    this.judging.spend(account, ms);
  }

  /** Counts `n` more bytes against `account`; false (nothing counted) past the bound. */
  take(account: string, n: number): boolean {
    const now = this.bytes.get(account) ?? 0;
    if (now + n > this.maxBytes) return false;
    this.bytes.set(account, now + n);
    return true;
  }

  give(account: string, n: number): void {
    const left = (this.bytes.get(account) ?? 0) - n;
    if (left > 0) this.bytes.set(account, left);
    else this.bytes.delete(account);
  }
}

/** What a held update's sender must tell: whether it is still connected, and its account. */
type Sender = Pick<Connection, 'isOpen' | 'principal'>;

/** A held update and what it waits for: per client, the clock the note must reach (waitsOn below); null: judged at every release. */
export interface Held<C extends Sender = Connection> {
  readonly conn: C;
  readonly update: Uint8Array;
  readonly waitsOn: ReadonlyMap<number, number> | null;
}

/**
 * One note's updates that wait for parts it does not have yet, oldest first. Such an update can go
 * in only once the note gains the clocks it lacks (its own earlier ones, those its items sit next
 * to or in, those it deletes); until then judging it again does nothing. Judging
 * every held update after every applied one made each keystroke of the note cost in proportion
 * to all that was held: 1.1 s with 256 held updates of 6,000 items (attack, 2 Dec).
 */
export class HeldUpdates<C extends Sender = Connection> {
  private list: Held<C>[] = [];

  constructor(private readonly budget: HeldBudget) {}

  get size(): number {
    return this.list.length;
  }

  /**
   * Holds `update` of `conn`; false (nothing held) past the connection's count or its account's
   * bytes. `clock`: the note's next clock per client; null: it waits for something else (the
   * note's build), judged at every release.
   */
  add(conn: C, update: Uint8Array, clock: ((client: number) => number) | null): boolean {
    if (this.list.filter((h) => h.conn === conn).length >= MAX_HELD_PER_CONNECTION) return false;
    if (!this.budget.take(conn.principal.accountId, update.byteLength)) return false;
    this.list.push({ conn, update, waitsOn: clock && waitsOn(update, clock) });
    return true;
  }

  /**
   * The held updates worth judging again: of open connections, the note now has clocks one waited
   * for (or always judged), oldest first; those of an account past its judging time wait, and
   * `retryIn` says when to ask again (ms; null: none wait so).
   */
  due(clock: (client: number) => number): Held<C>[] {
    // A connection the server closed (access revoked) may not answer for 30 s, and `forget` waits
    // for its socket's 'close': its held text was applied after a removal, credited to the removed.
    for (const h of this.list.filter((x) => !x.conn.isOpen)) this.remove(h);
    this.retryIn = null;
    return this.list.filter((h) => {
      if (h.waitsOn !== null && ![...h.waitsOn].some(([client, at]) => clock(client) >= at)) return false;
      const wait = this.budget.judgingWait(h.conn.principal.accountId);
      if (wait > 0) this.retryIn = Math.min(this.retryIn ?? wait, wait);
      return wait === 0;
    });
  }

  /** After `due`: in how many ms updates that wait for their account's judging time may be judged (null: none). */
  retryIn: number | null = null;

  /** Counts the time `h` took to judge again against its account. */
  judged(h: Held<C>, ms: number): void {
    this.budget.judged(h.conn.principal.accountId, ms);
  }

  /** `h` went in, was refused, or its connection left. */
  remove(h: Held<C>): void {
    const at = this.list.indexOf(h);
    if (at < 0) return;
    this.list.splice(at, 1);
    this.budget.give(h.conn.principal.accountId, h.update.byteLength);
  }

  /** `h` judged again: what still waits of it, in its place. */
  replace(h: Held<C>, update: Uint8Array, clock: (client: number) => number): void {
    const at = this.list.indexOf(h);
    if (at < 0) return;
    this.budget.give(h.conn.principal.accountId, h.update.byteLength - update.byteLength);
    this.list[at] = { conn: h.conn, update, waitsOn: waitsOn(update, clock) };
  }

  /** Drops what a connection that left was holding (its client sends it again when it returns). */
  forget(conn: C): void {
    for (const h of this.list.filter((x) => x.conn === conn)) this.remove(h);
  }
}

/**
 * What `update` waits for, given the note's next clock per client: per client, the clock the note
 * must reach before any more of it can go in (its own first missing clocks, and the clocks of
 * others' characters it sits next to, in or deletes that the note lacks). Only those: clients it
 * refers to that the note already has do not count, or a member's held letters placed next to her
 * co-therapist's words were judged again at every keystroke of hers (re-check, 2 Dec: 725 ms each).
 * Empty: nothing the note can gain helps it (it refers to its own later clocks); it is never due.
 */
function waitsOn(update: Uint8Array, clock: (client: number) => number): Map<number, number> {
  const { structs, ds } = Y.decodeUpdate(update);
  const needs = new Map<number, number>();
  const need = (client: number, at: number) => {
    if (clock(client) < at) needs.set(client, Math.min(needs.get(client) ?? at, at));
  };
  const first = new Set<number>();
  for (const s of structs) {
    const client = s.id.client;
    if (!first.has(client)) {
      first.add(client);
      need(client, s.id.clock);
    }
    if (!(s instanceof Y.Item)) continue;
    for (const dep of [s.origin, s.rightOrigin, s.parent instanceof Y.ID ? s.parent : null]) {
      if (dep && dep.client !== client) need(dep.client, dep.clock + 1);
    }
  }
  for (const [client, ranges] of ds.clients) for (const r of ranges) need(client, r.clock + r.len);
  return needs;
}
