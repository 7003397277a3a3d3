import type { RefusalCode } from '../../shared/protocol/messageType';
import type { Connection } from './Connection';
import type { GuardedNote } from './guardedNote';
import type { WholeNote } from './syncAnswer';
import type { KnownState, UpdateFacts } from './updateFacts';

/*
 * What the write gate (writeGate.ts) plugs in and works on: the guards and after-apply steps
 * features add, and the note as the gate needs it.
 */

/** Why a write was not applied; sent to the client as a `refused` notice. */
export interface WriteRefusal {
  code: RefusalCode;
  message: string;
}

/** Who sent an update, as guards and after-apply steps see them. */
export type Writer = Pick<Connection, 'id' | 'principal' | 'canWrite'>;

/**
 * The decisions later features plug in: called for every complete update a client sends, before it
 * is applied, with what it would do (`facts`). Synchronous on purpose, so updates of one note are
 * applied in the order they came.
 */
/** `update`: the bytes `facts` describe, for a guard that must see the result exactly (markCoverage.newlyCovered). */
export type WriteGuard = (ctx: { conn: Writer; note: GuardedNote; facts: UpdateFacts; update: Uint8Array }) => WriteRefusal | null;

/** What happens after a client's update was applied (labelling late entries, stamping times). */
export type AfterApply = (ctx: { conn: Writer; note: GuardedNote; facts: UpdateFacts }) => void;

/**
 * The note as the gate needs it: what it knows, whose ids are whose, and how to apply. Guards and
 * after-apply steps see only its `GuardedNote` part (see `guardedView`).
 */
export interface GateNote extends GuardedNote {
  readonly sessionId: string;
  /** The server's own Yjs client id in this note. */
  readonly serverClient: number;
  known(): KnownState;
  /**
   * Whether the note's Y.Doc is being built from storage in slices (StoredSnapshot.prebuild): its
   * updates wait for it, and the note calls `release` once it is built.
   */
  building(): boolean;
  /** Applies a judged update on behalf of `conn` (binding its new client ids). */
  applyJudged(conn: Connection, update: Uint8Array, facts: UpdateFacts): void;
  /** Holds the updates other processes relay to the note until the returned function is called (a big update's last judgement). */
  holdFanout(): () => void;
  /** The whole note as updates, what a big update is judged against (syncAnswer.ts). */
  readonly wholeNote: Pick<WholeNote, 'parts'>;
}
