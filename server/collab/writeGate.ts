import * as Y from 'yjs';
import { CHUNK_BYTES } from '../../shared/protocol/updateParts';
import { isLocked } from '../../shared/domain/lifecycle';
import type { Logger } from '../log';
import { isBigUpdate, judgeInLine, type JudgeBigUpdate } from './bigUpdate';
import { BigUpdateLane, type Judged } from './bigUpdateLane';
import type { Connection } from './Connection';
import { noteShape } from './noteShape';
import type { KnownState, UpdateFacts } from './updateFacts';
import type { GateNote, WriteGuard, AfterApply, WriteRefusal } from './gatePorts';
import { inspectUpdate, splitUpdate } from './updateGate';
import { guardedView, type GuardedNote } from './guardedNote';
import { HeldUpdates, type HeldBudget } from './heldUpdates';
import { firstRefusal, runAfterApply } from './gateSteps';
import { closeForFailure } from './messageFailure';
import * as wire from './wire';

export type { AfterApply, GateNote, WriteGuard, WriteRefusal, Writer } from './gatePorts';

/**
 * What became of a client's update. `waiting`: what still depends on parts the note does not have
 * (the rest of it went in when `applied` is true).
 */
type Outcome = 'applied' | 'refused' | 'unchanged' | { waiting: Uint8Array; applied: boolean };

/** What the write gate is given: the guards and after-apply steps features plug in, and where it reports. */
export interface WriteGateDeps {
  guards: WriteGuard[];
  afterApply: AfterApply[];
  log: Logger;
  /** Where big updates are judged (a worker thread in the server); in line when absent. */
  judgeBigUpdate?: JudgeBigUpdate;
  /** The account whose presence announced a Yjs client id in the note, if any (NotePresence.announcerOf). */
  announcerOf(clientId: number): string | null;
  /** What each account holds across the process's notes (heldUpdates.ts): one per process. */
  heldBudget: HeldBudget;
  /** Handling an update failed inside the server (messageFailure.ts). */
  onServerError?(): void;
}

/** What a read-only connection (a supervisor, a member note's reader) is told of any change it sends. */
export const READ_ONLY: WriteRefusal = { code: 'read_only', message: 'This connection is read-only; the edit was not applied.' };

/**
 * The receive path of one note: decode → set aside what is under someone else's client id →
 * judge what the update would do (updateGate) → guards → apply, or hold what cannot go in yet.
 * Nothing a client sends is applied unjudged.
 */
export class WriteGate {
  /** Updates that wait for parts the note does not have yet (heldUpdates.ts). */
  private readonly held: HeldUpdates;
  /** A release asked for once an account's judging time is there again. */
  private retry: NodeJS.Timeout | null = null;
  /**
   * Client ids whose updates were refused, per connection. The sender's later updates under such
   * an id start after a clock the note will never have: they are refused at once, not held.
   */
  private readonly refusedWriters = new WeakMap<Connection, Set<number>>();
  /** Big updates: judged off the event loop, applied in pieces (bigUpdateLane.ts). */
  private readonly lane: BigUpdateLane;

  /** The note as guards and after-apply steps see it. */
  private readonly view: GuardedNote;

  constructor(
    private readonly note: GateNote,
    private readonly deps: WriteGateDeps,
  ) {
    this.view = guardedView(note);
    this.held = new HeldUpdates(deps.heldBudget);
    this.lane = new BigUpdateLane(note, this, deps.judgeBigUpdate ?? judgeInLine, deps.log, deps.onServerError);
  }

  /** Handles one update from a client. Throws WireError for bytes that are not a Yjs update. */
  receive(conn: Connection, update: Uint8Array): void {
    // readOnlyGuard refuses every change a reader sends; a big update of theirs is refused before
    // the lane judges it, which takes the whole note (attack, 4 Dec: a supervisor's 20 KB frames).
    if (!conn.canWrite && isBigUpdate(update)) {
      this.deps.log.info('update refused', { sessionId: this.note.sessionId, connectionId: conn.id, code: READ_ONLY.code });
      return void conn.send(wire.encodeNotice({ type: 'refused', ...READ_ONLY }));
    }
    if (!this.lane.takes(conn, update)) this.settle(conn, update);
  }

  /**
   * Judges and applies, holds or refuses one update now. `judged`: its facts were worked out off
   * the event loop, and it is taken in by `judged.apply` (see BigUpdateLane).
   */
  settle(conn: Connection, update: Uint8Array, judged?: Judged): void {
    const outcome = this.judgeAndApply(conn, update, true, judged);
    if (typeof outcome === 'object') this.hold(conn, outcome.waiting);
    if (outcome === 'applied' || (typeof outcome === 'object' && outcome.applied)) this.release();
  }

  /** Applies an update every guard agreed to, then the after-apply steps with its facts. */
  applyAccepted(conn: Connection, update: Uint8Array, facts: UpdateFacts): void {
    this.note.applyJudged(conn, update, facts);
    runAfterApply(this.deps.afterApply, { conn, note: this.view, facts }, this.deps.log, this.note.sessionId);
  }

  /** Judges held updates again after the note changed, those it may now take, until none of them moves any more. */
  release(): void {
    let progressed = true;
    while (progressed && this.held.size > 0) {
      progressed = false;
      const known = this.note.known();
      const clock = (client: number) => known.clock(client);
      for (const h of this.held.due(clock)) {
        let outcome: Outcome;
        const started = performance.now();
        try {
          outcome = this.judgeAndApply(h.conn, h.update, true);
        } catch (err) {
          // Released by another's update or a timer: this connection's failure is its own.
          closeForFailure(h.conn, err, this.deps.log, this.note.sessionId, this.deps.onServerError);
          outcome = 'refused';
        } finally {
          this.held.judged(h, performance.now() - started);
        }
        if (typeof outcome === 'object') {
          const now = this.note.known();
          this.held.replace(h, outcome.waiting, (client) => now.clock(client));
          if (outcome.applied) progressed = true;
          continue;
        }
        this.held.remove(h);
        if (outcome === 'applied') progressed = true;
      }
    }
    // Some waited for their account's judging time: asked again once it is there.
    const retryIn = this.held.size > 0 ? this.held.retryIn : null;
    if (retryIn !== null && !this.retry) {
      this.retry = setTimeout(() => {
        this.retry = null;
        this.release();
      }, retryIn);
      this.retry.unref();
    }
  }

  /** Drops what a connection that left was holding (its client sends it again when it returns). */
  forget(conn: Connection): void {
    this.held.forget(conn);
  }

  /**
   * Judges an update by what it would do and applies it if every guard agrees. Of an update Yjs
   * would integrate only in part, the part it can integrate is judged and applied on its own (when
   * `split`), and the rest is returned to wait.
   */
  private judgeAndApply(conn: Connection, received: Uint8Array, split: boolean, judged?: Judged): Outcome {
    // A writer's first edit of a note opened cold used to finish the build at once: the whole
    // note applied in one turn, every other note's keystrokes held up behind it (81 ms for a long
    // note, issue 17). It waits for the slices instead; a big update judged off the loop does not.
    if (!judged && this.note.building()) return { waiting: received, applied: false };
    let update = received;
    // What the note holds, read once: nothing in here changes the note before it applies.
    const known = this.note.known();
    let facts = judged?.facts ?? this.inspect(known, update);
    if (!facts.changesDoc) return 'unchanged';
    const foreign = this.foreignWriters(conn, facts, known);
    if (foreign.length > 0) {
      // Items under someone else's client id: set aside, not refused whole. After a crash, a
      // client may hold a co-therapist's edits the server never stored; its own edits must still
      // get through, and the co-therapist's arrive when they reconnect (only they can send them).
      update = Y.diffUpdate(update, Y.encodeStateVector(new Map(foreign.map((c) => [c, Number.MAX_SAFE_INTEGER]))));
      conn.send(wire.encodeNotice({ type: 'refused', code: 'client_id_taken', message: 'Part of this update was written under another person’s client id; it was set aside.', clients: foreign }));
      this.deps.log.info('foreign items set aside', { sessionId: this.note.sessionId, connectionId: conn.id, count: foreign.length });
      facts = this.inspect(known, update);
      judged = undefined;
      if (!facts.changesDoc) return 'unchanged';
    }
    // Another's words that do not exist yet cannot have been seen: held until they did, such a
    // deletion struck them as they were typed, in the sender's name (attack, 2 Dec). A deletion of
    // a co-therapist's words the server lost in a crash is refused with them; the words stay.
    if ([...facts.deletesAhead].some((c) => !facts.writers.has(c) && this.isForeign(conn, c, known))) {
      this.refuse(conn, facts, { code: 'deletes_unwritten', message: 'This change deletes words the server does not have, so it was not applied. Reload the note to go on.' });
      return 'refused';
    }
    // A writer's update may wait for its missing parts; a reader's or a locked note's is refused now.
    const refusedBefore = [...facts.gaps].some((c) => this.refusedWriters.get(conn)?.has(c));
    if (!facts.complete && conn.canWrite && !isLocked(this.note.session.status) && !refusedBefore) {
      // Split, held and judged again on the event loop, so only as big as the app's own pieces: an
      // 883 KB update with one missing clock took 0.9-2 s of the loop, every note held up (attack16).
      if (update.byteLength > CHUNK_BYTES) {
        this.refuse(conn, facts, { code: 'missing_parts', message: 'This large change depends on edits the server does not have, so it was not applied. Reload the note to go on.' });
        return 'refused';
      }
      const parts = split ? splitUpdate(known, update) : null;
      if (!parts) return { waiting: update, applied: false };
      const first = this.judgeAndApply(conn, parts.ready, false);
      if (first === 'refused') return first;
      return { waiting: parts.waiting, applied: first === 'applied' };
    }
    const refusal = firstRefusal(this.deps.guards, { conn, note: this.view, facts, update }, this.deps.log, this.note.sessionId)
      ?? (facts.complete ? null : { code: 'missing_parts', message: 'An earlier edit from this device was not accepted, so later ones cannot be applied. Reload the note to go on.' });
    if (refusal) {
      this.refuse(conn, facts, refusal);
      return 'refused';
    }
    if (judged) judged.apply(facts);
    else this.applyAccepted(conn, update, facts);
    return 'applied';
  }

  private refuse(conn: Connection, facts: UpdateFacts, refusal: WriteRefusal): void {
    const refused = this.refusedWriters.get(conn) ?? new Set<number>();
    for (const c of facts.writers) refused.add(c);
    this.refusedWriters.set(conn, refused);
    this.deps.log.info('update refused', { sessionId: this.note.sessionId, connectionId: conn.id, code: refusal.code });
    conn.send(wire.encodeNotice({ type: 'refused', ...refusal }));
  }

  /** Holds what waits of an update, within bounds (heldUpdates.ts); past them it is refused. */
  private hold(conn: Connection, update: Uint8Array): void {
    const known = this.note.building() ? null : this.note.known();
    if (this.held.add(conn, update, known && ((client) => known.clock(client)))) return;
    this.deps.log.info('update refused', { sessionId: this.note.sessionId, connectionId: conn.id, code: 'missing_parts' });
    conn.send(wire.encodeNotice({ type: 'refused', code: 'missing_parts', message: 'These edits depend on parts the server does not have yet; they were not applied. Reload to send them again.' }));
  }

  private inspect(known: KnownState, update: Uint8Array): UpdateFacts {
    try {
      return inspectUpdate(known, update, noteShape);
    } catch {
      throw new wire.WireError('malformed document update');
    }
  }

  /**
   * Client ids in the update that belong to another account, or to the server: its own, and any
   * unbound id the note already has items of (an earlier load's server id, the template's).
   */
  private foreignWriters(conn: Connection, facts: UpdateFacts, known: KnownState): number[] {
    return [...facts.writers].filter((c) => this.isForeign(conn, c, known));
  }

  /** Whether client id `c` is someone else's than `conn`'s account (see foreignWriters). */
  private isForeign(conn: Connection, c: number, known: KnownState): boolean {
    const owner = this.note.clientAccounts.get(c);
    if (owner !== undefined) return owner !== conn.principal.accountId;
    // An id someone else's page announced is theirs before its first edit: a structure written
    // under it (even a GC range, which shows nothing) would take the clocks their offline edits
    // need, and those would then be dropped as already known while "Saved" covered them.
    const announcer = this.deps.announcerOf(c);
    if (announcer !== null && announcer !== conn.principal.accountId) return true;
    return c === this.note.serverClient || known.clock(c) > 0;
  }
}
