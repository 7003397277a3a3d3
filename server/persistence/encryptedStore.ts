import type { AuditAction } from '../../shared/domain/audit';
import type {
  AddendumRecord, AddendumStore, AtomicWrite, AuditRecord, AuditStore, CommentPatch, CommentRecord, CommentStore, DebriefFieldRecord, DocStore, LearningStore, LogEntry, MemberNoteStore, NewLogEntry,
  SessionEventRecord, SessionEventStore, SessionPatch, SupervisionNoteRecord, SupervisionNoteStore, SessionRecord, SessionStore, Store,
} from './ports';

type DebriefField = Omit<DebriefFieldRecord, 'version'>;
import { createSealer, type EncryptionKeys, type Sealer } from './sealer';

/**
 * Wraps a store so that everything people typed is written encrypted: the note (its update log,
 * snapshots, and the template a new session starts with), session titles and group-member labels,
 * return reasons, addenda, comments with their anchors (a passage's quote), and an admin's reason
 * in the audit log, huddle and debrief fields, and blind observations (their group-member label). Ids, times, statuses, roles and sequence numbers stay in the clear: they are
 * what the stores look up, order and compact by, so no query ever compares or sorts sealed values.
 */
export function encryptStore(store: Store, keys: EncryptionKeys): Store {
  const sealer = createSealer(keys);
  return {
    ...store,
    docs: sealedDocs(store.docs, sealer),
    sessions: sealedSessions(store.sessions, sealer),
    events: sealedEvents(store.events, sealer),
    addenda: sealedAddenda(store.addenda, sealer),
    comments: sealedComments(store.comments, sealer),
    audit: sealedAudit(store.audit, sealer),
    learning: sealedLearning(store.learning, sealer),
    supervisionNotes: sealedSupervisionNotes(store.supervisionNotes, sealer),
    memberNotes: sealedMemberNotes(store.memberNotes, sealer),
    commit: (writes) => store.commit(writes.map((w) => sealWrite(sealer, w))),
  };
}

/** Attendance names the members by label: the whole record is one sealed text. */
function sealedMemberNotes(inner: MemberNoteStore, { sealText, openText }: Sealer): MemberNoteStore {
  return {
    ...inner,
    attendance: async (sessionId) => {
      const stored = await inner.attendance(sessionId);
      return stored === null ? null : openText(stored);
    },
    setAttendance: (sessionId, attendance) => inner.setAttendance(sessionId, sealText(attendance)),
  };
}

function sealedDocs(inner: DocStore, { seal, open }: Sealer): DocStore {
  const openEntry = (e: LogEntry): LogEntry => ({ ...e, data: open(e.data) });
  return {
    load: async (docId, tailLimit) => {
      const { snapshot, tail } = await inner.load(docId, tailLimit);
      return { snapshot: snapshot && { uptoSeq: snapshot.uptoSeq, data: open(snapshot.data), meta: snapshot.meta && open(snapshot.meta) }, tail: tail.map(openEntry) };
    },
    append: (docId, entries) => inner.append(docId, entries.map((e) => ({ ...e, data: seal(e.data) }))),
    readLog: async (docId, afterSeq) => (await inner.readLog(docId, afterSeq)).map(openEntry),
    logTimes: (docId) => inner.logTimes(docId),
    compact: (docId, snapshot, merged, afterSeq) =>
      inner.compact(docId, { uptoSeq: snapshot.uptoSeq, data: seal(snapshot.data), meta: snapshot.meta && seal(snapshot.meta) }, merged.map((e) => ({ ...e, data: seal(e.data) })), afterSeq),
    stats: (docId) => inner.stats(docId),
  };
}

/** Each label is sealed on its own, so the column keeps its shape (a JSON array of strings). */
function sealedSessions(inner: SessionStore, sealer: Sealer): SessionStore {
  const { openText } = sealer;
  const openSession = (s: SessionRecord): SessionRecord => ({ ...s, title: openText(s.title), groupMembers: s.groupMembers.map(openText) });
  return {
    ...inner,
    byId: async (id) => {
      const session = await inner.byId(id);
      return session && openSession(session);
    },
    listForAccount: async (accountId) => (await inner.listForAccount(accountId)).map(openSession),
    update: (id, patch, fromStatuses) => inner.update(id, sealPatch(sealer, patch), fromStatuses),
  };
}

const sealSession = ({ sealText }: Sealer, s: SessionRecord): SessionRecord => ({ ...s, title: sealText(s.title), groupMembers: s.groupMembers.map(sealText) });
const sealEntry = ({ seal }: Sealer, e: NewLogEntry): NewLogEntry => ({ ...e, data: seal(e.data) });

const sealPatch = ({ sealText }: Sealer, { title, groupMembers, ...rest }: SessionPatch): SessionPatch => ({
  ...rest,
  ...(title === undefined ? {} : { title: sealText(title) }),
  ...(groupMembers === undefined ? {} : { groupMembers: groupMembers.map(sealText) }),
});

const sealEvent = ({ sealText }: Sealer, e: SessionEventRecord): SessionEventRecord => ({ ...e, reason: e.reason === null ? null : sealText(e.reason) });

function sealedEvents(inner: SessionEventStore, sealer: Sealer): SessionEventStore {
  const { openText } = sealer;
  return {
    append: (e) => inner.append(sealEvent(sealer, e)),
    list: async (sessionId) => (await inner.list(sessionId)).map((e) => ({ ...e, reason: e.reason === null ? null : openText(e.reason) })),
  };
}

const sealAddendum = ({ sealText }: Sealer, a: AddendumRecord): AddendumRecord => ({ ...a, body: sealText(a.body) });
const sealComment = ({ sealText }: Sealer, c: CommentRecord): CommentRecord => ({ ...c, anchor: sealText(c.anchor), body: sealText(c.body) });
const sealCommentPatch = ({ sealText }: Sealer, { body, ...rest }: CommentPatch): CommentPatch => ({ ...rest, ...(body === undefined ? {} : { body: sealText(body) }) });
const sealSupervisionNote = ({ sealText }: Sealer, n: SupervisionNoteRecord): SupervisionNoteRecord => ({ ...n, body: sealText(n.body) });

function sealedAddenda(inner: AddendumStore, sealer: Sealer): AddendumStore {
  const { openText } = sealer;
  return {
    create: (a) => inner.create(sealAddendum(sealer, a)),
    list: async (sessionId) => (await inner.list(sessionId)).map((a) => ({ ...a, body: openText(a.body) })),
  };
}

function sealedComments(inner: CommentStore, sealer: Sealer): CommentStore {
  const { openText } = sealer;
  const openComment = (c: CommentRecord): CommentRecord => ({ ...c, anchor: openText(c.anchor), body: openText(c.body) });
  return {
    create: (c) => inner.create(sealComment(sealer, c)),
    byId: async (id) => {
      const comment = await inner.byId(id);
      return comment && openComment(comment);
    },
    list: async (sessionId) => (await inner.list(sessionId)).map(openComment),
    update: (id, patch) => inner.update(id, sealCommentPatch(sealer, patch)),
  };
}

const sealDebriefField = ({ sealText }: Sealer, f: DebriefField): DebriefField => ({ ...f, body: sealText(f.body) });

/** Huddle and debrief text, and a private observation's record (it names a group member). */
function sealedLearning(inner: LearningStore, sealer: Sealer): LearningStore {
  const { sealText, openText } = sealer;
  return {
    ...inner,
    debriefFields: async (sessionId) => (await inner.debriefFields(sessionId)).map((f) => ({ ...f, body: openText(f.body) })),
    debriefHistory: async (sessionId) => (await inner.debriefHistory(sessionId)).map((f) => ({ ...f, body: openText(f.body) })),
    addBlindObservation: (o, limit) => inner.addBlindObservation({ ...o, record: sealText(o.record) }, limit),
    blindObservations: async (sessionId, authorId) => (await inner.blindObservations(sessionId, authorId)).map((o) => ({ ...o, record: openText(o.record) })),
  };
}

/** Audit detail that people type: an admin's reason for changing a session's members. */
const TYPED_DETAIL: Partial<Record<AuditAction, readonly string[]>> = { member_added: ['reason'], member_removed: ['reason'] };

const sealAudit = ({ sealText }: Sealer, e: AuditRecord): AuditRecord => ({
  ...e,
  detail: Object.fromEntries(Object.entries(e.detail).map(([k, v]) => [k, typeof v === 'string' && TYPED_DETAIL[e.action]?.includes(k) ? sealText(v) : v])),
});

/** A unit of work's writes as the wrapped stores would seal each one. */
function sealWrite(sealer: Sealer, w: AtomicWrite): AtomicWrite {
  switch (w.kind) {
    case 'session':
      return { ...w, patch: sealPatch(sealer, w.patch) };
    case 'createSession':
      return { ...w, session: sealSession(sealer, w.session), initialContent: w.initialContent && sealEntry(sealer, w.initialContent) };
    case 'debriefField':
      return { ...w, field: sealDebriefField(sealer, w.field) };
    case 'revealed':
      return { ...w, merge: w.merge && sealEntry(sealer, w.merge) };
    case 'event':
      return { ...w, event: sealEvent(sealer, w.event) };
    case 'audit':
      return { ...w, entry: sealAudit(sealer, w.entry) };
    case 'addendum':
      return { ...w, addendum: sealAddendum(sealer, w.addendum) };
    case 'comment':
      return { ...w, comment: sealComment(sealer, w.comment) };
    case 'attendance':
      return { ...w, attendance: sealer.sealText(w.attendance) };
    case 'updateComment':
      return { ...w, patch: sealCommentPatch(sealer, w.patch) };
    case 'supervisionNote':
      return { ...w, note: sealSupervisionNote(sealer, w.note) };
    default:
      return w;
  }
}

function sealedAudit(inner: AuditStore, sealer: Sealer): AuditStore {
  const { openText } = sealer;
  // Every string is opened, not only the listed ones: opening passes plain text through, and a
  // record keeps reading whichever fields were sealed when it was written.
  const openDetail = (detail: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(detail).map(([k, v]) => [k, typeof v === 'string' ? openText(v) : v]));
  return {
    append: (e) => inner.append(sealAudit(sealer, e)),
    list: async (filter) => (await inner.list(filter)).map((e) => ({ ...e, detail: openDetail(e.detail) })),
  };
}

/** A supervision note's words are typed by a clinician, like a comment; its codes are the codebook's ids. */
function sealedSupervisionNotes(inner: SupervisionNoteStore, sealer: Sealer): SupervisionNoteStore {
  const { openText } = sealer;
  return {
    create: (n) => inner.create(sealSupervisionNote(sealer, n)),
    list: async (sessionId) => (await inner.list(sessionId)).map((n) => ({ ...n, body: openText(n.body) })),
  };
}
