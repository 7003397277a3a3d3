import type { AtomicWrite, Store } from '../ports';
import { StaleWriteError } from '../storageBoundary';
import { updateAccountRow } from './sqliteAccountStores';
import { INSERT_AUDIT } from './sqliteLogWriter';
import { appendEventRow } from './sqliteReviewStores';
import { PUT_MEMBER, REMOVE_MEMBER, updateSessionRow } from './sqliteSessionStore';
import type { Sql } from './sql';

/**
 * Store.commit on SQLite: one IMMEDIATE transaction on the main connection, synchronous, so no
 * other request's statement can land inside it. Audit records of a unit are written here, not by
 * the writer thread (whose commits are separate), so they commit or roll back with their change.
 */
export function sqliteUnitOfWork(db: Sql): Store['commit'] {
  const apply = (w: AtomicWrite): void => {
    switch (w.kind) {
      case 'session':
        if (!updateSessionRow(db, w.id, w.patch, w.fromStatuses) && w.fromStatuses) throw new StaleWriteError(w.id);
        return;
      case 'putMember':
        db.prepare(PUT_MEMBER).run(w.member.sessionId, w.member.accountId, w.member.role, w.member.addedAt);
        return;
      case 'removeMember':
        db.prepare(REMOVE_MEMBER).run(w.sessionId, w.accountId);
        return;
      case 'account':
        updateAccountRow(db, w.id, w.patch);
        return;
      case 'event':
        appendEventRow(db, w.event);
        return;
      case 'audit':
        db.prepare(INSERT_AUDIT).run(w.entry.at, w.entry.actorId, w.entry.action, w.entry.sessionId, JSON.stringify(w.entry.detail));
        return;
    }
  };
  const commit = db.transaction((writes: readonly AtomicWrite[]) => {
    for (const w of writes) apply(w);
  });
  return async (writes) => {
    commit.immediate(writes);
  };
}
