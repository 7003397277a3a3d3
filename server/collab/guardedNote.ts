import type * as Y from 'yjs';
import type { SessionRecord } from '../persistence/ports';

/** What guards and after-apply steps see of a note: its session, its document and who writes as whom. */
export interface GuardedNote {
  readonly session: SessionRecord;
  /** The note's Y.Doc as it is before the update (for guards) or after it (for after-apply steps). */
  readonly doc: Y.Doc;
  /** Which account writes under which Yjs client id (attested authorship). */
  readonly clientAccounts: ReadonlyMap<number, string>;
  /** Changes the note on the server's own authority (late-entry labels, receipt times). */
  transactLocal(fn: () => void): void;
}

/** A narrow view of a note, so a guard cannot reach past what it is meant to judge by. */
export function guardedView(note: GuardedNote): GuardedNote {
  return {
    get session() {
      return note.session;
    },
    get doc() {
      return note.doc;
    },
    get clientAccounts() {
      return note.clientAccounts;
    },
    transactLocal: (fn) => note.transactLocal(fn),
  };
}
