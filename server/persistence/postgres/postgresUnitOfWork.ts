import type pg from 'pg';
import type { Store } from '../ports';
import { isConditional, StaleWriteError } from '../storageBoundary';
import { writeOf, type AtomicWriters } from '../atomicWriters';
import { inTransaction, lockDoc } from './db';
import { insertEntries } from './PostgresDocStore';
import { markRevealedRow, saveDebriefFieldRow } from './postgresLearningStore';
import { insertMemberNoteLinkRow, insertProcessNoteRow, joinGroupRow, purgeDocRows } from './postgresMemberNotes';
import {
  appendAuditRow, appendEventRow, deleteLoginRow, deleteLoginRows, insertAccountRow, insertAddendumRow, insertCommentRow, insertCompetencyRow, insertFirstAccountRow, insertLoginRow,
  insertRevealRequestRow, insertSessionRows, insertSupervisionNoteRow, insertTagRow, memberValues, putBlindSettingRow, PUT_MEMBER, removeMemberRow, setAttendanceRow, setThreadStateRow,
  updateAccountRow, updateCommentRow, updateCompetencyRow, updateProcessNoteRow, updateSessionRow, updateTagRow,
} from './postgresWrites';

/** Each kind's write on `c`; one that resolves with a number says how many rows it changed, for a later audit write's `countInto`. */
const writers = (c: pg.PoolClient): AtomicWriters<Promise<number | void>> => ({
  session: async (w) => {
    if (!(await updateSessionRow(c, w.id, w.patch, w)) && isConditional(w)) throw new StaleWriteError(w.kind, w.id);
  },
  createSession: (w) => insertSessionRows(c, w.session, w.firstMember, w.initialContent),
  putMember: async (w) => void (await c.query(PUT_MEMBER, memberValues(w.member))),
  removeMember: async (w) => void (await removeMemberRow(c, w.sessionId, w.accountId)),
  account: (w) => updateAccountRow(c, w.id, w.patch),
  createAccount: (w) => insertAccountRow(c, w.account),
  createFirstAccount: async (w) => {
    if (!(await insertFirstAccountRow(c, w.account))) throw new StaleWriteError(w.kind, w.account.id);
  },
  startLogin: (w) => insertLoginRow(c, w.login),
  endLogin: (w) => deleteLoginRow(c, w.tokenHash),
  endLogins: (w) => deleteLoginRows(c, w.accountId, w.exceptTokenHash),
  event: (w) => appendEventRow(c, w.event),
  addendum: (w) => insertAddendumRow(c, w.addendum),
  comment: (w) => insertCommentRow(c, w.comment),
  updateComment: (w) => updateCommentRow(c, w.id, w.patch),
  createTag: (w) => insertTagRow(c, w.tag),
  updateTag: (w) => updateTagRow(c, w.id, w.patch),
  createCompetency: (w) => insertCompetencyRow(c, w.competency),
  updateCompetency: (w) => updateCompetencyRow(c, w.id, w.patch),
  supervisionNote: (w) => insertSupervisionNoteRow(c, w.note),
  threadState: (w) => setThreadStateRow(c, w.state),
  processNote: (w) => updateProcessNoteRow(c, w.processSessionId, w.patch),
  purgeDoc: (w) => purgeDocRows(c, w.docId),
  createProcessNote: (w) => insertProcessNoteRow(c, w.note),
  memberNoteLink: (w) => insertMemberNoteLinkRow(c, w.link),
  joinGroup: (w) => joinGroupRow(c, w.sessionId, w.groupId, w.at),
  attendance: (w) => setAttendanceRow(c, w.sessionId, w.attendance),
  debriefField: async (w) => {
    if (!(await saveDebriefFieldRow(c, w.field, w.baseVersion))) throw new StaleWriteError(w.kind, w.field.sessionId);
  },
  blindSetting: (w) => putBlindSettingRow(c, w.setting),
  revealRequest: (w) => insertRevealRequestRow(c, w.sessionId, w.accountId, w.at),
  revealed: async (w) => {
    if (!(await markRevealedRow(c, w.sessionId, w.at, w.observations))) throw new StaleWriteError(w.kind, w.sessionId);
    if (w.merge) {
      // Under the note's lock, as every append (see PostgresDocStore).
      await lockDoc(c, w.sessionId);
      await insertEntries(c, w.sessionId, [w.merge]);
    }
  },
  audit: ({ entry, countInto }, changedBefore) => appendAuditRow(c, countInto ? { ...entry, detail: { ...entry.detail, [countInto]: changedBefore } } : entry),
});

/** Store.commit on PostgreSQL: the writes in order on one client between BEGIN and COMMIT (ROLLBACK on any failure). */
export function postgresUnitOfWork(pool: pg.Pool): Store['commit'] {
  return (writes) =>
    inTransaction(pool, async (c) => {
      const write = writers(c);
      const changed: number[] = [];
      for (const w of writes) changed.push((await writeOf(write, w)(w, changed.at(-1) ?? 0)) ?? 0);
      return changed;
    });
}
