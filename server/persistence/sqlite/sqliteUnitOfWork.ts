import { writeOf, type AtomicWriters } from '../atomicWriters';
import type { AtomicWrite, Store } from '../ports';
import { isConditional, StaleWriteError } from '../storageBoundary';
import { deleteLoginRow, deleteLoginRows, insertAccountRow, insertFirstAccountRow, insertLoginRow, updateAccountRow } from './sqliteAccountStores';
import { insertRevealRequestRow, markRevealedRow, putBlindSettingRow, saveDebriefFieldRow } from './sqliteLearningStore';
import { INSERT_AUDIT } from './sqliteLogWriter';
import { insertMemberNoteLinkRow, insertProcessNoteRow, joinGroupRow, purgeDocRows, setAttendanceRow, updateProcessNoteRow } from './sqliteMemberNotes';
import { appendEventRow, insertAddendumRow, insertCommentRow, insertTagRow, updateCommentRow, updateTagRow } from './sqliteReviewStores';
import { insertNoteEntryRow, insertSessionRows, PUT_MEMBER, REMOVE_MEMBER, updateSessionRow } from './sqliteSessionStore';
import { insertCompetencyRow, insertSupervisionNoteRow, setThreadStateRow, updateCompetencyRow } from './sqliteSupervisorStores';
import type { Sql } from './sql';

/**
 * Store.commit on SQLite: one IMMEDIATE transaction on the SQLite thread's connection, synchronous,
 * so no other request's statement can land inside it. Audit records of a unit are written here, not
 * in the gathered batches (whose commits are separate), so they commit or roll back with their change.
 */
export function sqliteUnitOfWork(db: Sql): Store['commit'] {
  /** Each kind's write; one that returns a number says how many rows it changed, for a later audit write's `countInto`. */
  const writers: AtomicWriters<number | void> = {
    session: (w) => {
      if (!updateSessionRow(db, w.id, w.patch, w) && isConditional(w)) throw new StaleWriteError(w.kind, w.id);
    },
    createSession: (w) => insertSessionRows(db, w.session, w.firstMember, w.initialContent),
    putMember: ({ member: m }) => void db.prepare(PUT_MEMBER).run(m.sessionId, m.accountId, m.role, m.addedAt),
    removeMember: (w) => void db.prepare(REMOVE_MEMBER).run(w.sessionId, w.accountId),
    account: (w) => updateAccountRow(db, w.id, w.patch),
    createAccount: (w) => insertAccountRow(db, w.account),
    createFirstAccount: (w) => {
      if (!insertFirstAccountRow(db, w.account)) throw new StaleWriteError(w.kind, w.account.id);
    },
    startLogin: (w) => insertLoginRow(db, w.login),
    endLogin: (w) => deleteLoginRow(db, w.tokenHash),
    endLogins: (w) => deleteLoginRows(db, w.accountId, w.exceptTokenHash),
    event: (w) => appendEventRow(db, w.event),
    addendum: (w) => insertAddendumRow(db, w.addendum),
    comment: (w) => insertCommentRow(db, w.comment),
    updateComment: (w) => updateCommentRow(db, w.id, w.patch),
    createTag: (w) => insertTagRow(db, w.tag),
    updateTag: (w) => updateTagRow(db, w.id, w.patch),
    createCompetency: (w) => insertCompetencyRow(db, w.competency),
    updateCompetency: (w) => updateCompetencyRow(db, w.id, w.patch),
    supervisionNote: (w) => insertSupervisionNoteRow(db, w.note),
    threadState: (w) => setThreadStateRow(db, w.state),
    processNote: (w) => updateProcessNoteRow(db, w.processSessionId, w.patch),
    purgeDoc: (w) => purgeDocRows(db, w.docId),
    createProcessNote: (w) => insertProcessNoteRow(db, w.note),
    memberNoteLink: (w) => insertMemberNoteLinkRow(db, w.link),
    joinGroup: (w) => joinGroupRow(db, w.sessionId, w.groupId, w.at),
    attendance: (w) => setAttendanceRow(db, w.sessionId, w.attendance),
    debriefField: (w) => {
      if (!saveDebriefFieldRow(db, w.field, w.baseVersion)) throw new StaleWriteError(w.kind, w.field.sessionId);
    },
    blindSetting: (w) => putBlindSettingRow(db, w.setting),
    revealRequest: (w) => insertRevealRequestRow(db, w.sessionId, w.accountId, w.at),
    revealed: (w) => {
      if (!markRevealedRow(db, w.sessionId, w.at, w.observations)) throw new StaleWriteError(w.kind, w.sessionId);
      if (w.merge) insertNoteEntryRow(db, w.sessionId, w.merge);
    },
    audit: ({ entry: e, countInto }, changedBefore) => {
      const detail = countInto ? { ...e.detail, [countInto]: changedBefore } : e.detail;
      db.prepare(INSERT_AUDIT).run(e.at, e.actorId, e.action, e.sessionId, JSON.stringify(detail));
    },
  };
  const commit = db.transaction((writes: readonly AtomicWrite[]): number[] => {
    const changed: number[] = [];
    for (const w of writes) changed.push(writeOf(writers, w)(w, changed.at(-1) ?? 0) ?? 0);
    return changed;
  });
  return async (writes) => commit.immediate(writes);
}
